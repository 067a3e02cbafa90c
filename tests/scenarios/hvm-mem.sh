# An HVM domain's memory built by libxenguest (meminit_hvm) with no
# device model, through tests/progs/hvm-mem.c: memory bound to one node,
# split over two, on both sides of the MMIO hole (4 GiB), one node's
# range crossing the hole, populate-on-demand; claims staked as libxl
# stakes them, and claims left to libxenguest. What the design says must
# hold in every case: each page of a node-bound range on its node, the
# low pages (0-0x9f) on the node of the range that starts at 0, nothing
# in the VGA hole (0xa0-0xbf), target - 0x20 pages in all; the claim is
# one entry per bound node with that node's pages (less the VGA hole for
# the range at 0), host-wide for unbound memory and PoD, it is used up by
# the pages populated, and none is left. The domain's node affinity
# points away from the bound nodes, so that a page populated without its
# node would show up elsewhere.
. /tests/scenarios/lib.sh

nodes=$(arg expect_nodes)
last=$((nodes - 1))
# The second node of a split: node 0 on two nodes, node 1 on four.
other=$((nodes > 2 ? 1 : 0))
FULL=32768                 # 128 MiB in pages
HALF=16384                 # 64 MiB
HOLE=32                    # the VGA hole, 0xa0-0xbf

# same WHAT DOMID: XEN_DOMCTL_get_node_pages and the 'u' key agree.
same() {
    claimctl node-pages "$2" >/tmp/hm-domctl.txt || { fail "$1: claimctl node-pages"; return 1; }
    domain_node_pages "$2" >/tmp/hm-ukey.txt
    if [ -s /tmp/hm-ukey.txt ] && cmp -s /tmp/hm-domctl.txt /tmp/hm-ukey.txt; then
        pass "$1: the node counts equal the 'u' key's"
    else
        sed 's/^/    | u key node /' /tmp/hm-ukey.txt
        fail "$1: the node counts differ from the 'u' key's"
    fi
}

# same_pod WHAT DOMID: a populate-on-demand domain. The pages of its PoD
# pool are off its page list, which the 'u' key walks: the 'u' key's
# pages and what is left in the pool add up to the node counts.
same_pod() {
    local counted ukey cache
    counted=$(claimctl node-pages "$2" | awk '{ s += $2 } END { print s + 0 }')
    ukey=$(domain_node_pages "$2" | awk '{ s += $2 } END { print s + 0 }')
    cache=$(awk '$1 == "pod" && $2 == "mapped:" { print $6 }' /tmp/hm-out.txt)
    check_eq "$1: the 'u' key's pages and the PoD pool add up to the node counts" \
        "$counted" "$((ukey + ${cache:-0}))"
}

# node_pages N: node N's pages as the last run of hvm-mem printed them.
node_pages() { awk -v n="$1" '$1 == "node" && $2 == n { print $4 }' /tmp/hm-out.txt; }

# expect WHAT N=PAGES...: those nodes hold exactly PAGES, every other
# node none of the domain's pages.
expect() {
    local what=$1 n want spec
    shift
    n=0
    while [ "$n" -lt "$nodes" ]; do
        want=0
        for spec in "$@"; do
            [ "${spec%%=*}" = "$n" ] && want=${spec#*=}
        done
        check_eq "$what: pages on node $n" "$want" "$(node_pages "$n")"
        n=$((n + 1))
    done
}

# expect_total WHAT PAGES: the domain's pages on all nodes together.
expect_total() {
    check_eq "$1: pages on all nodes" "$2" \
        "$(awk '$1 == "node" { s += $4 } END { print s + 0 }' /tmp/hm-out.txt)"
}

# gone WHAT DOMID: destroy DOMID and wait (up to 10 s) until Xen has
# freed it, so that the next build and the next scenario find its memory.
gone() {
    local tries=0
    claimctl destroy "$2" >/dev/null || { fail "$1: destroy domain $2"; return 1; }
    while claimctl node-pages "$2" >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -le 10 ] || { fail "$1: domain $2 still there 10 s after destroy"; return 1; }
        sleep 1
    done
}

# build WHAT ARGS...: hvm-mem --keep ARGS; its output is kept in
# /tmp/hm-out.txt and libxenguest's log in /tmp/hm-lib.log. The domain
# is compared with the 'u' key, then destroyed (gone).
build() {
    local what=$1 rc=0 id
    shift
    echo "    hvm-mem $*"
    hvm-mem --keep "$@" >/tmp/hm-out.txt 2>/tmp/hm-lib.log || rc=$?
    # Its own result lines count as the scenario's (its status is the
    # number of its failed checks).
    cat /tmp/hm-out.txt
    FAILED=$((FAILED + rc))
    # libxenguest's ranges, claims and any failure it logged.
    grep -E 'range: |claim|[Cc]ould not|failed|panic' /tmp/hm-lib.log |
        grep -v 'loader probe failed' | sed 's/^/    lib| /'
    id=$(awk '$1 == "kept" { print $3 }' /tmp/hm-out.txt)
    if [ -n "$id" ] && grep -q '^pod mapped:' /tmp/hm-out.txt; then
        same_pod "$what" "$id"
        gone "$what" "$id"
    elif [ -n "$id" ]; then
        same "$what" "$id"
        gone "$what" "$id"
    else
        fail "$what: no domain kept"
    fi
}

