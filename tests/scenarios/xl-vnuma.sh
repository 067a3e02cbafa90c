# vNUMA guests (PVH, two virtual nodes on physical nodes 0 and 1): libxl
# owns their claim like any other guest's (issue 14, review M3).
#  - With numa_claims=1, each virtual node's pages are claimed on its
#    pnode, and land there.
#  - With numa_claims=0, the claim is 4.17's single host-wide one.
#  - A virtual node on node 0 sized between what node claims can get
#    there and node 0's free memory (the DMA zone lies between the two):
#    4.17's host-wide claim lets it through (its exact-node requests may
#    use the DMA zone), so it must still build. The node claim is refused,
#    libxl claims host-wide with one warning, and the pages land on node 0
#    all the same.
# PVH guests with vNUMA need patch "let PVH guests with vNUMA be built".
. /tests/scenarios/lib.sh

# vnuma_cfg NAME MB0 MB1: a PVH guest of two virtual nodes, MB0 MiB on
# node 0 and MB1 MiB on node 1, in /tmp/NAME.cfg.
vnuma_cfg() {
    cat >"/tmp/$1.cfg" <<CFG
name = "$1"
type = "pvh"
kernel = "/guest/vmlinuz"
memory = $(($2 + $3))
vcpus = 2
vnuma = [ [ "pnode=0", "size=$2", "vcpus=0", "vdistances=10,20" ],
          [ "pnode=1", "size=$3", "vcpus=1", "vdistances=20,10" ] ]
CFG
}

xl_conf() {
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=%s\n' "$1" >/etc/xen/xl.conf
}

claim_of() { sed -n 's/.*claimed \([0-9]* pages: .*\)$/\1/p' "/tmp/$1.log" | head -n 1; }
pages_on() { claimctl node-pages "$1" | awk -v n="$2" '$1 == n { print $2 + 0 }'; }

# build NAME WHAT: xl -vvv create -p; prints the domain id.
build() {
    if xl -vvv create -p "/tmp/$1.cfg" >"/tmp/$1.log" 2>&1; then
        pass "xl create -p: $2" >&2
    else
        fail "xl create -p: $2" >&2
        grep -i 'error\|warn' "/tmp/$1.log" | head -n 20 | sed 's/^/    | /' >&2
        return 1
    fi
    domid "$1"
}

destroy() {
    xl destroy "$1" >/dev/null 2>&1 || fail "xl destroy $1"
    check_eq "no claim left after the build and destroy (MiB)" 0 "$(host_outstanding_mb)"
}

per_node() {
    local id
    xl_conf 1
    vnuma_cfg vnuma-fit 128 128
    id=$(build vnuma-fit "PVH, vnodes of 128 MiB on nodes 0 and 1") || return
    check_eq "each virtual node claimed on its pnode" "65536 pages: 0:32768 1:32768" \
        "$(claim_of vnuma-fit)"
    check_eq "no claim left once the build is done (MiB)" 0 "$(host_outstanding_mb)"
    claimctl node-pages "$id" | sed 's/^/    | node /'
    check_range "pages on node 0: at least virtual node 0's" 32768 33300 "$(pages_on "$id" 0)"
    check_range "pages on node 1: at least virtual node 1's" 32768 33300 "$(pages_on "$id" 1)"
    destroy "$id"
}

host_wide() {
    local id
    xl_conf 0
    vnuma_cfg vnuma-off 128 128
    id=$(build vnuma-off "PVH, vnodes on nodes 0 and 1, numa_claims=0") || return
    check_eq "numa_claims=0: the host-wide claim, vNUMA or not" "65536 pages: host:65536" \
        "$(claim_of vnuma-off)"
    claimctl node-pages "$id" | sed 's/^/    | node /'
    check_range "pages on node 0 all the same (vNUMA populates exact-node)" 32768 33300 \
        "$(pages_on "$id" 0)"
    destroy "$id"
    xl_conf 1
}

# The DMA zone case. Sizes from the host as it is now.
dma_zone() {
    local probe claimable free mb id claim
    xl_conf 1
    probe=$(claimctl create 4096) || { fail "creating a probe domain: $probe"; return; }
    claimable=$(( $(node_claimable "$probe" 0) / 256 ))
    claimctl destroy "$probe"
    free=$(node_free_mb 0)
    echo "    | node 0: $free MiB free, $claimable MiB of it can be claimed"
    if [ $((free - claimable)) -lt 64 ]; then
        skip "node 0 has no DMA zone to speak of ($free MiB free, $claimable claimable)"
        return
    fi
    # Halfway between: more than a node claim gets, less than is free.
    mb=$(( (claimable + free) / 2 ))
    vnuma_cfg vnuma-dma "$mb" 64
    id=$(build vnuma-dma "PVH, a $mb MiB vnode on node 0 (DMA zone needed)") || return
    claim=$(claim_of vnuma-dma)
    echo "    | libxl claimed $claim"
    check_eq "the node claim was refused: the host-wide claim instead" \
        "$(( (mb + 64) * 256 )) pages: host:$(( (mb + 64) * 256 ))" "$claim"
    check_eq "with one warning" 1 \
        "$(grep -c "claiming memory on its vNUMA nodes' pnodes failed" /tmp/vnuma-dma.log)"
    claimctl node-pages "$id" | sed 's/^/    | node /'
    check_range "pages on node 0: virtual node 0's, as 4.17 put them" $((mb * 256)) \
        $((mb * 256 + 600)) "$(pages_on "$id" 0)"
    destroy "$id"
}

per_node
host_wide
dma_zone
finish
