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
#       pages=P0,P1,... start=CS claim=CS pop=CS popend=CS lockwait=MS
#       lockheld=MS small=P claimed=SET
#   STORM-RUN mode=M run=R builders=B failed=F wall_cs=CS bound=BP local=LP
# (STORM-DOMAIN is one line.) pages are the domain's pages per node
# (xc_domain_get_node_pages()), local counts the bound domains' pages that
# are on their node. cs is the build time (start to end of xl create -p);
# start, claim (libxl's "claimed N pages"), pop (xc_dom_boot_mem_init
# called) and popend (libxl releases what is left of the claim) are
# centiseconds after the storm started, - when missing; lockwait,
# lockheld and small are build_costs'; claimed is libxl's claim set with
# ',' for ' '.

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

# build_costs NAME: "WAIT HELD SMALL": the milliseconds NAME's libxl
# waited for the placement lock and held it (- without the lock: with
# host-wide claims), and the 4 KiB pages libxenguest populated one at a
# time where it could not get 2 MiB extents (- when not logged).
build_costs() {
    awk '
        /placement lock taken after [0-9]+ ms/ { for (i = 1; i < NF; i++) if ($i == "after") w = $(i + 1) }
        /placement lock held for [0-9]+ ms/ { for (i = 1; i < NF; i++) if ($i == "for") h = $(i + 1) }
        /PV memory: [0-9]+ 2MB extents, [0-9]+ 4KB pages/ { for (i = 1; i < NF; i++) if ($i == "extents,") p = $(i + 1) }
        END { print (w == "" ? "-" : w), (h == "" ? "-" : h), (p == "" ? "-" : p) }
    ' "/tmp/storm-$1.log"
}

# storm_mode MODE: xl.conf with numa_claims=MODE; its name on stdout.
storm_mode() {
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=%s\n' "$1" \
        >/etc/xen/xl.conf
    [ "$1" = 1 ] && echo "claim sets" || echo "host-wide claims"
}

# storm_start NAME...: storm_build every NAME at the same moment and wait
# for all; STORM_START is when they started (uptime, cs), STORM_WALL how
# long until the last ended (cs).
storm_start() {
    local name pids="" pid
    STORM_START=$(now_cs)
    for name in "$@"; do
        storm_build "$name" &
        pids="$pids $!"
    done
    for pid in $pids; do wait "$pid"; done
    STORM_WALL=$(( $(now_cs) - STORM_START ))
}

# storm_destroy WHAT NAME...: destroy the domains NAME... that exist,
# check that none is left, and put xl.conf back as the boot has it.
storm_destroy() {
    local what=$1 name id left=0
    shift
    for name in "$@"; do
        id=$(domid "$name") && xl destroy "$id"
    done
    for name in "$@"; do
        domid "$name" >/dev/null && left=$((left + 1))
    done
    check_eq "$what: every domain destroyed" 0 "$left"
    printf 'autoballoon="off"\nclaim_mode=1\n' >/etc/xen/xl.conf
}

# build_failed NAME: one more failed build; the end of its log.
build_failed() {
    failed=$((failed + 1))
    grep -v ' STORM-XL-EXIT ' "/tmp/storm-$1.log" | tail -n 3 | sed 's/^/    |   /'
}

# read_pages ID: the domain's pages per node in /tmp/storm-pages.txt, and
# as $pages ("P0,P1,...") and $total.
read_pages() {
    claimctl node-pages "$1" >/tmp/storm-pages.txt
    pages=$(awk '{ printf "%s%s", (NR > 1 ? "," : ""), $2 }' /tmp/storm-pages.txt)
    total=$(awk '{ s += $2 } END { print s + 0 }' /tmp/storm-pages.txt)
}

cfg_value() { sed -n "s/^$2 = \"*\([^\"]*\)\"*$/\1/p" "/tmp/storm-$1.cfg"; }

# storm_run MODE RUN: one storm with xl.conf numa_claims=MODE. Checks that
# no build failed and no claim is left; that every builder claimed before
# it populated; that rivals were claimed host-wide, and bound builders
# host-wide with MODE 0 and on their node with MODE 1; and with MODE 1
# that every bound domain's pages on its node cover what libxl claimed
# there.
storm_run() {
    local mode=$1 run=$2 label name start wall failed=0 bound=0 lp=0
    local rc t0 t1 tc tp te node mb id pages total on want claim
    label=$(storm_mode "$mode")
    say_phase "storm $run, $label: $(echo $STORM_NAMES | wc -w) xl create -p start at once"
    storm_start $STORM_NAMES
    start=$STORM_START wall=$STORM_WALL
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
            build_failed "$name"
        else
            read_pages "$id"
            if [ -n "$node" ]; then
                on=$(awk -v n="$node" '$1 == n { print $2 }' /tmp/storm-pages.txt)
                bound=$((bound + total))
                lp=$((lp + on))
            fi
        fi
        claim=$(sed -n 's/.*claimed [0-9]* pages: //p' "/tmp/storm-$name.log" | head -n 1)
        set -- $(storm_times "$name" "$start") $(build_costs "$name")
        tc=$1 tp=$2 te=$3
        echo "STORM-DOMAIN mode=$mode run=$run name=$name node=${node:--} mb=$mb rc=$rc" \
             "cs=$((t1 - t0)) pages=${pages:--} start=$((t0 - start)) claim=$tc pop=$tp" \
             "popend=$te lockwait=$4 lockheld=$5 small=$6" \
             "claimed=$(echo "${claim:--}" | tr ' ' ',')"
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
    storm_destroy "$label, storm $run" $STORM_NAMES
}

