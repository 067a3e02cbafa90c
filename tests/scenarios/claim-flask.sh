# Under Flask (enforcing, default policy), claim sets follow
# domain2:setclaim: dom0 may claim for a domain it builds (domU_t), not
# for itself (dom0_t has no setclaim over dom0_t), and a denial leaves
# the claims alone. GET only needs domain:getdomaininfo.
. /tests/scenarios/lib.sh

check_eq "Flask is enforcing" "Enforcing" "$(xl getenforce 2>&1)"
# Labelled as xl would label a guest; without a label it is unlabeled_t,
# which dom0 may not create.
id=$(claimctl create 64 system_u:system_r:domU_t)
check_range "a domU_t domain built by dom0" 1 32767 "$id" || finish
run "SET for the domU is allowed" claimctl set "$id" 0:16 1:8 host:16
check_eq "GET for the domU is allowed" "0:16 1:8 host:16" "$(claimctl get "$id")"

before=$(host_outstanding_mb)
check_eq "SET for dom0 itself is denied" "set failed: EACCES (Permission denied)" \
    "$(claimctl set 0 host:1)"
# GET is a read: it needs domain:getdomaininfo, which dom0_t has over
# itself, not setclaim.
check_eq "GET for dom0 is allowed (a read)" "" "$(claimctl get 0)"
check_eq "the denial changed no claim" "$before" "$(host_outstanding_mb)"
check_range "Flask logged the setclaim denial" 1 100 \
    "$(xl dmesg | grep -c 'avc:  denied  { setclaim }')"
xl dmesg | grep 'avc:  denied  { setclaim }' | head -n 2 | sed 's/^/    | /'

run "SET {0, HOST} clears the domU's claims" claimctl set "$id" host:0
check_eq "GET after clear" "" "$(claimctl get "$id")"
run "destroy the domU" claimctl destroy "$id"
check_eq "host outstanding claims at the end (MiB)" 0 "$(host_outstanding_mb)"
finish
