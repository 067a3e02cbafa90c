# XEN_SYSCTL_numa_meminfo on every node: bytes that agree with physinfo,
# xc_numainfo() and installed claims, and claimable as the exact limit of
# a node claim (tests/progs/numa-meminfo.c).
. /tests/scenarios/lib.sh

numa-meminfo || FAILED=$((FAILED + $?))
check_eq "host outstanding claims after the program (MiB)" 0 "$(host_outstanding_mb)"
finish
