# The boot storm, shared by xl-storm.sh (make check), demo-storm.sh
# (make demo) and bench-storm.sh (make bench). Sourced after lib.sh.
#
# Every domain is a PV guest of Debian's kernel (the decompressed
# vmlinux: dom0 maps it instead of unpacking a copy per build) built by
# `xl create -p`, and all of them are started at the same moment:
#
# - bound builders: two on each node but node 0, bound there by
#   cpus_soft, each half of the node's free memory less 8 MiB, so that the
#   nodes end nearly full;
# - rivals: STORM_RIVALS domains with no node affinity (cpus_soft = "all":
#   no automatic placement, so libxl claims their memory host-wide in both
#   modes), together two thirds of node 0's free memory (what node 0 has
#   above its DMA zone, on this bed). Xen serves their 2 MiB
#   extents from each node in turn, so unless something keeps them off,
#   about a quarter of them comes from each node the bound builders need.
#
# libxl claims a domain's memory right after max_mem, before the kernel is
# read, and populates after the kernel is parsed: in between, the claim is
# all that keeps the memory for the builder. With 4.17's host-wide claims
# (xl.conf numa_claims=0) nothing keeps a node's memory for anyone: a
# rival that populates before a bound builder of node K takes part of K,
# and the builder spills by as much. With claim sets (numa_claims=1) the
# bound builder's claim on K keeps K's memory for it from the moment it is
# staked; a rival that populated before the claim was staked still takes
# its share, and the builder then claims what K lacks host-wide. So the
# outcome depends on when each rival populates against each bound
# builder's claim and populate; every builder's log is timestamped
# (uptime as dom0 read each line of `xl -vvv create`) so that the report
# can say which case each pair was.
#
# The sizes are fixed once by storm_setup, so every run builds the same
# domains in the same order; only xl.conf's numa_claims differs.
#
# Each run prints, for make demo and make bench to read on the host:
#   STORM-DOMAIN mode=M run=R name=N node=K|- mb=MB rc=RC cs=CS
#       pages=P0,P1,... start=CS claim=CS pop=CS popend=CS claimed=SET
#   STORM-RUN mode=M run=R builders=B failed=F wall_cs=CS bound=BP local=LP
# (STORM-DOMAIN is one line.) pages are the domain's pages per node
# (xc_domain_get_node_pages()), local counts the bound domains' pages that
# are on their node. cs is the build time (start to end of xl create -p);
# start, claim (libxl's "claimed N pages"), pop (xc_dom_boot_mem_init
# called) and popend (libxl releases what is left of the claim) are
# centiseconds after the storm started, - when missing; claimed is
# libxl's claim set with ',' for ' '.

STORM_KERNEL=/guest/vmlinux
STORM_RIVALS=2
STORM_NODES=$(arg expect_nodes)
STORM_NAMES=""

say_phase() { echo "CLAIMTEST: PHASE $*"; }

# storm_cfg NAME MB [NODE|all]: a PV domain config; NODE binds it there by
# cpus_soft, "all" makes every CPU its soft affinity: xl then turns
# automatic placement off, as for any soft affinity, and the domain's node
# affinity is every node. (A hard affinity such as cpus = "all" leaves
# placement on in 4.17: libxl would place the domain on one node.)
storm_cfg() {
    {
        echo "name = \"$1\""
        echo "type = \"pv\""
        echo "kernel = \"$STORM_KERNEL\""
        echo "memory = $2"
        echo "vcpus = 1"
        case "$3" in
            "") ;;
            all) echo "cpus_soft = \"all\"" ;;
            *) echo "cpus_soft = \"node:$3\"" ;;
        esac
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
    mb=$(( $(node_free_mb 0) * 2 / 3 / STORM_RIVALS ))
    n=1
    while [ "$n" -le "$STORM_RIVALS" ]; do
        storm_cfg "r$n" "$mb" all
        STORM_NAMES="$STORM_NAMES r$n"
        n=$((n + 1))
    done
    echo "    | storm: $(echo $STORM_NAMES | wc -w) domains of Debian's kernel;" \
         "bound $(cfg_value n1a memory) MiB (node 1), rivals $mb MiB each"
}

# uptime in centiseconds.
now_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

# stamp: each line of stdin with dom0's uptime when it was read (shell
# builtins only: nothing is forked per line).
stamp() {
    local line up rest
    while IFS= read -r line; do
        read -r up rest </proc/uptime
        printf '%s %s\n' "$up" "$line"
    done
}

# storm_build NAME: xl -vvv create -p, its log (timestamped) in
# /tmp/storm-NAME.log, "RC START_CS END_CS" in /tmp/storm-NAME.result.
storm_build() {
    local start rc
    start=$(now_cs)
    { xl -vvv create -p "/tmp/storm-$1.cfg" 2>&1; echo "STORM-XL-EXIT $?"; } |
        stamp >"/tmp/storm-$1.log"
    rc=$(sed -n 's/^[0-9.]* STORM-XL-EXIT //p' "/tmp/storm-$1.log")
    echo "${rc:-255} $start $(now_cs)" >"/tmp/storm-$1.result"
}

