# Offlining free memory of a node that a domain has claimed completely:
# Xen must recall as many claimed pages as it offlined, say so, and keep
# the claim invariants (the 'k' debug key checks them in a debug build).
. /tests/scenarios/lib.sh

# The last node: above 4 GiB on these hosts, away from Xen's own image,
# whose freed padding Xen refuses to offline.
node=$(( $(arg expect_nodes) - 1 ))
want=4

id=$(claimctl create 8192)
check_range "empty PV domain created" 1 32767 "$id"

# Free pages of the node to offline: a helper domain populates them there
# and gives them back when destroyed (it is created after the claiming
# domain, whose own structures would otherwise reuse them).
offline_round() {
    local helper mfns mfn
    # The helper must be able to allocate on the node: no claim yet.
    claimctl set "$id" host:0 || fail "release the claim before a round"
    helper=$(claimctl create 64)
    mfns=$(claimctl populate "$helper" $node 64)
    claimctl destroy "$helper" || fail "destroy the helper domain"
    sleep 1
    # Claim every free page of the node; dom0 may allocate in between.
    for try in 1 2 3 4 5; do
        free=$(claimctl node-free $node)
        claimctl set "$id" "$node:$free" >/tmp/set.txt && break
    done
    check_eq "the domain claims all of node $node" "$node:$free" "$(claimctl get "$id")"
    for mfn in $mfns; do
        xen-hptool mem-offline "$mfn" >/tmp/offline.txt 2>&1
        if grep -q 'PG_OFFLINE_OFFLINED' /tmp/offline.txt; then
            sed 's/^/    | /' /tmp/offline.txt
            offlined="$offlined $mfn"
            [ "$(echo $offlined | wc -w)" -lt "$want" ] || break
        else
            # Keep why in the log: a page in use, or one Xen refuses.
            tr '\n' ' ' </tmp/offline.txt | sed 's/^/    | not offlined: /'; echo
            marked="$marked $mfn"
        fi
    done
}

offlined="" marked=""
for round in 1 2; do
    offline_round
    [ -z "$offlined" ] || break
done
count=$(echo $offlined | wc -w)
check_range "free pages offlined on node $node" 1 "$want" "$count"
# Dom0 may free a page or two on the node meanwhile, which then needs no
# recall; but what is recalled never exceeds what was offlined.
after=$(claimctl get "$id")
check_range "claimed pages recalled" 1 "$count" $((free - ${after#*:}))
xl dmesg | grep 'recalled: memory offlined' | sed 's/^/    | /'
check_range "Xen names the domain that lost claims" 1 100 \
    "$(xl dmesg | grep -c "d$id: .* claimed pages on node $node recalled")"

# The 'k' key checks every invariant (an ASSERT would stop the boot).
xl dmesg -c >/dev/null
xl debug-keys k
xl dmesg | sed 's/^/    | /'
nfree=$(xl dmesg | sed -n "s/.*node $node: \([0-9]*\) free pages, .*/\1/p")
check_eq "node $node still fully claimed, no more" "$node:$nfree" "$after"

for mfn in $offlined; do
    xen-hptool mem-online "$mfn" >/dev/null 2>&1 || fail "online $mfn again"
done
# Pages that were in use may only be marked for offlining: unmark them.
for mfn in $marked; do
    xen-hptool mem-online "$mfn" >/dev/null 2>&1 || true
done
run "destroy the domain" claimctl destroy "$id"
check_eq "host outstanding claims after destroy (MiB)" 0 "$(host_outstanding_mb)"
finish
