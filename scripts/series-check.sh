#!/usr/bin/env bash
# make series-check: what a reviewer bisecting the series needs. The
# series' hygiene (series_hygiene) and the style of every added line
# (series_style), no new cppcheck finding (scripts/cppcheck.sh), then
# each commit of build/xen since the base checked out
# in a worktree of its own (build/series-wt): the debug hypervisor is
# built out of tree (build/series-hv) after every patch, and the tools
# (in the worktree, as Xen builds them) after every patch that touches
# tools/. All builds are incremental.
#
# The series must come in the order a reviewer reads it (series_order:
# hypervisor, claims harness, tools, docs), make post must write it as it
# would be mailed (numbered, diffstats, To:/Cc:), and its hypervisor part must
# stand alone: at the last commit of that part, the claims harness runs,
# and the hypervisor boots under QEMU with the tools of that commit
# (the base's own, with the new public headers) and runs the scenarios
# that need no tools patch (HV_PART_SCENARIOS), the claim programs
# calling the new hypercalls raw (tests/progs/hvonly-xc.h).
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

WT=$BUILD/series-wt
OUT=$BUILD/series-hv

# build_tools: the tools of the worktree's commit, configured once.
build_tools() {
    # A subshell, so that configure_tools's die fails this step only.
    (configure_tools "$WT") &&
        make -C "$WT" -j"${JOBS:-2}" dist-tools PYTHON=/usr/bin/python3
}

CHECKS=0 FAILED=0
HV_PART_SCENARIOS=${HV_PART_SCENARIOS:-"claim-set xc-legacy-claim numa-meminfo claim-offline claim-demo node-pages host-claim"}

# hv_part_boot: the hypervisor part's debug build, booted with the
# worktree's tools, in a build directory of its own (build/hv-part)
# that shares the downloads.
hv_part_boot() {
    local b=$BUILD/hv-part
    mkdir -p "$b/hv-debug"
    ln -sfn "$WT" "$b/xen"
    ln -sfn "$DL" "$b/dl"
    cp "$OUT/xen" "$b/hv-debug/xen"
    BUILD=$b bash "$TOP/scripts/initramfs.sh" &&
        BUILD=$b NODES=4 NODE_MB=1024 SCENARIOS="$HV_PART_SCENARIOS" \
            bash "$TOP/scripts/qemu-run.sh" hv-part
}

# hv_part_checks N BUILT: the hypervisor part (patches 1..N) alone; BUILT
# is 1 if the loop has just built the tools of patch N.
hv_part_checks() {
    local n=$1
    [ "$2" = 1 ] || timed "hypervisor part: tools" check_step \
        "patches 1-$n (the hypervisor part) build the base's tools with the new headers" \
        "$OUT/hv-part-tools.log" build_tools
    timed "hypervisor part: harness" check_step \
        "patches 1-$n: the claims harness passes" \
        "$OUT/hv-part-harness.log" make -C "$WT/tools/tests/claims" run
    timed "hypervisor part: boot" check_step \
        "patches 1-$n: the base's tools and the claim programs on the hypervisor part ($HV_PART_SCENARIOS)" \
        "$OUT/hv-part-boot.log" hv_part_boot
    grep -E 'boot hv-part: [0-9]+ passed' "$OUT/hv-part-boot.log" || true
}

# check_step WHAT LOG CMD...: run CMD with its output in LOG and say PASS
# or FAIL for WHAT; a failure shows the end of LOG (its PASS lines left
# out) and names it.
check_step() {
    local what=$1 log=$2
    shift 2
    CHECKS=$((CHECKS + 1))
    if "$@" >"$log" 2>&1; then
        echo "PASS series: $what"
    else
        grep -v '^PASS' "$log" | tail -n 20 | sed 's/^/  /'
        echo "FAIL series: $what (see ${log#"$TOP"/})"
        FAILED=$((FAILED + 1))
    fi
}

main() {
    local commit n=0 total subject hv_end built
    total=$(tgit rev-list --count base..HEAD)
    if [ ! -d "$WT" ]; then
        tgit worktree add -q --detach "$WT" base
    fi
    mkdir -p "$OUT"
    if [ ! -f "$OUT/.config" ]; then
        make -s -C "$WT/xen" O="$OUT" defconfig >/dev/null
        echo 'CONFIG_DEBUG=y' >>"$OUT/.config"
        make -s -C "$WT/xen" O="$OUT" olddefconfig >/dev/null 2>&1
    fi
    check_step "no binary or ignored file; every patch signed off" \
        "$OUT/hygiene.log" series_hygiene
    check_step "style of added lines (white space, tabs and 80 columns, if ( x ) in xen/)" \
        "$OUT/style.log" series_style
    check_step "no new cppcheck finding in the hypervisor files it changes" \
        "$OUT/cppcheck.log" bash "$TOP/scripts/cppcheck.sh"
    check_step "in a reviewer's order: hypervisor, claims harness, tools, docs" \
        "$OUT/order.log" series_order
    check_step "as mailed (make post): numbered, each with its diffstat, To: and Cc:" \
        "$OUT/post.log" bash "$TOP/scripts/post.sh"
    hv_end=$(hypervisor_part_end)
    for commit in $(tgit rev-list --reverse base..HEAD); do
        n=$((n + 1))
        subject=$(tgit log -1 --format=%s "$commit")
        git -C "$WT" checkout -q --detach "$commit"
        timed "patch $n/$total: $subject" check_step "patch $n builds: $subject" \
            "$OUT/build-$n.log" make -C "$WT/xen" O="$OUT" -j"${JOBS:-2}"
        built=0
        if tgit diff --name-only "$commit^" "$commit" | grep -q '^tools/'; then
            timed "patch $n/$total: tools" check_step "patch $n builds the tools: $subject" \
                "$OUT/tools-$n.log" build_tools
            built=1
        fi
        [ "$n" -ne "$hv_end" ] || hv_part_checks "$n" "$built"
    done
    echo "series: $((CHECKS - FAILED)) passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

main "$@"
