# make check's boot storm (storm-lib.sh): the same domains built at once
# with host-wide claims, then with claim sets; then domains placed
# automatically, all at once (stub kernel: only placement is checked).
. /tests/scenarios/lib.sh
. /tests/scenarios/storm-lib.sh

# placed: 2 * (STORM_NODES - 1) domains of 45 % of a node each, at once, all
# placed automatically (no affinity): builders that pick the same node see
# each other's claims, and one whose claim is refused is placed again.
# Each domain must end up entirely on one node, as libxl claimed it.
placed() {
    local n=0 mb names="" name pids="" id total most claim failed=0
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=1\n' >/etc/xen/xl.conf
    STORM_KERNEL=/guest/pv-stub
    mb=$(( $(node_free_mb 1) * 45 / 100 ))
    while [ "$n" -lt $(( 2 * (STORM_NODES - 1) )) ]; do
        storm_cfg "auto$n" "$mb"
        names="$names auto$n"
        n=$((n + 1))
    done
    echo "    | placed: $(echo $names | wc -w) domains of $mb MiB at once"
    for name in $names; do
        storm_build "$name" &
        pids="$pids $!"
    done
    for n in $pids; do wait "$n"; done
    for name in $names; do
        read -r rc _ <"/tmp/storm-$name.result"
        if [ "$rc" -ne 0 ]; then
            failed=$((failed + 1))
            continue
        fi
        id=$(domid "$name")
        claimctl node-pages "$id" >/tmp/storm-pages.txt
        total=$(awk '{ s += $2 } END { print s + 0 }' /tmp/storm-pages.txt)
        most=$(sort -k2 -n /tmp/storm-pages.txt | tail -n 1)
        claim=$(sed -n 's/.*claimed [0-9]* pages: //p' "/tmp/storm-$name.log")
        echo "    | $name: $total pages, most on node ${most% *}" \
             "(${most#* }), claim set ${claim:-host-wide}$(grep -q 'placing again' \
             "/tmp/storm-$name.log" && echo ', placed again')"
        check_eq "placed: $name is entirely on one node" "$total" "${most#* }"
        xl destroy "$id"
    done
    check_eq "placed: no build failed" 0 "$failed"
    check_eq "placed: no claim left (MiB)" 0 "$(host_outstanding_mb)"
}

if storm_needs_nodes; then
    storm_setup
    storm_run 0 1
    storm_run 1 1
    placed
fi
finish
