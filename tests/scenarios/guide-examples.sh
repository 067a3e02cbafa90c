# The toolstack guide's examples (build/xen/docs/designs/claims/examples),
# run as the guide says they behave: the claim is staked per node from
# what each node can claim, the pages land on the claimed nodes, the
# populate uses the claim up, the release leaves nothing, and ENOMEM
# leads to the host-wide claim.
. /tests/scenarios/lib.sh

last=$(( $(arg expect_nodes) - 1 ))

# example NAME CMD...: run an example, its output in /tmp/NAME.out.
example() {
    local name=$1 rc=0
    shift
    "$@" >/tmp/"$name".out 2>&1 || rc=$?
    sed 's/^/    | /' /tmp/"$name".out
    check_eq "$name: $* exits with 0" 0 "$rc"
}

# field FILE PREFIX: the rest of FILE's line that starts with PREFIX.
field() { sed -n "s/^$2: *//p" "$1" | head -n 1; }

# node_pages_of FILE NODE: NODE's pages in FILE's "pages per node" line.
node_pages_of() {
    field "$1" "pages per node" | tr ' ' '\n' | sed -n "s/^$2://p"
}

# sum_pages LIST: the pages of a "node:pages ..." list.
sum_pages() { echo "$1" | tr ' ' '\n' | awk -F: '{ s += $2 } END { print s + 0 }'; }

# keep_build NAME ARGS...: claim-build -k ARGS, output in /tmp/NAME.out;
# prints the id of the domain it kept.
keep_build() {
    local name=$1
    shift
    claim-build -k "$@" >/tmp/"$name".out 2>&1 || true
    sed 's/^/    | /' /tmp/"$name".out >&2
    field /tmp/"$name".out "domain"
}

# check_landed NAME ID: Xen's 'u' key agrees with the example on where
# each claimed node's pages are, and they cover its claim there.
check_landed() {
    local name=$1 id=$2 entry node want got
    domain_node_pages "$id" >/tmp/"$name".u
    for entry in $(field /tmp/"$name".out "claims staked"); do
        node=${entry%%:*}
        want=${entry#*:}
        [ "$node" = host ] && continue
        got=$(awk -v n="$node" '$1 == n { print $2 }' /tmp/"$name".u)
        check_range "$name: node $node holds its claim of $want pages ('u' key)" \
            "$want" 999999999 "$got"
        check_eq "$name: xc_domain_get_node_pages agrees on node $node" \
            "$got" "$(node_pages_of /tmp/"$name".out "$node")"
    done
}

# -- C: 256 MiB on the last node, which can take it ---------------------
id=$(keep_build c-node 256 "$last")
check_range "c-node: domain kept" 1 32767 "$id"
check_eq "c-node: claim staked on node $last" "$last:65536" \
    "$(field /tmp/c-node.out "claims staked")"
check_eq "c-node: populating used the claim up" none \
    "$(field /tmp/c-node.out "claims after populating")"
check_eq "c-node: all 65536 pages on node $last" 65536 \
    "$(node_pages_of /tmp/c-node.out "$last")"
check_landed c-node "$id"
check_eq "c-node: nothing claimed after the release" none \
    "$(field /tmp/c-node.out "claims after release")"
claimctl destroy "$id" >/dev/null
check_eq "c-node: no claim left on the host (MiB)" 0 "$(host_outstanding_mb)"

# -- C: more than the best node can claim: split, node by node ----------
best=$(xl info -n | numa_rows | sort -k3 -n | tail -n 1 | awk '{ print $3 }')
big=$(( best + 64 ))
id=$(keep_build c-split "$big")
check_range "c-split: domain kept" 1 32767 "$id"
staked=$(field /tmp/c-split.out "claims staked")
check_eq "c-split: $big MiB staked in full" $(( big * 256 )) "$(sum_pages "$staked")"
check_range "c-split: over two entries or more ($staked)" 2 99 \
    "$(echo "$staked" | wc -w)"
# GET lists nodes in id order: whichever node took the rest may be odd.
check_range "c-split: node entries in whole 2 MiB extents, but the rest" 0 1 \
    "$(echo "$staked" | tr ' ' '\n' | grep -v '^host' |
       awk -F: '$2 % 512 { n++ } END { print n + 0 }')"
check_landed c-split "$id"
check_eq "c-split: populating used the claim up" none \
    "$(field /tmp/c-split.out "claims after populating")"
check_eq "c-split: nothing claimed after the release" none \
    "$(field /tmp/c-split.out "claims after release")"
[ -z "$id" ] || claimctl destroy "$id" >/dev/null

# -- C: a node another domain has claimed: the host-wide part ------------
rival=$(claimctl create $(( $(node_free_mb "$last") + 64 )))
pages=$(node_claimable "$rival" "$last")
run "rival claims all $pages claimable pages of node $last" \
    claimctl set "$rival" "$last:$pages"
id=$(keep_build c-host 64 "$last")
check_range "c-host: domain kept" 1 32767 "$id"
check_eq "c-host: node $last has nothing to claim: host-wide" "host:16384" \
    "$(field /tmp/c-host.out "claims staked")"
check_eq "c-host: the rival's claim is intact" "$last:$pages" \
    "$(claimctl get "$rival")"
check_eq "c-host: nothing claimed after the release" none \
    "$(field /tmp/c-host.out "claims after release")"
[ -z "$id" ] || claimctl destroy "$id" >/dev/null
claimctl destroy "$rival" >/dev/null

# -- OCaml: a domain that fits the best node -----------------------------
cpu_nodes=$(xl info -n | awk '/^cpu_topology/ { t = 1; next }
    t && /^cpu:/ { next }
    t && /^ *[0-9]+:/ { printf "%s%s", sep, $4; sep = "," ; next }
    t { exit }')
example ml-node claim-build-ml 256 "$cpu_nodes"
staked=$(field /tmp/ml-node.out "claims staked")
node=${staked%%:*}
check_eq "ml-node: 65536 pages claimed on one node ($staked)" 65536 "${staked#*:}"
check_eq "ml-node: populating used the claim up" none \
    "$(field /tmp/ml-node.out "claims after populating")"
check_eq "ml-node: all pages on node $node" 65536 "$(node_pages_of /tmp/ml-node.out "$node")"
check_eq "ml-node: nothing claimed after the release" none \
    "$(field /tmp/ml-node.out "claims after release")"

# -- OCaml: more than any node can claim: ENOMEM, then host-wide --------
example ml-host claim-build-ml "$big" "$cpu_nodes"
check_eq "ml-host: ENOMEM on the node, claimed host-wide" "host:$(( big * 256 ))" \
    "$(field /tmp/ml-host.out "claims staked")"
check_eq "ml-host: the domain got all its pages" $(( big * 256 )) \
    "$(sum_pages "$(field /tmp/ml-host.out "pages per node")")"
check_eq "ml-host: nothing claimed after the release" none \
    "$(field /tmp/ml-host.out "claims after release")"

check_eq "no claim left on the host (MiB)" 0 "$(host_outstanding_mb)"
finish
