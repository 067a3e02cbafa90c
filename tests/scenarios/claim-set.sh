# XEN_DOMCTL_claim_memory through the real hypercall: install, GET,
# replace, clear, every error with the claims unchanged, competition for
# a node, redeeming order, destroy (tests/progs/claim-set.c).
. /tests/scenarios/lib.sh

claim-set || FAILED=$((FAILED + $?))
check_eq "host outstanding claims after the program (MiB)" 0 "$(host_outstanding_mb)"
finish
