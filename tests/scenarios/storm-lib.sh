# The boot storm, shared by xl-storm.sh (make check), demo-storm.sh
# (make demo) and bench-storm.sh (make bench). Sourced after lib.sh.
#
# Six PV domains built by `xl create -p` at once on a host whose nodes
# end nearly full: two are bound to each node but node 0 (cpus_soft),
# each sized to half of the node's free memory less 8 MiB. At the same
# moment a competing domain without node affinity (created empty
# beforehand, as claimctl creates domains) grows by 4 MiB at a time to a
# quarter of a node (256 MiB on nodes of 1 GiB), taking memory wherever
# Xen finds it. Node 0 keeps dom0, Xen's DMA zone and room for the
# competitor. The sizes are fixed once by storm_setup, so every run
# builds the same domains in the same order against the same load; only
# xl.conf's numa_claims differs: 0 is 4.17's single host-wide claim, 1 is
# a claim set on the nodes of each domain.
#
# Claims protect memory from the moment they are staked. Under QEMU TCG
# an xl create takes seconds to reach its claim and well under one to
# populate, so the competitor's early allocations come before most
# claims in both modes; the builders that find their node short spill,
# and with claim sets libxl claims what the node lacks host-wide.
#
# Each run prints, for make demo and make bench to read on the host:
#   STORM-DOMAIN mode=M run=R name=N node=K|- mb=MB rc=RC cs=CS pages=P0,P1,...
#   STORM-RUN mode=M run=R builders=B failed=F wall_cs=CS bound=BP local=LP
# where pages are the domain's pages per node (xc_domain_get_node_pages())
# and local counts the node-bound domains' pages that are on their node.

STORM_KERNEL=/guest/pv-stub
# The competitor: a quarter of a node (256 MiB on nodes of 1 GiB).
STORM_COMPETITOR_MB=$(( $(arg expect_node_mb) / 4 ))
STORM_NODES=$(arg expect_nodes)
STORM_NAMES=""

say_phase() { echo "CLAIMTEST: PHASE $*"; }

# storm_cfg NAME MB [NODE]: a PV domain config, bound to NODE if given.
storm_cfg() {
    {
        echo "name = \"$1\""
        echo "type = \"pv\""
        echo "kernel = \"$STORM_KERNEL\""
        echo "memory = $2"
        echo "vcpus = 1"
        [ -z "$3" ] || echo "cpus_soft = \"node:$3\""
    } >"/tmp/storm-$1.cfg"
}

# storm_setup: size the domains from the host as it is now.
storm_setup() {
    local n=1 mb g
    STORM_NAMES=""
    while [ "$n" -lt "$STORM_NODES" ]; do
        mb=$(( ($(node_free_mb "$n") - 16) / 2 ))
        for g in a b; do
            storm_cfg "n$n$g" "$mb" "$n"
            STORM_NAMES="$STORM_NAMES n$n$g"
        done
        n=$((n + 1))
    done
}

# uptime in centiseconds, for build times.
now_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

# storm_build NAME: xl create -p, its status and time in /tmp/storm-NAME.*
storm_build() {
    local start rc=0
    start=$(now_cs)
    xl -vvv create -p "/tmp/storm-$1.cfg" >"/tmp/storm-$1.log" 2>&1 || rc=$?
    echo "$rc $(( $(now_cs) - start ))" >"/tmp/storm-$1.result"
}

# storm_compete ID: the competing load: domain ID grows by 4 MiB at a
# time, on no node in particular, to STORM_COMPETITOR_MB; status and time
# in /tmp/storm-competitor.result.
storm_compete() {
    local start rc=0 left=$((STORM_COMPETITOR_MB / 4))
    start=$(now_cs)
    while [ "$left" -gt 0 ]; do
        claimctl populate "$1" -1 1024 >/dev/null || { rc=$?; break; }
        left=$((left - 1))
    done
    echo "$rc $(( $(now_cs) - start ))" >/tmp/storm-competitor.result
}

cfg_value() { sed -n "s/^$2 = \"*\([^\"]*\)\"*$/\1/p" "/tmp/storm-$1.cfg"; }

