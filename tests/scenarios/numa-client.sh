# The xenopsd-shaped OCaml client (tests/ocaml/numa_client.ml): picks the
# node with the most claimable memory, claims there (host-wide on
# ENOMEM), populates, and checks where the pages landed.
. /tests/scenarios/lib.sh

# The node of each CPU, from xl info -n's cpu_topology table: "0,0,1,1".
cpu_nodes=$(xl info -n | awk '/^cpu_topology/ { t = 1; next }
    t && /^cpu:/ { next }
    t && /^ *[0-9]+:/ { printf "%s%s", sep, $4; sep = "," ; next }
    t { exit }')
check_eq "every CPU has a node" "$(xl info | awk '$1 == "nr_cpus" { print $3 }')" \
    "$(echo "$cpu_nodes" | tr ',' '\n' | grep -c .)"
test-numa-client "$cpu_nodes" || FAILED=$((FAILED + $?))
check_eq "host outstanding claims after the client (MiB)" 0 "$(host_outstanding_mb)"
finish
