#!/usr/bin/env bash
# make series-check: the hypervisor must build after every patch, as a
# reviewer bisecting the series needs. Each commit of build/xen since the
# base is checked out in a worktree of its own (build/series-wt) and the
# debug hypervisor built out of tree (build/series-hv), incrementally.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

WT=$BUILD/series-wt
OUT=$BUILD/series-hv

main() {
    local commit n=0 total failed=0 subject
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
    done
    echo "series: $((total + 1 - failed)) passed, $failed failed"
    [ "$failed" -eq 0 ]
}

main "$@"
