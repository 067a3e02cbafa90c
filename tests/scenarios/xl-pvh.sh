# PVH guests get node claims like PV ones (issue 14): xl create -p of a
# PVH guest (Debian's kernel; a PVH build needs no device model) whose
# affinity names some nodes is claimed there by libxl before its kernel
# is read, and every page of its memory lands on the claimed nodes. The
# binding is for the allocation only: a guest-visible vNUMA topology would
# make the build fail (PVH's ACPI tables read it back with
# xc_domain_getvnuma(), which has none to give). A guest whose affinity
# spans every node, and every guest under numa_claims=0, gets the
# host-wide claim. No claim is left after any build.
. /tests/scenarios/lib.sh

NODES=$(arg expect_nodes)
LAST=$((NODES - 1))

# pvh_cfg NAME MB [CPUS_SOFT]: a PVH guest's config in /tmp/NAME.cfg.
pvh_cfg() {
    {
        echo "name = \"$1\""
        echo "type = \"pvh\""
        echo "kernel = \"/guest/vmlinuz\""
        echo "memory = $2"
        echo "vcpus = 1"
        [ -z "$3" ] || echo "cpus_soft = \"$3\""
        echo "on_crash = \"destroy\""
    } >"/tmp/$1.cfg"
}

# xl_conf NUMA_CLAIMS: xl.conf with claim_mode on and numa_claims as given.
xl_conf() {
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=%s\n' "$1" >/etc/xen/xl.conf
}

# build NAME WHAT: xl -vvv create -p /tmp/NAME.cfg; prints the domain id.
# The log (libxl's debug messages, the claim among them) is /tmp/NAME.log.
build() {
    if xl -vvv create -p "/tmp/$1.cfg" >"/tmp/$1.log" 2>&1; then
        pass "xl create -p: $2" >&2
    else
        fail "xl create -p: $2" >&2
        tail -n 20 "/tmp/$1.log" | sed 's/^/    | /' >&2
        return 1
    fi
    domid "$1"
}

# claim_of NAME: what libxl claimed for NAME, "PAGES: ENTRY ...".
claim_of() { sed -n 's/.*claimed \([0-9]* pages: .*\)$/\1/p' "/tmp/$1.log" | head -n 1; }

# pages_on ID NODE: the domain's pages on NODE (xc_domain_get_node_pages()).
pages_on() { claimctl node-pages "$1" | awk -v n="$2" '$1 == n { print $2 + 0 }'; }
pages_total() { claimctl node-pages "$1" | awk '{ s += $2 } END { print s + 0 }'; }

destroy() {
    xl destroy "$1" >/dev/null 2>&1 || fail "xl destroy $1"
    check_eq "no claim left after the build and destroy (MiB)" 0 "$(host_outstanding_mb)"
}

one_node() {
    local id claim total on
    xl_conf 1
    pvh_cfg pvh-one 256 "node:$LAST"
    id=$(build pvh-one "256 MiB PVH, cpus_soft=node:$LAST") || return
    claim=$(claim_of pvh-one)
    echo "    | libxl claimed $claim"
    check_eq "a claim set of all 65536 pages on node $LAST" "65536 pages: $LAST:65536" "$claim"
    check_eq "no claim left once the build is done (MiB)" 0 "$(host_outstanding_mb)"
    total=$(pages_total "$id")
    on=$(pages_on "$id" "$LAST")
    claimctl node-pages "$id" | sed 's/^/    | node /'
    check_range "guest pages (256 MiB and the special pages)" 65536 66000 "$total"
    check_range "pages on node $LAST: at least the claimed 65536" 65536 "$total" "$on"
    destroy "$id"
}

