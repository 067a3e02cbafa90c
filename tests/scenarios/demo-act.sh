# make demo's first act: what a claim on a node protects, with two
# domains and claimctl, once with 4.17's host-wide claim and once with a
# claim set. The same three steps in both modes:
#
#   1. A builder claims all of node K but ACT_SLACK_MB of its free memory
#      (K is the last node: no DMA zone there) and populates nothing yet,
#      as a real builder that is still reading and unpacking its kernel.
#   2. Another domain, with no node affinity, populates half a node's
#      worth in 2 MiB extents with no node given. Xen serves each such
#      extent from the node after the one it served last
#      (d->last_alloc_node), so about a quarter of it comes from node K
#      unless something keeps it off.
#   3. The builder populates its claim on node K exactly, as libxenguest
#      does for memory bound to a node (2 MiB extents, then single pages);
#      what node K can no longer give it is populated anywhere: it spills.
#
# A host-wide claim (a LEGACY entry: XENMEM_claim_pages) only keeps the
# claimed amount free somewhere on the host, so step 2 takes memory of
# node K that the builder counted on. With a claim set (K:pages), SPEC.md
# says claimed memory on a node is kept for its claimant: step 2 gets no
# more of node K than the slack, and the builder gets every page on K.
#
# The sizes are fixed once from the host, before either mode runs. Each
# mode prints, for make demo (scripts/storm-report.py act):
#   ACT mode=M node=K claim=PAGES slack=PAGES other=PAGES exact=PAGES
#       builder=P0,P1,... other_pages=P0,P1,...   (one line)
# exact: the builder's pages that node K gave to its exact-node requests;
# builder and other_pages: each domain's pages per node at the end.
. /tests/scenarios/lib.sh

ACT_NODE=$(( $(arg expect_nodes) - 1 ))
ACT_SLACK=$((16 * 256))             # 16 MiB, in pages
ACT_CLAIM=0
ACT_OTHER=0

# Round PAGES down to whole 2 MiB extents.
extents() { echo $(( $1 / 512 )); }

# populate DOMID NODE N ORDER [GFN]: claimctl populate without the MFNs
# it prints; on failure, its error line.
populate() {
    claimctl populate "$@" >/tmp/act-populate.txt || {
        tail -n 1 /tmp/act-populate.txt
        return 1
    }
}

# pages_csv DOMID: the domain's pages per node, as "P0,P1,...".
pages_csv() {
    claimctl node-pages "$1" | awk '{ printf "%s%s", (NR > 1 ? "," : ""), $2 }'
}

# pages_on DOMID NODE: the domain's pages on NODE.
pages_on() { claimctl node-pages "$1" | awk -v n="$2" '$1 == n { print $2 }'; }

# act_setup: the sizes, from the host as it is now.
act_setup() {
    local free host
    free=$(claimctl node-free "$ACT_NODE")
    host=$(( $(host_free_mb) * 256 ))
    ACT_CLAIM=$(( $(extents $((free - ACT_SLACK))) * 512 ))
    ACT_OTHER=$(( $(extents $((free / 2))) * 512 ))
    echo "    | node $ACT_NODE: $free free pages; the builder claims $ACT_CLAIM" \
         "($((ACT_CLAIM / 256)) MiB), the other domain populates $ACT_OTHER" \
         "($((ACT_OTHER / 256)) MiB) on no node in particular"
    # The host must hold both, or the act shows nothing but a failure.
    check_range "the host has room for the builder's claim and the other domain (pages)" \
        $((ACT_CLAIM + ACT_OTHER + ACT_SLACK)) 99999999 "$host"
}

# act_mode MODE: the three steps with a host-wide claim (0) or a claim
# set (1), the checks, and the ACT line.
act_mode() {
    local mode=$1 label entry b u exact rest on other_on out
    label=$([ "$mode" = 1 ] && echo "claim sets" || echo "host-wide claims")
    entry=$([ "$mode" = 1 ] && echo "$ACT_NODE:$ACT_CLAIM" || echo "legacy:$ACT_CLAIM")
    if ! b=$(claimctl create $((ACT_CLAIM / 256 + 8))) ||
       ! u=$(claimctl create $((ACT_OTHER / 256 + 8))); then
        fail "$label: creating the two domains: $b ${u:-}"
        return
    fi
    echo "CLAIMTEST: PHASE act, $label: builder d$b claims $entry"
    if ! run "$label: the builder claims its pages ($entry)" claimctl set "$b" "$entry"; then
        claimctl destroy "$u" >/dev/null
        claimctl destroy "$b" >/dev/null
        return
    fi
    run "$label: the other domain populates $ACT_OTHER pages on no node in particular" \
        populate "$u" -1 "$(extents "$ACT_OTHER")" 9
    # As libxenguest populates memory bound to a node: 2 MiB extents while
    # node K has them, then single pages (each request stops at the first
    # that node K cannot give); what node K has no more, anywhere.
    populate "$b" "$ACT_NODE" "$(extents "$ACT_CLAIM")" 9 >/dev/null || true
    exact=$(pages_on "$b" "$ACT_NODE")
    [ "$exact" -eq "$ACT_CLAIM" ] ||
        populate "$b" "$ACT_NODE" $((ACT_CLAIM - exact)) 0 "$exact" >/dev/null || true
    exact=$(pages_on "$b" "$ACT_NODE")
    rest=$((ACT_CLAIM - exact))
    if [ "$rest" -gt 0 ] && ! out=$(populate "$b" -1 "$rest" 0 "$exact"); then
        fail "$label: populating the builder's $rest other pages anywhere: $out"
    fi
    on=$(pages_on "$b" "$ACT_NODE")
    other_on=$(pages_on "$u" "$ACT_NODE")
    echo "    | $label: the other domain got $other_on pages on node $ACT_NODE" \
         "($(pages_csv "$u") per node); the builder got $exact of its $ACT_CLAIM pages" \
         "there, $rest spilled ($(pages_csv "$b") per node)"
    echo "ACT mode=$mode node=$ACT_NODE claim=$ACT_CLAIM slack=$ACT_SLACK other=$ACT_OTHER" \
         "exact=$exact builder=$(pages_csv "$b") other_pages=$(pages_csv "$u")"
    check_eq "$label: the builder holds all the pages it claimed" "$ACT_CLAIM" \
        "$(claimctl node-pages "$b" | awk '{ s += $2 } END { print s + 0 }')"
    check_eq "$label: the other domain holds all it populated" "$ACT_OTHER" \
        "$(claimctl node-pages "$u" | awk '{ s += $2 } END { print s + 0 }')"
    check_eq "$label: nothing is left of the builder's claim" "" "$(claimctl get "$b")"
    if [ "$mode" = 1 ]; then
        # SPEC.md: claimed memory on a node is kept for its claimant.
        check_eq "claim sets: every page the builder claimed on node $ACT_NODE is there" \
            "$ACT_CLAIM" "$on"
        check_range "claim sets: the other domain got no more of node $ACT_NODE than was unclaimed" \
            0 "$ACT_SLACK" "$other_on"
    fi
    claimctl destroy "$u" >/dev/null
    claimctl destroy "$b" >/dev/null
    check_eq "$label: no claim left on the host (MiB)" 0 "$(host_outstanding_mb)"
}

act_setup && { act_mode 0; act_mode 1; }
finish
