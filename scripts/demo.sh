#!/usr/bin/env bash
# make demo: build, boot a 4-node host and show what dom0 sees: the NUMA
# nodes with their memory (xl info -n), a claim set on three nodes and
# the host as Xen shows it, redeemed on the node that is populated, and a
# legacy claim followed through its life. The whole serial console stays
# in build/qemu/demo.log.
. "$(dirname "$0")/lib.sh"

main() {
    local rc=0
    timed "tree" bash "$TOP/scripts/tree.sh"
    timed "build" bash "$TOP/scripts/build.sh" hv-debug tools
    timed "dom0 initramfs" bash "$TOP/scripts/initramfs.sh"
    NODES=4 NODE_MB=1024 SCENARIOS="nodes claim-demo xc-legacy-claim" \
        bash "$TOP/scripts/qemu-run.sh" demo || rc=$?
    echo
    echo "== xl info -n on the 4-node host"
    sed -n '/^CLAIMTEST: BEGIN nodes/,/^CLAIMTEST: END nodes/p' "$BUILD/qemu/demo.log" |
        sed -n 's/^    | //p' | sed -n '/^nr_nodes/p; /^free_memory/p; /^outstanding_claims/p; /^numa_info/,/^xen_major/p' |
        grep -v '^xen_major'
    echo
    echo "== a claim set: SET, GET, Xen's 'k' key, populate node 2, destroy"
    sed -n '/^CLAIMTEST: BEGIN claim-demo/,/^CLAIMTEST: END claim-demo/p' "$BUILD/qemu/demo.log" |
        sed -n 's/^CLAIMTEST: \(PASS\|FAIL\) claim-demo: /\1 /p; s/^    | k: /    /p'
    echo
    echo "== a legacy claim through its life (tests/progs/xc-legacy-claim.c)"
    grep '^CLAIMTEST: .* xc-legacy-claim: ' "$BUILD/qemu/demo.log" | sed 's/^CLAIMTEST: //'
    return "$rc"
}

main "$@"