# storm_times NAME START_CS: "CLAIM POP POPEND", centiseconds after
# START_CS at which NAME's libxl claimed, libxenguest began to populate
# and libxl released what was left of the claim (- when not logged).
storm_times() {
    awk -v s="$2" '
        function cs(t) { return int(t * 100 + 0.5) - s }
        /claimed [0-9]+ pages: / && c == "" { c = cs($1) }
        / xc_dom_boot_mem_init: called/ && p == "" { p = cs($1) }
        /released what is left of its claim/ && e == "" { e = cs($1) }
        END { print (c == "" ? "-" : c), (p == "" ? "-" : p), (e == "" ? "-" : e) }
    ' "/tmp/storm-$1.log"
}

cfg_value() { sed -n "s/^$2 = \"*\([^\"]*\)\"*$/\1/p" "/tmp/storm-$1.cfg"; }

# storm_run MODE RUN: one storm with xl.conf numa_claims=MODE. Checks that
# no build failed and no claim is left; that every builder claimed before
# it populated; that rivals were claimed host-wide, and bound builders
# host-wide with MODE 0 and on their node with MODE 1; and with MODE 1
# that every bound domain's pages on its node cover what libxl claimed
# there.
storm_run() {
    local mode=$1 run=$2 label name pids="" start wall failed=0 bound=0 lp=0
    local rc t0 t1 tc tp te node mb id pages total on want claim
    label=$([ "$mode" = 1 ] && echo "claim sets" || echo "host-wide claims")
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=%s\n' "$mode" \
        >/etc/xen/xl.conf
    say_phase "storm $run, $label: $(echo $STORM_NAMES | wc -w) xl create -p start at once"
    start=$(now_cs)
    for name in $STORM_NAMES; do
        storm_build "$name" &
        pids="$pids $!"
    done
    for id in $pids; do wait "$id"; done
    wall=$(( $(now_cs) - start ))
    say_phase "storm $run, $label: builds ended after $((wall / 100)) s"
    for name in $STORM_NAMES; do
        read -r rc t0 t1 <"/tmp/storm-$name.result"
        node=$(cfg_value "$name" cpus_soft | sed -n 's/^node://p')
        mb=$(cfg_value "$name" memory)
        id=$(domid "$name") || id=""
        pages=""
        total=0
        on=0
        if [ "$rc" -ne 0 ] || [ -z "$id" ]; then
            failed=$((failed + 1))
            grep -v ' STORM-XL-EXIT ' "/tmp/storm-$name.log" | tail -n 3 | sed 's/^/    |   /'
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
        claim=$(sed -n 's/.*claimed [0-9]* pages: //p' "/tmp/storm-$name.log" | head -n 1)
        set -- $(storm_times "$name" "$start")
        tc=$1 tp=$2 te=$3
        echo "STORM-DOMAIN mode=$mode run=$run name=$name node=${node:--} mb=$mb rc=$rc" \
             "cs=$((t1 - t0)) pages=${pages:--} start=$((t0 - start)) claim=$tc pop=$tp" \
             "popend=$te claimed=$(echo "${claim:--}" | tr ' ' ',')"
        if [ "$tc" != - ] && [ "$tp" != - ] && [ "$tc" -le "$tp" ]; then
            pass "$label, storm $run: $name claimed before it populated ($tc <= $tp cs)"
        else
            fail "$label, storm $run: $name claimed before it populated: claim at $tc, populate at $tp (cs)"
        fi
        if [ -z "$node" ] || [ "$mode" = 0 ]; then
            check_eq "$label, storm $run: $name is claimed host-wide" \
                "host:$(( mb * 256 ))" "$claim"
        elif [ "$rc" -eq 0 ]; then
            want=$(echo "$claim" | tr ' ' '\n' | awk -F: -v n="$node" '$1 == n { print $2 }')
            check_range "claim sets, storm $run: $name's pages on node $node cover its claim there ($claim)" \
                "${want:-1}" "$total" "$on"
        fi
    done
    echo "STORM-RUN mode=$mode run=$run builders=$(echo $STORM_NAMES | wc -w) failed=$failed wall_cs=$wall bound=$bound local=$lp"
    check_eq "$label, storm $run: no build failed" 0 "$failed"
    check_eq "$label, storm $run: no claim left after the builds (MiB)" 0 \
        "$(host_outstanding_mb)"
    for name in $STORM_NAMES; do
        id=$(domid "$name") && xl destroy "$id"
    done
    check_eq "$label, storm $run: every domain destroyed" 0 \
        "$(xl list | grep -c -E '^(n[0-9]+[ab]|r[0-9]+) ')"
    printf 'autoballoon="off"\nclaim_mode=1\n' >/etc/xen/xl.conf
}

# storm_needs_nodes: the storm needs node 0 plus two more nodes to bind to.
storm_needs_nodes() {
    [ "$STORM_NODES" -ge 3 ] && return 0
    skip "the storm needs 3 nodes or more, the host has $STORM_NODES"
    return 1
}
