# What xl shows of claims: `xl claims -n` lists a domain's claim set per
# node and host-wide, as GET returns it, and `xl info -n` counts it in
# each node's memclaimed column. Both are compared with Xen's own figures
# (claimctl get) before and after the claims are released.
. /tests/scenarios/lib.sh

# memclaimed of NODE in MiB, from xl info -n.
node_claimed_mb() {
    xl info -n | numa_rows | awk -v n="$1" '$1 == n { print $4 }'
}

# xl claims -n: the MiB of domain ID's claim on TARGET (a node or "host").
xl_claim_mb() {
    xl claims -n | awk -v id="$1" -v t="$2" '$2 == id && $3 == t { print $4 }'
}

id=$(claimctl create 1024)
check_range "a domain of 1 GiB" 1 32767 "$id" || finish
before0=$(node_claimed_mb 0)
before1=$(node_claimed_mb 1)
# 32 MiB on node 0, 64 MiB on node 1, 16 MiB host-wide (4 KiB pages).
run "SET 0:8192 1:16384 host:4096" claimctl set "$id" 0:8192 1:16384 host:4096
check_eq "Xen's GET" "0:8192 1:16384 host:4096" "$(claimctl get "$id")"
xl claims -n | sed 's/^/    | /'
check_eq "xl claims -n: node 0 (MiB)" 32 "$(xl_claim_mb "$id" 0)"
check_eq "xl claims -n: node 1 (MiB)" 64 "$(xl_claim_mb "$id" 1)"
check_eq "xl claims -n: host-wide (MiB)" 16 "$(xl_claim_mb "$id" host)"
check_eq "xl claims -n: three lines for the domain" 3 \
    "$(xl claims -n | awk -v id="$id" '$2 == id' | wc -l)"
xl info -n | sed -n '/^numa_info/,$p' | sed 's/^/    | /'
check_eq "xl info -n: node 0 memclaimed grew by 32 MiB" $((before0 + 32)) \
    "$(node_claimed_mb 0)"
check_eq "xl info -n: node 1 memclaimed grew by 64 MiB" $((before1 + 64)) \
    "$(node_claimed_mb 1)"

run "SET {0, HOST} releases" claimctl set "$id" host:0
check_eq "xl claims -n: no line for the domain" 0 \
    "$(xl claims -n | awk -v id="$id" '$2 == id' | wc -l)"
check_eq "xl info -n: node 0 memclaimed back" "$before0" "$(node_claimed_mb 0)"
check_eq "xl info -n: node 1 memclaimed back" "$before1" "$(node_claimed_mb 1)"
run "destroy the domain" claimctl destroy "$id"
finish
