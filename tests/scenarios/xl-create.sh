# xl creates a 256 MB PV guest (Debian's kernel), paused, with its vCPU
# soft-affine to the last node; libxl claims its memory on that node
# before the kernel is read, so all of it lands there, no claim is left
# after the build, and destroy gives the memory back.
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
# xl -vvv logs libxl's debug messages (to stderr), the claim among them.
if xl -vvv create -p /tmp/guest.cfg >/tmp/xl-create.log 2>&1; then
    pass "xl create -p (256 MB PV, cpus_soft=node:$node)"
else
    fail "xl create -p (256 MB PV, cpus_soft=node:$node)"
    tail -n 20 /tmp/xl-create.log | sed 's/^/    | /'
    finish
fi
id=$(domid "guest-node$node")
check_range "domain id" 1 32767 "$id"
# claim_mode is on (xl.conf's default): libxl claims the node the
# domain's affinity names, and binds its memory there.
grep 'claimed [0-9]* pages: ' /tmp/xl-create.log | sed 's/^/    | /'
check_eq "libxl claimed all 65536 pages on node $node" 1 \
    "$(grep -c "claimed 65536 pages: $node:65536\$" /tmp/xl-create.log)"
check_eq "no claim left once the build is done (MiB)" 0 "$(host_outstanding_mb)"
grep "PV memory: " /tmp/xl-create.log | sed "s/^/    | /"
# Design v3's order: the claim comes before the kernel is read (libxl
# stakes it right after max_mem), and is released once memory is in.
claim_at=$(grep -n 'claimed [0-9]* pages: ' /tmp/xl-create.log | head -n 1 | cut -d: -f1)
kernel_at=$(grep -n 'xc_dom_kernel_file' /tmp/xl-create.log | head -n 1 | cut -d: -f1)
release_at=$(grep -n 'released what is left of its claim' /tmp/xl-create.log | head -n 1 | cut -d: -f1)
check_eq "libxl claims before the kernel is read (log lines $claim_at < $kernel_at)" 1 \
    "$([ -n "$claim_at" ] && [ -n "$kernel_at" ] && [ "$claim_at" -lt "$kernel_at" ] && echo 1)"
check_eq "and releases what is left after populating (log line $release_at)" 1 \
    "$([ -n "$release_at" ] && [ "$release_at" -gt "$kernel_at" ] && echo 1)"

domain_node_pages "$id" >/tmp/placement.txt
sed 's/^/    | node /' /tmp/placement.txt
total=$(awk '{ s += $2 } END { print s + 0 }' /tmp/placement.txt)
on_node=$(awk -v n="$node" '$1 == n { print $2 }' /tmp/placement.txt)
check_range "guest pages (256 MiB and its page tables)" 65536 70000 "$total"
check_range "per mille of the guest's pages on node $node" 999 1000 $((on_node * 1000 / total))
# The same, as a toolstack reads it: xc_domain_get_node_pages().
claimctl node-pages "$id" >/tmp/node-pages.txt
sed 's/^/    | node-pages: node /' /tmp/node-pages.txt
check_eq "xc_domain_get_node_pages() agrees with Xen's page lists" \
    "$(awk '$2 > 0' /tmp/placement.txt | sort)" \
    "$(awk '$2 > 0' /tmp/node-pages.txt | sort)"
# And as a user reads it: xl list -n's last column, node:MiB.
xl list -n | sed 's/^/    | /'
check_eq "xl list -n: the guest's memory per node" "$node:$((on_node / 256))" \
    "$(xl list -n | awk -v name="guest-node$node" '$1 == name { print $NF }')"

run "xl destroy" xl destroy "$id"
sleep 1
check_range "free memory back after destroy (MiB)" $((free_before - 2)) 1000000 "$(host_free_mb)"
finish
