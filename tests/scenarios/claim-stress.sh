# Claim sets under load (tests/progs/claim-stress.c): builders installing
# valid and invalid sets, populating, reading back, replacing, releasing
# and destroying, a domain allocating without claims, free pages going
# offline and online, with the figures of domains, nodes and host
# compared at quiescent points. Then Xen's 'k' key checks its claim
# invariants (a debug build asserts them) and no claim may be left.
#
# Kernel command line: stress_seconds=S (default 75, the short run of
# make check; make stress passes STRESS_SECONDS), stress_workers=N.
. /tests/scenarios/lib.sh

seconds=$(arg stress_seconds || echo 75)
workers=$(arg stress_workers || echo 3)

rc=0
claim-stress -s "$seconds" -w "$workers" || rc=$?
check_eq "claim-stress: ${seconds}s, $workers builders, exit status" 0 "$rc"

# The 'k' key walks every node and domain and asserts the invariants;
# an assertion would stop the boot (qemu-run.sh fails it).
xl dmesg -c >/dev/null
xl debug-keys k
xl dmesg >/tmp/k.txt
sed 's/^/    | /' /tmp/k.txt
claimed() { sed -n "s/.*$1: [0-9]* free pages, \([0-9]*\) claimed.*/\1/p" /tmp/k.txt; }
check_eq "'k' lists every node" "$(arg expect_nodes)" "$(claimed 'node [0-9]*' | wc -l)"
check_eq "'k': pages claimed on the host" 0 "$(claimed host)"
check_eq "'k': nodes with claimed pages" 0 "$(claimed 'node [0-9]*' | grep -c -v '^0$')"
check_eq "'k': domains with claims" 0 "$(grep -c ' claimed pages, ' /tmp/k.txt)"
check_eq "outstanding claims after the run (xl info, MiB)" 0 "$(host_outstanding_mb)"
finish