# storm_run MODE RUN: one storm with xl.conf numa_claims=MODE; checks that
# no build failed and no claim is left, and with MODE 1 that every bound
# domain's pages on its node cover what libxl claimed there.
storm_run() {
    local mode=$1 run=$2 label name pids="" start wall failed=0 bound=0 lp=0
    local rc cs node mb id pages total on want claim rival
    label=$([ "$mode" = 1 ] && echo "claim sets" || echo "host-wide claims")
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=%s\n' "$mode" \
        >/etc/xen/xl.conf
    rival=$(claimctl create $((STORM_COMPETITOR_MB + 8))) ||
        { fail "$label, storm $run: creating the competing domain: $rival"; return; }
    say_phase "storm $run, $label: $(echo $STORM_NAMES | wc -w) builders and the competitor start"
    start=$(now_cs)
    for name in $STORM_NAMES; do
        storm_build "$name" &
        pids="$pids $!"
    done
    storm_compete "$rival" &
    pids="$pids $!"
    for id in $pids; do wait "$id"; done
    wall=$(( $(now_cs) - start ))
    say_phase "storm $run, $label: builds ended after $((wall / 100)) s"
    for name in $STORM_NAMES competitor; do
        read -r rc cs <"/tmp/storm-$name.result"
        node=""
        mb=$STORM_COMPETITOR_MB
        id=$rival
        if [ "$name" != competitor ]; then
            node=$(cfg_value "$name" cpus_soft | sed -n 's/^node://p')
            mb=$(cfg_value "$name" memory)
            id=$(domid "$name") || id=""
        fi
        pages=""
        total=0
        on=0
        if [ "$rc" -ne 0 ]; then
            failed=$((failed + 1))
            [ ! -f "/tmp/storm-$name.log" ] || tail -n 3 "/tmp/storm-$name.log" | sed 's/^/    |   /'
        else
            claimctl node-pages "$id" >/tmp/storm-pages.txt
            pages=$(awk '{ printf "%s%s", (NR > 1 ? "," : ""), $2 }' /tmp/storm-pages.txt)
            total=$(awk '{ s += $2 } END { print s + 0 }' /tmp/storm-pages.txt)
            if [ -n "$node" ]; then
                on=$(awk -v n="$node" '$1 == n { print $2 }' /tmp/storm-pages.txt)
                bound=$((bound + total))
                lp=$((lp + on))
            fi
        fi
        echo "STORM-DOMAIN mode=$mode run=$run name=$name node=${node:--} mb=$mb rc=$rc cs=$cs pages=${pages:--}"
        [ "$name" != competitor ] || continue
        claim=$(sed -n 's/.*claimed [0-9]* pages: //p' "/tmp/storm-$name.log")
        [ -z "$claim" ] || echo "    | $name: libxl claimed $claim"
        if [ "$mode" = 1 ] && [ "$rc" -eq 0 ]; then
            want=$(echo "$claim" | tr ' ' '\n' | awk -F: -v n="$node" '$1 == n { print $2 }')
            check_range "claim sets, storm $run: $name's pages on node $node cover its claim there" \
                "${want:-1}" "$total" "$on"
        fi
    done
    echo "STORM-RUN mode=$mode run=$run builders=$(( $(echo $STORM_NAMES | wc -w) + 1 )) failed=$failed wall_cs=$wall bound=$bound local=$lp"
    check_eq "$label, storm $run: no build failed, the competitor got its memory" 0 "$failed"
    check_eq "$label, storm $run: no claim left after the builds (MiB)" 0 \
        "$(host_outstanding_mb)"
    for name in $STORM_NAMES; do
        id=$(domid "$name") && xl destroy "$id"
    done
    claimctl destroy "$rival" >/dev/null
    check_eq "$label, storm $run: every domain destroyed" 0 \
        "$(xl list | grep -c -E '^(n[0-9]+[ab]) ')"
    printf 'autoballoon="off"\nclaim_mode=1\n' >/etc/xen/xl.conf
}

# storm_needs_nodes: the storm needs node 0 plus two more nodes to bind to.
storm_needs_nodes() {
    [ "$STORM_NODES" -ge 3 ] && return 0
    skip "the storm needs 3 nodes or more, the host has $STORM_NODES"
    return 1
}

