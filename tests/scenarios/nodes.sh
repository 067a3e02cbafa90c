# Xen sees the NUMA nodes the host was given, with the memory of each.
. /tests/scenarios/lib.sh

nodes=$(arg expect_nodes)
node_mb=$(arg expect_node_mb)

xl info -n >/tmp/info-n.txt
sed 's/^/    | /' /tmp/info-n.txt
check_eq "xl info nr_nodes" "$nodes" \
    "$(awk '$1 == "nr_nodes" { print $3 }' /tmp/info-n.txt)"

numa_rows </tmp/info-n.txt >/tmp/nodes.txt
check_eq "rows in the numa_info table" "$nodes" "$(wc -l </tmp/nodes.txt)"
# Node memory is the span Xen found in SRAT; firmware holes take a little.
while read -r node size free claimed; do
    check_range "node $node size in MiB" $((node_mb * 95 / 100)) "$node_mb" "$size"
    check_range "node $node free in MiB" 1 "$size" "$free"
    check_range "node $node claimed in MiB (nothing claims yet)" 0 0 "$claimed"
done </tmp/nodes.txt
finish
