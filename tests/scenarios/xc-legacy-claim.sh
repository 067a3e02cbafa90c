# A PV domain through libxenctrl directly, and the legacy claim's life
# (tests/progs/xc-legacy-claim.c).
. /tests/scenarios/lib.sh

xc-legacy-claim 64 || FAILED=$((FAILED + $?))
check_eq "host outstanding claims after the program (MiB)" 0 "$(host_outstanding_mb)"
finish
