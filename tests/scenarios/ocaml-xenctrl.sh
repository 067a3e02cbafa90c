# The OCaml Xenctrl bindings for claim sets (domain_claim_memory,
# domain_get_claims, numa_meminfo, domain_get_node_pages), their results
# and errors, on a PV domain the program creates and destroys:
# tools/ocaml/test/xenctrl_claims.ml of build/xen, installed by the tools
# build as test-xenctrl-claims.
. /tests/scenarios/lib.sh

test-xenctrl-claims "$(arg expect_nodes)" || FAILED=$((FAILED + $?))
check_eq "host outstanding claims after the program (MiB)" 0 "$(host_outstanding_mb)"
finish