# A guest too big for one node, bound to the last two: its memory is split
# over them in whole 2 MiB superpages, each part claimed on its node.
two_nodes() {
    local a=$((LAST - 1)) b=$LAST mb id claim p1 n1 p2 n2 entries on1 on2
    xl_conf 1
    mb=$(node_free_mb "$a")
    [ "$(node_free_mb "$b")" -le "$mb" ] || mb=$(node_free_mb "$b")
    mb=$((mb + 64))
    pvh_cfg pvh-two "$mb" "node:$a-$b"
    id=$(build pvh-two "$mb MiB PVH, cpus_soft=node:$a-$b (more than either node has)") || return
    claim=$(claim_of pvh-two)
    echo "    | libxl claimed $claim"
    entries=$(echo "$claim" | cut -d: -f2- | wc -w)
    check_eq "a claim set of two node entries" 2 "$entries"
    # The entries in memory order: "n1:p1 n2:p2".
    set -- $(echo "$claim" | cut -d: -f2- | tr ':' ' ')
    n1=$1 p1=$2 n2=$3 p2=$4
    check_eq "the set's nodes are $a and $b" "$a $b" "$(printf '%s\n%s\n' "$n1" "$n2" | sort -n | tr '\n' ' ' | sed 's/ $//')"
    check_eq "the set claims all $((mb * 256)) pages" $((mb * 256)) $((p1 + p2))
    check_eq "the first part is whole 2 MiB superpages" 0 $((p1 % 512))
    on1=$(pages_on "$id" "$n1")
    on2=$(pages_on "$id" "$n2")
    claimctl node-pages "$id" | sed 's/^/    | node /'
    check_range "pages on node $n1: at least its part, $p1" "$p1" $((p1 + 1024)) "$on1"
    check_range "pages on node $n2: at least its part, $p2" "$p2" $((p2 + 1024)) "$on2"
    check_eq "no claim left once the build is done (MiB)" 0 "$(host_outstanding_mb)"
    destroy "$id"
}

# No node preference (soft affinity to every CPU), or numa_claims=0: the
# host-wide claim, as 4.17's.
host_wide() {
    local id
    xl_conf 1
    pvh_cfg pvh-any 256 "all"
    id=$(build pvh-any "256 MiB PVH, cpus_soft=all") || return
    check_eq "an affinity to every node gets the host-wide claim" \
        "65536 pages: host:65536" "$(claim_of pvh-any)"
    destroy "$id"
    xl_conf 0
    pvh_cfg pvh-off 256 "node:$LAST"
    id=$(build pvh-off "256 MiB PVH, cpus_soft=node:$LAST, numa_claims=0") || return
    check_eq "numa_claims=0 gets the host-wide claim" \
        "65536 pages: host:65536" "$(claim_of pvh-off)"
    destroy "$id"
    xl_conf 1
}

# A guest bigger than the RAM below PVH's MMIO hole (4032 MiB: the hole
# starts at the ACPI tables, 0xfc000000), on the last two nodes: the part
# of the second node straddles the hole, below it and from 4 GiB. Needs
# nodes big enough (the bigmem boot).
straddle() {
    local a=$((LAST - 1)) b=$LAST mb=4160 low=$((4032 * 256)) id claim n1 p1 n2 p2
    if [ "$a" -lt 1 ] || [ $(( $(node_free_mb "$a") + $(node_free_mb "$b") )) -lt $((mb + 64)) ]; then
        skip "a PVH guest across the MMIO hole needs $((mb + 64)) MiB free on nodes 1.. (bigmem boot)"
        return
    fi
    xl_conf 1
    pvh_cfg pvh-4g "$mb" "node:$a-$b"
    id=$(build pvh-4g "$mb MiB PVH, cpus_soft=node:$a-$b (RAM below and above 4 GiB)") || return
    claim=$(claim_of pvh-4g)
    echo "    | libxl claimed $claim"
    set -- $(echo "$claim" | cut -d: -f2- | tr ':' ' ')
    n1=$1 p1=$2 n2=$3 p2=$4
    check_eq "the set claims all $((mb * 256)) pages on two nodes" "$((mb * 256)) 2" \
        "$((p1 + p2)) $(echo "$claim" | cut -d: -f2- | wc -w)"
    check_eq "the second part straddles the hole (first part < $low < both)" 1 \
        "$([ "$p1" -lt "$low" ] && [ $((p1 + p2)) -gt "$low" ] && echo 1)"
    claimctl node-pages "$id" | sed 's/^/    | node /'
    check_range "pages on node $n1: at least its part, $p1" "$p1" $((p1 + 1024)) "$(pages_on "$id" "$n1")"
    check_range "pages on node $n2: at least its part, $p2" "$p2" $((p2 + 1024)) "$(pages_on "$id" "$n2")"
    destroy "$id"
}

one_node
if [ "$NODES" -ge 3 ]; then
    two_nodes
else
    skip "a PVH guest split over two of the nodes needs 3 nodes or more"
fi
straddle
host_wide
finish