# The placement storm: 2 * (nodes - 1) PV domains with no cpus, cpus_soft
# or vnuma, so that libxl's automatic NUMA placement chooses each one's
# node(s), all started at once. Each is 45 % of the free memory of the
# emptiest node but node 0 (dom0's), so that a node takes at most two of
# them; node 0 takes what its free memory fits (on the 4-node bed, none).
# 4.17's placement prefers the candidate on which the fewest vcpus may
# run (a domain counts where its node affinity is, so one placed before
# counts on its node only), then the one with the most free memory.
#
# With claim sets (numa_claims=1) libxl places and claims one domain at a
# time under its lock, and placement counts claimed memory as taken: a
# node that holds two claims has too little left for a third, and each
# domain claims, and is populated, on the node chosen for it. With
# host-wide claims (numa_claims=0) there is no lock, placement reads free
# memory that nothing has populated yet, and builders that place at the
# same moment see the same figures and may choose the same node; a node
# chosen by three spills. Whether that happens is what the storm shows.
#
# Each run prints, one line each:
#   PLACE-DOMAIN mode=M run=R name=N mb=MB rc=RC cs=CS pages=P0,P1,...
#       nodes=SET seen=MB cands=V:MB,... start=CS place0=CS place=CS
#       claim=CS pop=CS popend=CS lockwait=MS lockheld=MS small=P again=0|1
#       claimed=SET
#   PLACE-RUN mode=M run=R builders=B failed=F wall_cs=CS pages=P
#       chosen=P fit=F0,F1,... chose=C0,C1,...
# nodes is the node affinity placement left (xl list -n: "3", "1-2");
# seen is the free memory placement saw on it (libxl's "... KB free
# selected", which is MiB); cands are the candidates placement took in
# turn for the best (vcpus that may run there and free MiB: 4.17 prefers
# the fewest vcpus, then the most free memory); place0 and place are when placement found its
# first candidate and when it chose (centiseconds after the storm began,
# as in STORM-DOMAIN); again=1 when libxl placed the domain again after a
# refused claim. In PLACE-RUN, pages are all the domains' pages, chosen
# those on the nodes placement chose, fit how many domains each node's
# free memory took at place_setup, chose how many domains chose each node.

PLACE_NAMES=""
PLACE_FIT=""

# place_setup: size the placement storm's domains from the host as it is
# now (before the first run, once).
place_setup() {
    local n=1 free least="" mb
    while [ "$n" -lt "$STORM_NODES" ]; do
        free=$(node_free_mb "$n")
        if [ -z "$least" ] || [ "$free" -lt "$least" ]; then least=$free; fi
        n=$((n + 1))
    done
    mb=$(( least * 45 / 100 ))
    PLACE_NAMES="" PLACE_FIT=""
    n=0
    while [ "$n" -lt "$STORM_NODES" ]; do
        PLACE_FIT="$PLACE_FIT${PLACE_FIT:+,}$(( $(node_free_mb "$n") / mb ))"
        n=$((n + 1))
    done
    n=1
    while [ "$n" -le $(( 2 * (STORM_NODES - 1) )) ]; do
        storm_cfg "p$n" "$mb"
        PLACE_NAMES="$PLACE_NAMES p$n"
        n=$((n + 1))
    done
    echo "    | placement storm: $(echo $PLACE_NAMES | wc -w) domains of $mb MiB" \
         "(45 % of node $least MiB free), placed automatically; domains each" \
         "node's free memory fits: $PLACE_FIT"
}

# nodes_list SET: "1-2,4" (print_bitmap's form) as "1 2 4"; "all" as
# every node.
nodes_list() {
    echo "$1" | tr ',' '\n' | awk -F- -v last=$((STORM_NODES - 1)) '
        $1 == "all" { $1 = 0; $2 = last }
        { for (n = $1; n <= ($2 == "" ? $1 : $2); n++) printf "%d ", n }'
}

# place_times NAME START_CS: "PLACE0 PLACE SEEN CANDS", as storm_times;
# CANDS are the candidates of the first placement that were each the best
# so far when placement found them, in the order it found them (1-node
# candidates come node by node), as VCPUS:MIB,... (- when not logged).
place_times() {
    awk -v s="$2" '
        function cs(t) { return int(t * 100 + 0.5) - s }
        /New best NUMA placement candidate found/ && b == "" {
            if (a == "") a = cs($1)
            v = $0; sub(/.*nr_vcpus=/, "", v); sub(/,.*/, "", v)
            m = $0; sub(/.*free_memkb=/, "", m); sub(/[^0-9].*/, "", m)
            c = c (c == "" ? "" : ",") v ":" m
        }
        /NUMA placement candidate with .* selected/ && b == "" {
            b = cs($1)
            for (i = 1; i < NF; i++) if ($(i + 1) == "KB") f = $i
        }
        END { print (a == "" ? "-" : a), (b == "" ? "-" : b), (f == "" ? "-" : f),
                    (c == "" ? "-" : c) }
    ' "/tmp/storm-$1.log"
}

