# Upstream master's own test of host-wide claims (tools/tests/mem-claim,
# commit f34c965281), on the series' hypervisor: XENMEM_claim_pages as
# master's toolstack expects it. Trees without it (4.17) skip.
. /tests/scenarios/lib.sh

if [ -x /usr/lib/xen/tests/test-mem-claim ]; then
    run "upstream tools/tests/mem-claim" /usr/lib/xen/tests/test-mem-claim
else
    skip "no /usr/lib/xen/tests/test-mem-claim in this tree's tools"
fi
check_eq "host outstanding claims after the test (MiB)" 0 "$(host_outstanding_mb)"
finish
