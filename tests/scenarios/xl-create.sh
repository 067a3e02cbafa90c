# xl creates a 256 MB PV guest (Debian's kernel), paused, with its vCPU
# soft-affine to the last node; its memory must land on that node, and
# destroy must give it back.
. /tests/scenarios/lib.sh

node=$(( $(arg expect_nodes) - 1 ))
cat >/tmp/guest.cfg <<CFG
name = "guest-node$node"
type = "pv"
kernel = "/guest/vmlinuz"
memory = 256
vcpus = 1
cpus_soft = "node:$node"
on_crash = "destroy"
CFG

free_before=$(host_free_mb)
run "xl create -p (256 MB PV, cpus_soft=node:$node)" xl create -p /tmp/guest.cfg || finish
id=$(domid "guest-node$node")
check_range "domain id" 1 32767 "$id"

domain_node_pages "$id" >/tmp/placement.txt
sed 's/^/    | node /' /tmp/placement.txt
total=$(awk '{ s += $2 } END { print s + 0 }' /tmp/placement.txt)
on_node=$(awk -v n="$node" '$1 == n { print $2 }' /tmp/placement.txt)
check_range "guest pages (256 MiB and its page tables)" 65536 70000 "$total"
check_range "percent of the guest's pages on node $node" 90 100 $((on_node * 100 / total))

run "xl destroy" xl destroy "$id"
sleep 1
check_range "free memory back after destroy (MiB)" $((free_before - 2)) 1000000 "$(host_free_mb)"
finish
