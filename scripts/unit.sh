#!/usr/bin/env bash
# make unit: the checks that need no QEMU: the scripts parse, and the
# patch-queue tooling fails cleanly on a patch that does not apply.
# Prints "unit: N passed, N failed".
. "$(dirname "$0")/lib.sh"

main() {
    local passed=0 failed=0 bad=0 n=0 f out=$BUILD/unit-selftest.log p q
    mkdir -p "$BUILD"
    for f in "$TOP"/scripts/*.sh "$TOP"/.ci/run "$TOP"/tests/dom0/init "$TOP"/tests/scenarios/*.sh; do
        n=$((n + 1))
        if ! bash -n "$f" 2>"$BUILD/syntax.log"; then
            echo "  ${f#"$TOP"/}: $(cat "$BUILD/syntax.log")"
            bad=$((bad + 1))
        fi
    done
    if [ "$bad" -eq 0 ]; then
        echo "PASS unit: all $n scripts parse"; passed=1
    else
        echo "FAIL unit: $bad of $n scripts do not parse"; failed=1
    fi
    bash "$TOP/scripts/selftest.sh" tree | tee "$out" || true
    p=$(grep -c '^PASS selftest' "$out" || true)
    q=$(grep -c '^FAIL selftest' "$out" || true)
    echo "unit: $((passed + p)) passed, $((failed + q)) failed"
    [ $((failed + q)) -eq 0 ]
}

main "$@"
