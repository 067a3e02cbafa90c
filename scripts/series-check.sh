#!/usr/bin/env bash
# make series-check: what a reviewer bisecting the series needs. The
# series' hygiene (series_hygiene) and the style of every added line
# (series_style), no new cppcheck finding (scripts/cppcheck.sh), then
# each commit of build/xen since the base checked out
# in a worktree of its own (build/series-wt): the debug hypervisor is
# built out of tree (build/series-hv) after every patch, and the tools
# (in the worktree, as Xen builds them) after every patch that touches
# tools/. All builds are incremental.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

WT=$BUILD/series-wt
OUT=$BUILD/series-hv

# build_tools_at N: the tools of the worktree's commit (patch N).
build_tools_at() {
    local n=$1
    if [ ! -f "$WT/config/Tools.mk" ]; then
        (cd "$WT" && ./configure "${TOOLS_CONFIGURE[@]}") >"$OUT/tools-configure.log" 2>&1 ||
            return 1
    fi
    make -C "$WT" -j"${JOBS:-2}" dist-tools PYTHON=/usr/bin/python3 >"$OUT/tools-$n.log" 2>&1
}

main() {
    local commit n=0 total failed=0 subject checks
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
    if series_hygiene >"$OUT/hygiene.log"; then
        echo "PASS series: no binary or ignored file; every patch signed off"
    else
        sed 's/^/  /' "$OUT/hygiene.log"
        echo "FAIL series: hygiene (see above)"
        failed=$((failed + 1))
    fi
    if series_style >"$OUT/style.log"; then
        echo "PASS series: style of added lines (white space, tabs and 80 columns, if ( x ) in xen/)"
    else
        sed 's/^/  /' "$OUT/style.log"
        echo "FAIL series: style of added lines (see above)"
        failed=$((failed + 1))
    fi
    if bash "$TOP/scripts/cppcheck.sh" >"$OUT/cppcheck.log" 2>&1; then
        echo "PASS series: no new cppcheck finding in the hypervisor files it changes"
    else
        grep -v '^PASS' "$OUT/cppcheck.log" | sed 's/^/  /'
        echo "FAIL series: new cppcheck findings (see above)"
        failed=$((failed + 1))
    fi
    checks=3
    for commit in $(tgit rev-list --reverse base..HEAD); do
        n=$((n + 1))
        subject=$(tgit log -1 --format=%s "$commit")
        git -C "$WT" checkout -q --detach "$commit"
        if timed "patch $n/$total: $subject" \
            make -C "$WT/xen" O="$OUT" -j"${JOBS:-2}" >"$OUT/build-$n.log" 2>&1; then
            echo "PASS series: patch $n builds: $subject"
        else
            echo "FAIL series: patch $n does not build: $subject (see ${OUT#"$TOP"/}/build-$n.log)"
            failed=$((failed + 1))
        fi
        checks=$((checks + 1))
        tgit diff --name-only "$commit^" "$commit" | grep -q '^tools/' || continue
        checks=$((checks + 1))
        if timed "patch $n/$total: tools" build_tools_at "$n"; then
            echo "PASS series: patch $n builds the tools: $subject"
        else
            echo "FAIL series: patch $n does not build the tools: $subject (see ${OUT#"$TOP"/}/tools-$n.log)"
            failed=$((failed + 1))
        fi
    done
    echo "series: $((checks - failed)) passed, $failed failed"
    [ "$failed" -eq 0 ]
}

main "$@"
