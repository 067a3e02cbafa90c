# A domain's pages per node from XEN_DOMCTL_get_node_pages (counts Xen
# keeps as pages are assigned and freed) against Xen's own 'u' debug key
# (a walk of the page list), after each change: an empty domain, order-0
# and order-9 extents populated on chosen nodes, single pages given back
# balloon-style (some out of a superpage), an xl build, and destroy.
. /tests/scenarios/lib.sh

last=$(( $(arg expect_nodes) - 1 ))

# same WHAT DOMID: both views of DOMID agree, node by node.
same() {
    claimctl node-pages "$2" >/tmp/np-domctl.txt || { fail "$1: claimctl node-pages"; return 1; }
    domain_node_pages "$2" >/tmp/np-ukey.txt
    sed 's/^/    | domctl node /' /tmp/np-domctl.txt
    if [ -s /tmp/np-ukey.txt ] && cmp -s /tmp/np-domctl.txt /tmp/np-ukey.txt; then
        pass "$1: the counts equal the 'u' key's, node by node"
    else
        sed 's/^/    | u key node /' /tmp/np-ukey.txt
        fail "$1: the counts differ from the 'u' key's"
    fi
}

# pages_on DOMID NODE: the domctl's count for NODE.
pages_on() { claimctl node-pages "$1" | awk -v n="$2" '$1 == n { print $2 }'; }

id=$(claimctl create 256) || { fail "create a domain: $id"; finish; }
check_range "domain id" 1 32767 "$id"
same "an empty domain" "$id"
check_eq "an empty domain has no pages on node 0" 0 "$(pages_on "$id" 0)"

# populate WHAT ARGS...: claimctl populate, keeping the MFNs (hex) it
# prints in /tmp/np-frames.txt.
populate() {
    local what=$1
    shift
    if claimctl populate "$@" >/tmp/np-frames.txt; then pass "$what"; else fail "$what"; fi
}

populate "populate 256 single pages on node 0" "$id" 0 256
cp /tmp/np-frames.txt /tmp/np-singles.txt
populate "populate 2 superpages (order 9) on node $last" "$id" "$last" 2 9 0x1000
first=$((0x$(head -n 1 /tmp/np-frames.txt)))
same "after populating" "$id"
if [ "$last" -gt 0 ]; then
    check_eq "node 0 holds the 256 single pages" 256 "$(pages_on "$id" 0)"
    check_eq "node $last holds the two superpages" 1024 "$(pages_on "$id" "$last")"
else
    check_eq "node 0 holds everything" 1280 "$(pages_on "$id" 0)"
fi

head -n 100 /tmp/np-singles.txt >/tmp/np-give.txt
run "give back 100 single pages" sh -c "claimctl decrease $id </tmp/np-give.txt"
seq "$first" $((first + 299)) | while read -r mfn; do printf '%x\n' "$mfn"; done \
    >/tmp/np-give.txt
run "give back 300 pages out of the first superpage" \
    sh -c "claimctl decrease $id </tmp/np-give.txt"
same "after giving pages back" "$id"
check_eq "the domain's pages in all (1280 - 400)" 880 \
    "$(claimctl node-pages "$id" | awk '{ s += $2 } END { print s }')"

run "destroy the domain" claimctl destroy "$id"
if claimctl node-pages "$id" >/tmp/np-gone.txt 2>&1; then
    # Still dying: whatever it holds must be what the 'u' key sees.
    same "a dying domain" "$id"
else
    check_eq "a destroyed domain is gone" 1 "$(grep -c 'ESRCH' /tmp/np-gone.txt)"
fi

# A real build: the PV stub guest through xl, paused.
cat >/tmp/np-guest.cfg <<CFG
name = "np-guest"
type = "pv"
kernel = "/guest/pv-stub"
memory = 64
vcpus = 1
cpus_soft = "node:$last"
on_crash = "destroy"
CFG
if xl create -p /tmp/np-guest.cfg >/tmp/np-xl.log 2>&1; then
    gid=$(domid np-guest)
    same "a guest built by xl" "$gid"
    check_range "its pages in all (64 MiB and page tables)" 16384 17500 \
        "$(claimctl node-pages "$gid" | awk '{ s += $2 } END { print s }')"
    run "xl destroy" xl destroy np-guest
else
    fail "xl create -p of the stub guest"
    tail -n 20 /tmp/np-xl.log | sed 's/^/    | /'
fi
check_eq "host outstanding claims at the end (MiB)" 0 "$(host_outstanding_mb)"
finish