# claimed WHAT ENTRY...: the claim staked for the build (by hvm-mem or by
# libxenguest, as Xen held it once staked) was these NODE:PAGES or
# host:PAGES entries; Xen lists nodes in ascending order, host last.
claimed() {
    local what=$1 want
    shift
    want=$(printf '%s\n' "$@" | sort -t: -k1,1n | tr '\n' ' ')
    check_eq "$what: the claim staked" "${want% }" \
        "$(sed -n 's/^claim staked: //p' /tmp/hm-out.txt)"
}

build "one node" --node "$last" --affinity "$other"
expect "one node" "$last=$((FULL - HOLE))"
claimed "one node" "$last:$((FULL - HOLE))"

build "split over two nodes" --split "$last:$other" --affinity "$other"
expect "split over two nodes" "$last=$((HALF - HOLE))" "$other=$HALF"
claimed "split over two nodes" "$last:$((HALF - HOLE))" "$other:$HALF"

# 48 MiB below the MMIO hole, 80 MiB from 4 GiB, all on one node.
build "one node on both sides of the MMIO hole" --node "$last" --lowmem 48 \
    --affinity "$other"
expect "one node on both sides of the MMIO hole" "$last=$((FULL - HOLE))"
claimed "one node on both sides of the MMIO hole" "$last:$((FULL - HOLE))"

# 64 MiB below the hole on one node, 64 MiB from 4 GiB on another; the
# affinity names the second, so the low pages must still go to the first.
build "a node on each side of the MMIO hole" --split "$other:$last" --lowmem 64 \
    --affinity "$last"
expect "a node on each side of the MMIO hole" "$other=$((HALF - HOLE))" "$last=$HALF"
claimed "a node on each side of the MMIO hole" "$other:$((HALF - HOLE))" "$last:$HALF"

# The first node's 80 MiB cross the hole: 48 MiB below, 32 MiB from 4 GiB.
build "a node's memory crossing the MMIO hole" --split "$last:$other:80" \
    --lowmem 48 --affinity "$other"
expect "a node's memory crossing the MMIO hole" "$last=$((20480 - HOLE))" \
    "$other=12288"
claimed "a node's memory crossing the MMIO hole" "$last:$((20480 - HOLE))" \
    "$other:12288"

# Populate-on-demand: 128 MiB of frames, 96 MiB of pages (the PoD pool),
# claimed host-wide, on any node.
build "populate-on-demand" --mem 128 --target 96 --lowmem 64
expect_total "populate-on-demand" $((24576 - HOLE))
claimed "populate-on-demand" "host:$((24576 - HOLE))"

build "unbound memory, host-wide claim" --mem 128 --lowmem 64
expect_total "unbound memory, host-wide claim" $((FULL - HOLE))
claimed "unbound memory, host-wide claim" "host:$((FULL - HOLE))"

# libxenguest stakes the claim itself (claim_enabled): a claim set on
# the bound nodes (meminit_claim), host-wide for PoD.
build "libxenguest claims, one node" --node "$last" --claim lib --affinity "$other"
expect "libxenguest claims, one node" "$last=$((FULL - HOLE))"
claimed "libxenguest claims, one node" "$last:$((FULL - HOLE))"

build "libxenguest claims, a node on each side of the hole" \
    --split "$last:$other" --lowmem 64 --claim lib --affinity "$other"
expect "libxenguest claims, a node on each side of the hole" \
    "$last=$((HALF - HOLE))" "$other=$HALF"
claimed "libxenguest claims, a node on each side of the hole" \
    "$last:$((HALF - HOLE))" "$other:$HALF"

# The same ranges listed highest first: the VGA hole still comes off the
# claim of the range at 0's node, not off the first listed.
build "libxenguest claims, ranges listed out of order" \
    --split "$last:$other" --lowmem 64 --claim lib --affinity "$other" --reverse
expect "libxenguest claims, ranges listed out of order" \
    "$last=$((HALF - HOLE))" "$other=$HALF"
claimed "libxenguest claims, ranges listed out of order" \
    "$last:$((HALF - HOLE))" "$other:$HALF"

build "libxenguest claims, populate-on-demand" --mem 128 --target 96 \
    --lowmem 64 --claim lib
expect_total "libxenguest claims, populate-on-demand" $((24576 - HOLE))
claimed "libxenguest claims, populate-on-demand" "host:$((24576 - HOLE))"

check_eq "host outstanding claims at the end (MiB)" 0 "$(host_outstanding_mb)"
finish
