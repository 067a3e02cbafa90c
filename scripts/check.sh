#!/usr/bin/env bash
# make check: everything from nothing: packages, base, tree, builds,
# dom0 initramfs, the QEMU boots of tests/boots/*.conf, the test bed's
# self-tests and the docs (make docs-check). Ends with one line
# "N passed, N failed, N skipped", after a "booted twice:" line for each
# boot that qemu-run.sh booted again because dom0 never reached /init.
#   check.sh [BOOT...]     only these boots (default: all in tests/boots)
. "$(dirname "$0")/lib.sh"

PASSED=0 FAILED=0 SKIPPED=0 RETRIED=()

# add_counts P F S
add_counts() {
    PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); SKIPPED=$((SKIPPED + $3))
}

run_boot() {
    local boot=$1 p f s
    rm -f "$BUILD/qemu/$boot.result"
    bash "$TOP/scripts/qemu-run.sh" "$boot" || true
    [ ! -f "$BUILD/qemu/$boot.retried" ] || RETRIED+=("$boot: $(cat "$BUILD/qemu/$boot.retried")")
    if read -r p f s <"$BUILD/qemu/$boot.result" 2>/dev/null; then
        add_counts "$p" "$f" "$s"
    else
        log "boot $boot left no result"
        add_counts 0 1 0
    fi
}

# run_counted LOG CMD...: run CMD, add the counts of the last line of the
# form "...: N passed, N failed" that it printed (a missing line is a
# failure).
run_counted() {
    local out=$1 line p f
    shift
    "$@" | tee "$out" || true
    line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    if [ -z "$line" ]; then
        log "$* printed no summary"
        add_counts 0 1 0
        return
    fi
    p=$(sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
    add_counts "$p" "$f" 0
}

main() {
    local start boot boots
    start=$(date +%s)
    timed "packages" bash "$TOP/scripts/deps.sh"
    timed "tree" bash "$TOP/scripts/tree.sh"
    timed "build" bash "$TOP/scripts/build.sh"
    timed "unit" run_counted "$BUILD/unit.log" bash "$TOP/scripts/unit.sh"
    timed "dom0 initramfs" bash "$TOP/scripts/initramfs.sh"
    if [ $# -gt 0 ]; then
        boots="$*"
    else
        boots=$(cd "$TOP/tests/boots" && ls -1 -- *.conf | sed 's/\.conf$//')
    fi
    for boot in $boots; do
        timed "boot $boot" run_boot "$boot" || true
    done
    [ $# -gt 0 ] || timed "test bed self-tests" run_counted "$BUILD/selftest.log" \
        bash "$TOP/scripts/selftest.sh" qemu
    [ $# -gt 0 ] || timed "docs" run_counted "$BUILD/docs-check.log" \
        bash "$TOP/scripts/docs-check.sh"
    log "make check took $(( $(date +%s) - start )) s"
    for boot in "${RETRIED[@]}"; do
        echo "booted twice: $boot"
    done
    echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
    [ "$FAILED" -eq 0 ]
}

main "$@"
