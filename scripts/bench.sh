#!/usr/bin/env bash
# make bench: instruction counts (callgrind), not timings. The series'
# page_alloc.c and the base's, built with release flags into the same
# harness (tools/tests/claims/bench.c), run the same N allocate+free
# pairs on the path where unclaimed memory serves the request: once with
# no claims anywhere, once while another domain holds claims. Also the
# cost of installing a claim set of 64 node entries. Results go to
# build/bench/results.txt as well as the terminal.
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/bench
HARNESS=$TREE/tools/tests/claims
PAIRS=${PAIRS:-100000}
INSTALLS=${INSTALLS:-10000}

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

main() {
    local variant label b s
    bash "$TOP/scripts/deps.sh"
    [ -d "$HARNESS" ] || die "no claims harness in build/xen (make tree)"
    mkdir -p "$OUT"
    git -C "$TREE" show base:xen/common/page_alloc.c >"$OUT/page_alloc-base.c"
    make -s -C "$HARNESS" bench_claims bench_claims_base \
        BASE_PAGE_ALLOC="$OUT/page_alloc-base.c" >"$OUT/build.log" 2>&1 ||
        die "building the benchmark failed; see $OUT/build.log"
    {
        echo "allocate+free pairs (order 0, $PAIRS pairs), instructions per pair:"
        printf '  %-28s %10s %10s %8s\n' "case" "base" "series" "change"
        for variant in none claims; do
            b=$(instructions bench_pairs "$HARNESS/bench_claims_base" pairs "$PAIRS" $variant)
            s=$(instructions bench_pairs "$HARNESS/bench_claims" pairs "$PAIRS" $variant)
            case "$variant" in
                none) label="no claims" ;;
                claims) label="another domain holds claims" ;;
            esac
            printf '  %-28s %10s %10s %7s%%\n' "$label" \
                "$(per "$PAIRS" "$b")" "$(per "$PAIRS" "$s")" \
                "$(awk -v b="$b" -v s="$s" 'BEGIN { printf "%+.2f", (s - b) * 100 / b }')"
        done
        s=$(instructions bench_installs "$HARNESS/bench_claims" install "$INSTALLS")
        echo "installing a claim set of 64 node entries ($INSTALLS installs):"
        echo "  $(per "$INSTALLS" "$s") instructions per install"
    } | tee "$OUT/results.txt"
}

main "$@"
