# A boot storm: PV domains built by `xl create -p` all at once, on a host
# whose nodes end nearly full, twice: first with host-wide claims only
# (xl.conf numa_claims=0, what 4.17 does), then with claims per node
# (numa_claims=1). Two domains are bound to each node but node 0 (by
# cpus_soft), each sized to half of the node's free memory less a little,
# and one more domain without any affinity competes with them. Node 0
# keeps dom0 and Xen's DMA memory, and the competitor.
#
# With node claims, every page a bound domain claimed on its node must
# land there (libxl logs the claim set it installed; when the node could
# not take the whole domain because the competitor claimed first, the rest
# was claimed host-wide); in both runs no build may fail and no claim may
# be left. Where each domain's memory went is read with
# xc_domain_get_node_pages() (claimctl node-pages) and printed as a table
# per run, with the share of node-bound pages that landed on their node.
. /tests/scenarios/lib.sh

NODES=$(arg expect_nodes)
KERNEL=/guest/pv-stub
COMPETITOR_MB=256

# node_free_mb NODE: free less claimed memory of NODE, from xl info -n.
node_free_mb() {
    xl info -n | numa_rows | awk -v n="$1" '$1 == n { print $3 - $4 }'
}

# guest_cfg NAME MB [NODE]: a PV domain config, bound to NODE if given.
guest_cfg() {
    {
        echo "name = \"$1\""
        echo "type = \"pv\""
        echo "kernel = \"$KERNEL\""
        echo "memory = $2"
        echo "vcpus = 1"
        [ -z "$3" ] || echo "cpus_soft = \"node:$3\""
    } >"/tmp/storm-$1.cfg"
}

# uptime in centiseconds, for build times.
now_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

# build NAME: xl create -p, with its time and status in /tmp/storm-NAME.*
build() {
    local start rc=0
    start=$(now_cs)
    xl -vvv create -p "/tmp/storm-$1.cfg" >"/tmp/storm-$1.log" 2>&1 || rc=$?
    echo "$rc $(( $(now_cs) - start ))" >"/tmp/storm-$1.result"
}

# storm MODE: one storm with xl.conf numa_claims=MODE.
storm() {
    local mode=$1 n g mb names="" name pids="" failed=0 bound_pages=0
    local local_pages=0 start id rc cs total on share claim want whole=0
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=%s\n' "$mode" \
        >/etc/xen/xl.conf
    guest_cfg competitor "$COMPETITOR_MB"
    names="competitor"
    n=1
    while [ "$n" -lt "$NODES" ]; do
        mb=$(( ($(node_free_mb "$n") - 48) / 2 ))
        for g in a b; do
            guest_cfg "n$n$g" "$mb" "$n"
            names="$names n$n$g"
        done
        n=$((n + 1))
    done
    echo "    | storm numa_claims=$mode: $(echo $names | wc -w) builders at once"
    start=$(now_cs)
    for name in $names; do
        build "$name" &
        pids="$pids $!"
    done
    for n in $pids; do wait "$n"; done
    echo "    | storm numa_claims=$mode: all builds ended in $(( ($(now_cs) - start) / 100 )) s"
    printf '    | %-11s %5s %7s %9s %9s %7s %8s %-6s %s\n' domain node MiB \
        pages on-node share build-s result "claim set (libxl)"
    for name in $names; do
        read -r rc cs <"/tmp/storm-$name.result"
        n=$(sed -n 's/^cpus_soft = "node:\(.*\)"/\1/p' "/tmp/storm-$name.cfg")
        mb=$(sed -n 's/^memory = //p' "/tmp/storm-$name.cfg")
        if [ "$rc" -ne 0 ]; then
            failed=$((failed + 1))
            printf '    | %-11s %5s %7s %9s %9s %7s %8s %-6s\n' "$name" "${n:--}" \
                "$mb" - - - "$((cs / 100))" "FAILED"
            tail -n 3 "/tmp/storm-$name.log" | sed 's/^/    |   /'
            continue
        fi
        id=$(domid "$name")
        claimctl node-pages "$id" >/tmp/storm-pages.txt
        total=$(awk '{ s += $2 } END { print s + 0 }' /tmp/storm-pages.txt)
        on=$(awk -v n="${n:--1}" '$1 == n { print $2 }' /tmp/storm-pages.txt)
        on=${on:-0}
        share=-
        if [ -n "$n" ]; then
            share="$((on * 1000 / total))"
            bound_pages=$((bound_pages + total))
            local_pages=$((local_pages + on))
        fi
        claim=$(sed -n 's/.*claimed [0-9]* pages: //p' "/tmp/storm-$name.log")
        printf '    | %-11s %5s %7s %9s %9s %7s %8s %-6s %s\n' "$name" "${n:--}" \
            "$mb" "$total" "${n:+$on}" "$share" "$((cs / 100))" ok \
            "${claim:-host-wide}"
        if [ "$mode" = 1 ] && [ -n "$n" ]; then
            # The pages claimed on the node, from libxl's "N:pages".
            want=$(echo "$claim" | tr ' ' '\n' | awk -F: -v n="$n" '$1 == n { print $2 }')
            check_range "numa_claims=1: $name's pages on node $n cover its claim there" \
                "${want:-1}" "$total" "$on"
            [ "$on" -lt "$total" ] || whole=$((whole + 1))
        fi
    done
    echo "    | storm numa_claims=$mode: node-bound pages on their node:" \
         "$local_pages of $bound_pages ($((local_pages * 1000 / bound_pages)) per mille)," \
         "$failed failed build(s), total $(( ($(now_cs) - start) / 100 )) s"
    [ "$mode" = 0 ] || echo "    | storm numa_claims=1: $whole of $(( (NODES - 1) * 2 ))" \
         "bound domains entirely on their node"
    check_eq "numa_claims=$mode: no build failed" 0 "$failed"
    check_eq "numa_claims=$mode: no claim left after the builds (MiB)" 0 \
        "$(host_outstanding_mb)"
    for name in $names; do
        id=$(domid "$name") && xl destroy "$id"
    done
    check_eq "numa_claims=$mode: every domain destroyed" 0 \
        "$(xl list | grep -c -E '^(competitor|n[0-9]+[ab]) ')"
}

# placed: 2 * (NODES - 1) domains of 45 % of a node each, at once, all
# placed automatically (no affinity): builders that pick the same node see
# each other's claims, and one whose claim is refused is placed again.
# Each domain must end up entirely on one node, as libxl claimed it.
placed() {
    local n=0 mb names="" name pids="" id total most claim failed=0
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=1\n' >/etc/xen/xl.conf
    mb=$(( $(node_free_mb 1) * 45 / 100 ))
    while [ "$n" -lt $(( 2 * (NODES - 1) )) ]; do
        guest_cfg "auto$n" "$mb"
        names="$names auto$n"
        n=$((n + 1))
    done
    echo "    | placed: $(echo $names | wc -w) domains of $mb MiB at once"
    for name in $names; do
        build "$name" &
        pids="$pids $!"
    done
    for n in $pids; do wait "$n"; done
    for name in $names; do
        read -r rc cs <"/tmp/storm-$name.result"
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

[ "$NODES" -ge 3 ] || { skip "needs 3 nodes or more, has $NODES"; finish; }
storm 0
storm 1
placed
printf 'autoballoon="off"\nclaim_mode=1\n' >/etc/xen/xl.conf
finish
