#!/usr/bin/env bash
# make unit: the checks that need no QEMU: the scripts parse, the
# patch-queue tooling fails cleanly where it must, and the series' claims
# harness (tools/tests/claims, on the real page_alloc.c of build/xen):
# unit tests, the random model test, the differential test against the
# base's page_alloc.c, ASan and UBSan builds and a short fuzzer run.
# Prints "unit: N passed, N failed". "unit.sh harness" runs the claims
# harness alone.
. "$(dirname "$0")/lib.sh"

# Run the harness and count: each unit-test check, each model run and
# the fuzzer run (model and fuzzer lines say how much they did).
claims_harness() {
    local out=$BUILD/claims-harness.log rc=0 line
    configure_tools
    make -C "$TREE/tools/tests/claims" run >"$out" 2>&1 || rc=$?
    grep -E '^(PASS|FAIL) ' "$out" | sed 's/^/  claims harness: /' || true
    while read -r line; do
        passed=$((passed + $(sed -E 's/^unit: ([0-9]+) passed.*/\1/' <<<"$line")))
        failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
    done < <(grep -E '^unit: [0-9]+ passed, [0-9]+ failed' "$out")
    # One verdict per random run (model, differential): its own count of
    # checks decides it.
    while read -r line; do
        if [[ "$line" =~ \ 0\ failed ]]; then
            echo "PASS claims $line"
            passed=$((passed + 1))
        else
            echo "FAIL claims $line"
            failed=$((failed + 1))
        fi
    done < <(grep -E '^(model|differential): [0-9]+ passed, [0-9]+ failed' "$out")
    grep -E '^(model|differential): (seed|installs|[0-9]+ claim)' "$out" | sed 's/^/  /' || true
    grep -E '^(FAIL (model|differential)|.*ASSERT|.*ERROR: AddressSanitizer|.*runtime error)' "$out" | head -n 5 || true
    if line=$(grep -E '^Done [0-9]+ runs' "$out"); then
        echo "PASS claims fuzzer: $line"
        passed=$((passed + 1))
    fi
    if [ "$rc" -ne 0 ]; then
        echo "FAIL claims harness: make run exited $rc; see ${out#"$TOP"/}"
        failed=$((failed + 1))
    fi
}

main() {
    local passed=0 failed=0 bad=0 n=0 f out=$BUILD/unit-selftest.log p q
    mkdir -p "$BUILD"
    # "unit.sh harness": the claims harness alone (make master-check).
    if [ "${1:-}" = harness ]; then
        claims_harness
        echo "unit: $passed passed, $failed failed"
        [ "$failed" -eq 0 ]
        return
    fi
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
    passed=$((passed + p)); failed=$((failed + q))
    if [ -d "$TREE/tools/tests/claims" ]; then
        claims_harness
    fi
    echo "unit: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

main "$@"
