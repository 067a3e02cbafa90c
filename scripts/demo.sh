#!/usr/bin/env bash
# make demo: what claim sets are for, on a real Xen. Boots an emulated
# 4-node host. First a short act (tests/scenarios/demo-act.sh): a builder
# claims most of a node, another domain allocates on no node in
# particular, the builder populates its node; where each domain's pages
# went, with 4.17's host-wide claim and with a claim set. Then the same
# boot storm twice (tests/scenarios/storm-lib.sh): bound and unbound
# domains of Debian's kernel built by xl create -p at once, first with
# host-wide claims, then with claim sets; the claim mode is the only
# difference. Then the placement storm the same way: more domains than
# nodes, all placed by libxl's automatic NUMA placement at once. Prints
# the act, then for each run of each storm where every domain's memory
# went, when each builder claimed and populated, and a summary, and draws
# them to build/demo/storm.png and place.png (and .svg).
#
#   demo.sh [--nodes N] [--node-mb MB] [--no-build]
#     --nodes N      emulated NUMA nodes (4 or more; default 4)
#     --node-mb MB   memory per node (1024 to 4096; default 1024)
#     --no-build     use what is built; fail if something is missing
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/demo



main() {
    local nodes=4 node_mb=1024 build=1 rc=0 start
    while [ $# -gt 0 ]; do
        case "$1" in
            --nodes) [ $# -ge 2 ] || usage_from_header; nodes=$2; shift 2 ;;
            --node-mb) [ $# -ge 2 ] || usage_from_header; node_mb=$2; shift 2 ;;
            --no-build) build=0; shift ;;
            -h|--help) usage_from_header ;;
            *) echo "demo: unknown option '$1'" >&2; usage_from_header ;;
        esac
    done
    check_number "--nodes" "$nodes" 1 8
    # Node 0 keeps dom0; the storm needs 3 more nodes for 6 bound builders.
    [ "$nodes" -ge 4 ] || die "a topology of $nodes node(s) is too small for the storm:" \
        "it binds two builders to each node but node 0, and needs 6 of them (--nodes 4 or more)"
    check_number "--node-mb" "$node_mb" 1024 4096
    start=$(date +%s)
    if [ "$build" = 1 ]; then
        timed "packages" bash "$TOP/scripts/deps.sh"
        need_packages gnuplot-nox
        build_for_boot
    else
        command -v gnuplot >/dev/null || die "gnuplot is missing (make demo without --no-build installs it)"
        need_built "run make demo without --no-build"
    fi
    log "booting $nodes nodes of $node_mb MiB: the act, then the storms, host-wide claims then claim sets"
    NODES=$nodes NODE_MB=$node_mb CPUS_PER_NODE=1 SCENARIOS="demo-act demo-storm" \
        TIMEOUT=1500 SCENARIO_TIMEOUT=900 boot_with_progress demo || rc=$?
    mkdir -p "$OUT"
    echo
    python3 "$TOP/scripts/storm-report.py" "$BUILD/qemu/demo.log" act |
        tee "$OUT/summary.txt" || die "the act did not finish; see build/qemu/demo.log"
    if ! grep -q '^STORM-RUN mode=1' "$BUILD/qemu/demo.log" ||
       ! grep -q '^PLACE-RUN mode=1' "$BUILD/qemu/demo.log"; then
        die "the storms did not finish; see build/qemu/demo.log"
    fi
    python3 "$TOP/scripts/storm-report.py" "$BUILD/qemu/demo.log" tables |
        tee -a "$OUT/summary.txt"
    python3 "$TOP/scripts/storm-report.py" "$BUILD/qemu/demo.log" json >"$OUT/storm.json"
    python3 "$TOP/scripts/storm-report.py" "$BUILD/qemu/demo.log" plot "$OUT" >/dev/null
    echo
    echo "pictures: ${OUT#"$TOP"/}/storm.png and place.png (and .svg);" \
         "figures: ${OUT#"$TOP"/}/storm.json"
    log "make demo took $(( $(date +%s) - start )) s"
    [ "$rc" -eq 0 ] || log "the boot reported failures: see build/qemu/demo.log"
    return "$rc"
}

main "$@"
