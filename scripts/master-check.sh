#!/usr/bin/env bash
# make master-check XEN_GIT=/path/to/xen.git: the second series
# (master/) on upstream Xen master, end to end: the tree from XEN_GIT's
# pinned commit + master/patches, the debug hypervisor, the claims
# harness on master's page_alloc.c, the tools, dom0's initramfs and the
# QEMU boots MASTER_BOOTS (2node 4node) of tests/boots with their
# scenarios. Everything lives under build/master/.
#
# Without XEN_GIT, or when it is not a git repository holding the pinned
# commit, it prints "SKIP master-check: ..." and succeeds: make check
# never depends on a clone of xen.git. Each boot runs under
# "flock QEMU_LOCK" when QEMU_LOCK names a lock file (one QEMU at a
# time on a shared machine). Ends with "master-check: N passed, N failed".
SERIES=master
. "$(dirname "$0")/lib.sh"

PASSED=0 FAILED=0

# skip_unless_xen_git: exit 0 with a SKIP line unless XEN_GIT holds the
# pinned commit.
skip_unless_xen_git() {
    local why=
    if [ -z "${XEN_GIT:-}" ]; then
        why="XEN_GIT is not set (make master-check XEN_GIT=/path/to/xen.git)"
    elif ! git -C "$XEN_GIT" rev-parse --git-dir >/dev/null 2>&1; then
        why="XEN_GIT=$XEN_GIT is not a git repository"
    elif ! git -C "$XEN_GIT" cat-file -e "$BASE_GIT_COMMIT^{commit}" 2>/dev/null; then
        why="XEN_GIT=$XEN_GIT does not hold the pinned commit $BASE_GIT_COMMIT"
    fi
    [ -z "$why" ] && return 0
    echo "SKIP master-check: $why"
    exit 0
}

# step NAME CMD...: a counted step; a failure stops master-check with
# the counts so far.
step() {
    local name=$1
    shift
    if timed "$name" "$@"; then
        echo "PASS master-check: $name"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL master-check: $name"
        FAILED=$((FAILED + 1))
        summary
        exit 1
    fi
}

summary() {
    echo "master-check: $PASSED passed, $FAILED failed"
}

# harness: the claims harness of the series on master's page_alloc.c
# (unit.sh's harness step), its checks added to the counts.
harness() {
    local out=$BUILD/harness.log line p f
    bash "$TOP/scripts/unit.sh" harness | tee "$out" || true
    line=$(grep -E '^unit: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    [ -n "$line" ] || { echo "FAIL master-check: the harness printed no summary"; FAILED=$((FAILED + 1)); return 0; }
    p=$(sed -E 's/^unit: ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
    PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
}

# boot NAME: one boot of tests/boots/NAME.conf on master's build, with
# its scenarios and MASTER_SCENARIOS (mem-claim: master's own claims
# test) after them.
boot() {
    local name=$1 p f s lock=() scenarios
    [ -z "${QEMU_LOCK:-}" ] || lock=(flock "$QEMU_LOCK")
    rm -f "$BUILD/qemu/$name.result"
    scenarios=$(SCENARIOS=; . "$TOP/tests/boots/$name.conf"; echo "$SCENARIOS")
    SCENARIOS="$scenarios ${MASTER_SCENARIOS-mem-claim}" \
        "${lock[@]}" bash "$TOP/scripts/qemu-run.sh" "$name" || true
    if read -r p f s <"$BUILD/qemu/$name.result" 2>/dev/null; then
        log "master boot $name: $p passed, $f failed, $s skipped"
        PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
    else
        log "master boot $name left no result"
        FAILED=$((FAILED + 1))
    fi
}

main() {
    local start b
    skip_unless_xen_git
    start=$(date +%s)
    step "tree (master + master/patches)" bash "$TOP/scripts/tree.sh"
    step "hypervisor (debug)" bash "$TOP/scripts/build.sh" hv-debug
    if [ -d "$TREE/tools/tests/claims" ]; then
        timed "claims harness" harness
    fi
    step "tools" bash "$TOP/scripts/build.sh" tools
    step "dom0 initramfs" bash "$TOP/scripts/initramfs.sh"
    for b in ${MASTER_BOOTS:-2node 4node}; do
        timed "boot $b" boot "$b" || true
    done
    log "master-check took $(( $(date +%s) - start )) s"
    summary
    [ "$FAILED" -eq 0 ]
}

main "$@"