# place_run MODE RUN: one placement storm with xl.conf numa_claims=MODE.
# With MODE 1 (claim sets), what holds by design is checked: no build
# failed, no claim is left, each domain is entirely on the node(s)
# placement chose and its pages on every node of its claim set cover its
# claim there, and no node was chosen by more domains than its free
# memory fits. With MODE 0 only the figures are printed.
place_run() {
    local mode=$1 run=$2 label name start wall failed=0 all=0 chosen=0
    local rc t0 t1 id pages total on aff claim again n want got chose
    label=$(storm_mode "$mode")
    say_phase "placement storm $run, $label: $(echo $PLACE_NAMES | wc -w) xl create -p" \
              "placed automatically, at once"
    storm_start $PLACE_NAMES
    start=$STORM_START wall=$STORM_WALL
    say_phase "placement storm $run, $label: builds ended after $((wall / 100)) s"
    : >/tmp/place-chose.txt
    for name in $PLACE_NAMES; do
        read -r rc t0 t1 <"/tmp/storm-$name.result"
        id=$(domid "$name") || id=""
        pages="" aff="" on=0
        if [ "$rc" -ne 0 ] || [ -z "$id" ]; then
            build_failed "$name"
        else
            read_pages "$id"
            aff=$(xl list -n "$name" | awk 'NR == 2 { print $7 }')
            for n in $(nodes_list "$aff"); do
                echo "$n" >>/tmp/place-chose.txt
                on=$((on + $(awk -v n="$n" '$1 == n { print $2 }' /tmp/storm-pages.txt)))
            done
            all=$((all + total))
            chosen=$((chosen + on))
        fi
        claim=$(sed -n 's/.*claimed [0-9]* pages: //p' "/tmp/storm-$name.log" | head -n 1)
        again=$(grep -c 'placing again' "/tmp/storm-$name.log")
        set -- $(place_times "$name" "$start") $(storm_times "$name" "$start") \
            $(build_costs "$name")
        echo "PLACE-DOMAIN mode=$mode run=$run name=$name mb=$(cfg_value "$name" memory)" \
             "rc=$rc cs=$((t1 - t0)) pages=${pages:--} nodes=${aff:--} seen=$3 cands=$4" \
             "start=$((t0 - start)) place0=$1 place=$2 claim=$5 pop=$6 popend=$7" \
             "lockwait=$8 lockheld=$9 small=${10}" \
             "again=$([ "$again" -gt 0 ] && echo 1 || echo 0)" \
             "claimed=$(echo "${claim:--}" | tr ' ' ',')"
        [ "$mode" = 1 ] && [ "$rc" -eq 0 ] || continue
        check_eq "claim sets, placement storm $run: $name is entirely on the node(s) placement chose ($aff)" \
            "$total" "$on"
        for want in $claim; do
            n=${want%%:*}
            [ "$n" != host ] || continue
            got=$(awk -v n="$n" '$1 == n { print $2 }' /tmp/storm-pages.txt)
            check_range "claim sets, placement storm $run: $name's pages on node $n cover its claim there ($claim)" \
                "${want#*:}" "$total" "$got"
        done
    done
    chose="" n=0
    while [ "$n" -lt "$STORM_NODES" ]; do
        chose="$chose${chose:+,}$(grep -c -x "$n" /tmp/place-chose.txt)"
        n=$((n + 1))
    done
    echo "PLACE-RUN mode=$mode run=$run builders=$(echo $PLACE_NAMES | wc -w) failed=$failed" \
         "wall_cs=$wall pages=$all chosen=$chosen fit=$PLACE_FIT chose=$chose"
    if [ "$mode" = 1 ]; then
        check_eq "claim sets, placement storm $run: no build failed" 0 "$failed"
        check_eq "claim sets, placement storm $run: no claim left after the builds (MiB)" 0 \
            "$(host_outstanding_mb)"
        n=0
        for want in $(echo "$PLACE_FIT" | tr ',' ' '); do
            check_range "claim sets, placement storm $run: node $n chosen by no more domains than it fits" \
                0 "$want" "$(echo "$chose" | cut -d, -f$((n + 1)))"
            n=$((n + 1))
        done
    fi
    storm_destroy "$label, placement storm $run" $PLACE_NAMES
}

# storm_needs_nodes: the storm needs node 0 plus two more nodes to bind to.
storm_needs_nodes() {
    [ "$STORM_NODES" -ge 3 ] && return 0
    skip "the storm needs 3 nodes or more, the host has $STORM_NODES"
    return 1
}
