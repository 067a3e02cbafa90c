# Part of the 4node boot of make check: a claim set on three nodes plus a
# host-wide part, what Xen shows of it (the 'k' key), and the claim on
# node 2 shrinking as memory is populated there.
. /tests/scenarios/lib.sh

show_claims() {
    xl dmesg -c >/dev/null
    xl debug-keys k
    xl dmesg | sed -n 's/^(XEN) /    | k: /p'
}

id=$(claimctl create 512)
check_range "an empty PV domain" 1 32767 "$id" || finish
run "SET 0:256 1:256 2:256 host:256" claimctl set "$id" 0:256 1:256 2:256 host:256
check_eq "GET" "0:256 1:256 2:256 host:256" "$(claimctl get "$id")"
show_claims
claimctl populate "$id" 2 128 >/dev/null || fail "populate 128 pages on node 2"
check_eq "GET after populating 128 pages on node 2" "0:256 1:256 2:128 host:256" \
    "$(claimctl get "$id")"
show_claims
run "destroy releases the claims" claimctl destroy "$id"
check_eq "host outstanding claims (MiB)" 0 "$(host_outstanding_mb)"
finish
