#!/usr/bin/env bash
# make bench: instruction counts (callgrind), not timings. The series'
# page_alloc.c and the base's, built with release flags into the same
# harness (tools/tests/claims/bench.c), run the same N allocate+free
# pairs on the path where unclaimed memory serves the request: once with
# no claims anywhere, once while another domain holds claims. Also the
# cost of installing a claim set of 64 node entries. Then the boot storm
# and the placement storm of make demo on the emulated 4-node host,
# STORM_RUNS times (3) each with each claim mode, alternated: node-local
# share (for the placement storm, the share on the node(s) placement
# chose, and how many domains chose each node), failed builds, the median
# build time of a domain (start to end of its xl create -p) and its ratio
# claim sets / host-wide claims, and the storm's wall time (median and
# spread; figures of a TCG-emulated host, compare the modes with each
# other only). The figures of record go to build/bench/results.md and
# results.json, and to the terminal.
# STORM_RUNS=0 measures the instruction counts only (no QEMU).
#
#   bench.sh [--no-build]
#     --no-build     use what is built (and dom0's initramfs as it is)
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/bench
HARNESS=$TREE/tools/tests/claims
PAIRS=${PAIRS:-100000}
INSTALLS=${INSTALLS:-10000}
STORM_RUNS=${STORM_RUNS:-3}

# instructions FUNCTION BINARY ARGS...: Ir counted inside FUNCTION.
instructions() {
    local fn=$1 file
    shift
    file=$OUT/callgrind.$(basename "$1").${fn}.$$
    valgrind --tool=callgrind --toggle-collect="$fn" --callgrind-out-file="$file" \
        "$@" >/dev/null 2>"$file.log" || die "valgrind $* failed; see $file.log"
    awk '/^summary:/ { print $2 }' "$file"
}

# per COUNT TOTAL: TOTAL / COUNT with one decimal.
per() { awk -v t="$2" -v n="$1" 'BEGIN { printf "%.1f", t / n }'; }

# callgrind_figures: the allocator's cost, base against series, as
# "key value" lines (instructions per pair or per install).
callgrind_figures() {
    local variant b s
    for variant in none claims; do
        b=$(instructions bench_pairs "$HARNESS/bench_claims_base" pairs "$PAIRS" $variant)
        s=$(instructions bench_pairs "$HARNESS/bench_claims" pairs "$PAIRS" $variant)
        echo "pair_${variant}_base $(per "$PAIRS" "$b")"
        echo "pair_${variant}_series $(per "$PAIRS" "$s")"
    done
    s=$(instructions bench_installs "$HARNESS/bench_claims" install "$INSTALLS")
    echo "install64 $(per "$INSTALLS" "$s")"
}

main() {
    local build
    build_option bench "$@"
    build=$BUILD_FIRST
    check_number STORM_RUNS "$STORM_RUNS" 0 20
    # One or two storms per mode give no median worth recording.
    [ "$STORM_RUNS" = 0 ] || [ "$STORM_RUNS" -ge 3 ] ||
        die "STORM_RUNS must be 0 (no storms) or 3 or more, not $STORM_RUNS"
    check_number PAIRS "$PAIRS" 1000 100000000
    check_number INSTALLS "$INSTALLS" 100 10000000
    bash "$TOP/scripts/deps.sh"
    [ -d "$HARNESS" ] || die "no claims harness in build/xen (make tree)"
    configure_tools
    mkdir -p "$OUT"
    git -C "$TREE" show base:xen/common/page_alloc.c >"$OUT/page_alloc-base.c"
    make -s -C "$HARNESS" bench_claims bench_claims_base \
        BASE_PAGE_ALLOC="$OUT/page_alloc-base.c" >"$OUT/build.log" 2>&1 ||
        die "building the benchmark failed; see $OUT/build.log"
    timed "callgrind: allocator, base against series" callgrind_figures >"$OUT/callgrind.txt"
    if [ "$STORM_RUNS" = 0 ]; then
        # The instruction counts alone: no figures of record without storms.
        cat "$OUT/callgrind.txt"
        return 0
    fi
    if [ "$build" = 1 ]; then
        build_for_boot
    else
        need_built "run make bench without --no-build"
    fi
    log "boot storms, bound and placement: $STORM_RUNS each with host-wide claims" \
        "and $STORM_RUNS each with claim sets, alternated"
    NODES=4 NODE_MB=1024 CPUS_PER_NODE=1 SCENARIOS="bench-storm" \
        DOM0_ARGS="storm_runs=$STORM_RUNS" TIMEOUT=$((600 + STORM_RUNS * 900)) \
        SCENARIO_TIMEOUT=$((300 + STORM_RUNS * 900)) boot_with_progress bench ||
        die "the storm boot failed; see build/qemu/bench.log"
    python3 "$TOP/scripts/storm-report.py" "$BUILD/qemu/bench.log" json >"$OUT/storm.json"
    python3 "$TOP/scripts/bench-report.py" "$OUT/callgrind.txt" "$OUT/storm.json" \
        "$PAIRS" "$INSTALLS" "$OUT/results.json" >"$OUT/results.md"
    cat "$OUT/results.md"
    log "figures of record: ${OUT#"$TOP"/}/results.md and results.json"
}

main "$@"
