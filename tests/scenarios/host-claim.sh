# xl builds a 128 MB PV guest (Debian's kernel) with no node affinity and
# claim_mode on: it gets 4.17's single host-wide claim, which
# XENMEM_claim_pages installs through the claim-set installer as a
# LEGACY entry; the build redeems or releases all of it. A guest larger
# than the host's free memory is refused by that claim and leaves no
# claim behind. make series-check runs it with 4.17's unchanged tools
# on the hypervisor part alone (HV_PART_SCENARIOS).
. /tests/scenarios/lib.sh

cat >/tmp/hc.cfg <<CFG
name = "host-claim"
type = "pv"
kernel = "/guest/vmlinuz"
memory = 128
vcpus = 1
on_crash = "destroy"
CFG

free_before=$(host_free_mb)
if xl create -p /tmp/hc.cfg >/tmp/hc.log 2>&1; then
    pass "xl create -p (128 MB PV, no node affinity, claim_mode=1)"
else
    fail "xl create -p (128 MB PV, no node affinity, claim_mode=1)"
    tail -n 20 /tmp/hc.log | sed 's/^/    | /'
    finish
fi
id=$(domid host-claim)
check_range "domain id" 1 32767 "$id"
check_eq "no claim left once the build is done (MiB)" 0 "$(host_outstanding_mb)"
check_eq "the domain holds no claim set" "" "$(claimctl get "$id")"
# The guest's 32768 pages and the few more a PV build adds (start info,
# xenstore and console rings, page tables are within them).
pages=$(claimctl node-pages "$id" | awk '{ n += $2 } END { print n }')
check_range "the domain's pages over all nodes" 32768 33280 "$pages"
xl destroy "$id"
check_range "free memory after destroy (MiB, within 2 of before)" \
    $((free_before - 2)) $((free_before + 2)) "$(host_free_mb)"

# More than the host has free: the host-wide claim is refused, as in
# 4.17, the build fails, and nothing stays claimed.
big=$(( $(host_free_mb) + 256 ))
sed -e "s/^memory = .*/memory = $big/" -e 's/^name = .*/name = "host-claim-big"/' \
    /tmp/hc.cfg >/tmp/hc-big.cfg
if xl create -p /tmp/hc-big.cfg >/tmp/hc-big.log 2>&1; then
    fail "xl create of $big MB (more than is free) was refused"
    xl destroy host-claim-big 2>/dev/null
else
    pass "xl create of $big MB (more than is free) was refused"
fi
tail -n 3 /tmp/hc-big.log | sed 's/^/    | /'
# 4.17's libxenguest reports a refused claim as memory it cannot get.
check_eq "the build stopped where its memory is claimed" 1 \
    "$(grep -c "can't allocate low memory for domain" /tmp/hc-big.log)"
check_eq "no claim left after the refused build (MiB)" 0 "$(host_outstanding_mb)"
check_eq "no domain left of the refused build" "" "$(domid host-claim-big)"
finish
