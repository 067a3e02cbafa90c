/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XEN_DOMCTL_claim_memory on a real host (at least two NUMA nodes):
 * install, GET, replace and clear; every error of the ABI with the claims
 * unchanged afterwards; two domains competing for one node; claims
 * redeemed on the right node, in the right order, as memory is populated;
 * destroy releasing claims, also of a domain kept dying by a mapping;
 * releases that succeed for dying domains and over max_pages; claims
 * given back when an extent is refused; node claims and the DMA zone.
 */
#include <sys/mman.h>

#include "claimlib.h"
#include "testlib.h"

#define HOST XEN_DOMCTL_CLAIM_MEMORY_HOST
#define LEGACY XEN_DOMCTL_CLAIM_MEMORY_LEGACY
#define E(t, p) { .pages = (p), .target = (t) }

static unsigned int nodes;

/* The domain's claim set must read back as @want. */
static void check_claims(const char *what, uint32_t domid, const char *want)
{
    char got[1024];

    if ( claim_get_string(domid, got, sizeof(got)) )
        test_result(0, "%s: GET failed: %s", what, strerror(errno));
    else
        test_result(!strcmp(got, want), "%s: claims '%s'%s%s%s", what, got,
                    strcmp(got, want) ? " (expected '" : "",
                    strcmp(got, want) ? want : "",
                    strcmp(got, want) ? "')" : "");
}

static void test_install_get_replace_clear(uint32_t a, uint64_t base)
{
    memory_claim_t three[] = { E(0, 1024), E(1, 1024), E(HOST, 1024) };
    memory_claim_t reordered[] = { E(HOST, 16), E(1, 32), E(0, 64) };
    memory_claim_t one[] = { E(1, 2048) };
    memory_claim_t clear[] = { E(HOST, 0) };
    memory_claim_t e[4];
    uint32_t nr;
    uint64_t tot, claim;

    CHECK_RC("SET node 0, node 1 and host-wide", 0, claim_set(a, 3, three));
    check_claims("GET after SET", a, "0:1024 1:1024 host:1024");
    domain_pages(a, &tot, &claim);
    CHECK_EQ("domain's outstanding pages include the host-wide part", 3072, claim);
    CHECK_EQ("host outstanding claims", base + 3072, host_outstanding());

    nr = 2;
    CHECK_RC("GET into a buffer of 2 for 3 entries (raw domctl)", ERANGE,
             claim_memory_op(a, XEN_DOMCTL_CLAIM_MEMORY_GET, &nr, e, NULL));
    CHECK_EQ("-ERANGE reports the entries needed", 3, nr);
    nr = 0;
    CHECK_RC("GET with no buffer (raw domctl)", ERANGE,
             claim_memory_op(a, XEN_DOMCTL_CLAIM_MEMORY_GET, &nr, e, NULL));
    CHECK_EQ("... also reports 3", 3, nr);
    memset(e, 0xa5, sizeof(e));
    nr = 2;
    CHECK_RC("xc_domain_get_claims() into room for 2", ERANGE,
             xc_domain_get_claims(xch, a, &nr, e));
    CHECK_EQ("... reports the 3 entries needed", 3, nr);
    test_result(e[0].pages == 0xa5a5a5a5a5a5a5a5ULL && e[1].cmd == 0xa5a5a5a5U,
                "... and leaves the caller's array as it was");
    nr = 0;
    CHECK_RC("xc_domain_get_claims() with no array", ERANGE,
             xc_domain_get_claims(xch, a, &nr, NULL));
    CHECK_EQ("... reports 3", 3, nr);
    nr = 4;
    CHECK_RC("xc_domain_get_claims() with room to spare", 0,
             xc_domain_get_claims(xch, a, &nr, e));
    CHECK_EQ("... returns 3 entries", 3, nr);
    test_result(e[0].target == 0 && e[0].pages == 1024 && e[1].target == 1 &&
                e[2].target == HOST && e[2].pages == 1024,
                "... node 0, node 1, host, in that order");

    CHECK_RC("SET in any order", 0, claim_set(a, 3, reordered));
    check_claims("GET sorts nodes, host last", a, "0:64 1:32 host:16");

    CHECK_RC("SET replaces the claims", 0, claim_set(a, 1, one));
    check_claims("GET after replace", a, "1:2048");
    CHECK_EQ("host outstanding after replace", base + 2048, host_outstanding());

    CHECK_RC("SET {0, HOST} clears", 0, claim_set(a, 1, clear));
    check_claims("GET after clear", a, "");
    CHECK_EQ("host outstanding after clear", base, host_outstanding());
}

/* SET must fail with @err and leave the claims as they were. */
/*
 * A refused SET: the same set once through libxenctrl and once as a raw
 * domctl, each answered with @err and leaving every claim as it was.
 */
static void expect_refused(const char *what, uint32_t domid, int err,
                           uint32_t nr, const memory_claim_t *entries)
{
    memory_claim_t copy[CLAIM_MAX_NODES + 8];
    char before[1024], after[1024], label[256];
    uint64_t outstanding = host_outstanding();
    uint32_t n;
    int raw;

    if ( nr > sizeof(copy) / sizeof(copy[0]) )
        abort();
    claim_get_string(domid, before, sizeof(before));
    for ( raw = 0; raw <= 1; raw++ )
    {
        snprintf(label, sizeof(label), "%s (%s)", what,
                 raw ? "raw domctl" : "libxenctrl");
        if ( raw )
        {
            memcpy(copy, entries, sizeof(*entries) * nr);
            n = nr;
            CHECK_RC(label, err, claim_memory_op(domid,
                                                 XEN_DOMCTL_CLAIM_MEMORY_SET,
                                                 &n, copy, NULL));
        }
        else
            CHECK_RC(label, err, claim_set(domid, nr, entries));
        claim_get_string(domid, after, sizeof(after));
        test_result(!strcmp(before, after) && outstanding == host_outstanding(),
                    "... claims unchanged ('%s', host %llu)", after,
                    (unsigned long long)host_outstanding());
    }
}

static void test_errors(uint32_t a, uint32_t small, uint64_t small_max)
{
    memory_claim_t baseline[] = { E(0, 512), E(HOST, 256) };
    memory_claim_t many[CLAIM_MAX_NODES + 2];
    uint64_t free_pages = host_free(), n1 = node_free(1);
    uint32_t nr, mode;
    unsigned int i;

    CHECK_RC("install a baseline set", 0, claim_set(a, 2, baseline));

    {
        memory_claim_t e[] = { { .pages = 1, .target = 0, .cmd = 1 } };
        expect_refused("cmd != 0", a, EINVAL, 1, e);
    }
    {
        memory_claim_t e[] = { E(LEGACY | 2, 1) };
        expect_refused("unknown selector bits", a, EINVAL, 1, e);
    }
    {
        memory_claim_t e[] = { E(0x20000000U, 1) };
        expect_refused("a node id far beyond the host", a, ENOENT, 1, e);
    }
    {
        memory_claim_t e[] = { E(HOST | 1, 1) };
        expect_refused("HOST with node bits", a, EINVAL, 1, e);
    }
    {
        memory_claim_t e[] = { E(CLAIM_MAX_NODES, 1) };
        expect_refused("node id >= MAX_NUMNODES", a, ENOENT, 1, e);
    }
    {
        memory_claim_t e[] = { E(nodes, 1) };
        expect_refused("node id of an offline node", a, ENOENT, 1, e);
    }
    {
        memory_claim_t e[] = { E(1, 1), E(1, 2) };
        expect_refused("a node twice", a, EINVAL, 2, e);
    }
    {
        memory_claim_t e[] = { E(HOST, 1), E(HOST, 2) };
        expect_refused("HOST twice", a, EINVAL, 2, e);
    }
    {
        memory_claim_t e[] = { E(LEGACY, 100), E(0, 1) };
        expect_refused("LEGACY with other entries", a, EINVAL, 2, e);
    }
    {
        memory_claim_t e[] = { E(0, 1) };
        char before[1024], after[1024];

        claim_get_string(a, before, sizeof(before));
        nr = 1;
        mode = 2;
        CHECK_RC("unknown mode (raw domctl)", EOPNOTSUPP,
                 claim_memory_op(a, mode, &nr, e, NULL));
        claim_get_string(a, after, sizeof(after));
        test_result(!strcmp(before, after), "... claims unchanged ('%s')", after);
    }
    memset(many, 0, sizeof(many));
    for ( i = 0; i < CLAIM_MAX_NODES + 2; i++ )
        many[i] = (memory_claim_t)E(i, 1);
    expect_refused("more than MAX_NUMNODES + 1 entries", a, E2BIG,
                   CLAIM_MAX_NODES + 2, many);
    expect_refused("SET with no entries", a, EINVAL, 0, many);
    {
        memory_claim_t e[] = { E(0, 1ULL << 63), E(1, 1ULL << 63) };
        expect_refused("sum of pages overflows", a, EINVAL, 2, e);
    }
    {
        memory_claim_t e[] = { E(HOST, small_max + 1) };
        expect_refused("claims above max_pages", small, EINVAL, 1, e);
    }
    {
        memory_claim_t e[] = { E(0, small_max / 2) };
        uint64_t tot, claim;

        CHECK_RC("populate half of max_pages", 0,
                 populate(small, 0, small_max / 2, -1, NULL));
        domain_pages(small, &tot, &claim);
        e[0].pages = small_max - tot + 1;
        expect_refused("claims + pages already allocated > max_pages",
                       small, EINVAL, 1, e);
        e[0].pages = small_max - tot;
        CHECK_RC("claims + pages allocated == max_pages is fine", 0,
                 claim_set(small, 1, e));
    }
    {
        memory_claim_t e[] = { E(0, 1) };
        /* The highest id below Xen's reserved ones: the bed never gets there. */
        expect_refused("a domain that does not exist", 0x7fef, ESRCH, 1, e);
    }
    {
        memory_claim_t e[] = { E(1, n1 + 1) };
        expect_refused("more than node 1 has free", a, ENOMEM, 1, e);
    }
    {
        memory_claim_t e[] = { E(HOST, free_pages + 1) };
        expect_refused("more than the host has free", a, ENOMEM, 1, e);
    }
    {
        memory_claim_t e[] = { E(0, 1), E(1, 1) };
        char before[1024], after[1024];

        claim_get_string(a, before, sizeof(before));
        nr = 2;
        /* An address no hypercall buffer covers and nothing maps. */
        CHECK_RC("bad guest handle", EFAULT,
                 claim_memory_op(a, XEN_DOMCTL_CLAIM_MEMORY_SET, &nr, e,
                                 (void *)0x1000));
        claim_get_string(a, after, sizeof(after));
        test_result(!strcmp(before, after), "... claims unchanged ('%s')", after);
    }
    check_claims("after all refusals: the baseline", a, "0:512 host:256");
    {
        memory_claim_t clear[] = { E(HOST, 0) };

        CHECK_RC("clear", 0, claim_set(a, 1, clear));
        CHECK_RC("clear the small domain", 0, claim_set(small, 1, clear));
    }
}

/* Two domains want node 1; a claim keeps it for one of them. */
static void test_competition(uint32_t a, uint32_t b)
{
    memory_claim_t all_of_node1[] = { E(1, 0) };
    memory_claim_t one_page[] = { E(1, 1) };
    memory_claim_t clear[] = { E(HOST, 0) };
    uint64_t n1, tot, claim;
    int tries;

    /* Dom0 may allocate in between; retry on a fresh figure. */
    for ( tries = 0; tries < 5; tries++ )
    {
        all_of_node1[0].pages = node_free(1);
        if ( !claim_set(a, 1, all_of_node1) )
            break;
    }
    test_result(tries < 5, "A claims all free memory of node 1 (%llu pages)",
                (unsigned long long)all_of_node1[0].pages);
    n1 = node_free(1);

    expect_refused("B cannot claim one page there", b, ENOMEM, 1, one_page);
    /* libxenctrl reports a partial populate as EBUSY. */
    CHECK_RC("B cannot populate node 1 exactly", EBUSY,
             populate(b, 0, 16, 1, NULL));
    CHECK_RC("B can populate elsewhere", 0, populate(b, 0, 256, -1, NULL));
    CHECK_EQ("... and node 1 kept its free pages", n1, node_free(1));

    CHECK_RC("A populates 1024 pages on node 1", 0, populate(a, 0, 1024, 1, NULL));
    domain_pages(a, &tot, &claim);
    CHECK_EQ("A's claim shrank by 1024", all_of_node1[0].pages - 1024, claim);
    CHECK_EQ("node 1 lost 1024 free pages", n1 - 1024, node_free(1));

    CHECK_RC("A releases its claim", 0, claim_set(a, 1, clear));
    CHECK_RC("now B can populate node 1", 0, populate(b, 1024, 16, 1, NULL));
}

/* Claims are redeemed on the allocation's node, then host-wide, then
 * on other nodes. */
static void test_redeem_order(uint32_t a, xen_pfn_t first)
{
    memory_claim_t set[] = { E(0, 100), E(1, 100), E(HOST, 100) };
    memory_claim_t nodes_only[] = { E(0, 100), E(1, 100) };
    memory_claim_t clear[] = { E(HOST, 0) };
    uint64_t base = host_outstanding();

    CHECK_RC("SET 0:100 1:100 host:100", 0, claim_set(a, 3, set));
    CHECK_RC("populate 50 on node 1", 0, populate(a, first, 50, 1, NULL));
    check_claims("node 1's claim redeemed first", a, "0:100 1:50 host:100");
    CHECK_RC("populate 80 more on node 1", 0, populate(a, first + 50, 80, 1, NULL));
    check_claims("then the host-wide claim", a, "0:100 host:70");
    CHECK_RC("populate 100 on node 0", 0, populate(a, first + 130, 100, 0, NULL));
    check_claims("node 0's claim", a, "host:70");
    CHECK_EQ("host outstanding follows", base + 70, host_outstanding());
    CHECK_RC("clear", 0, claim_set(a, 1, clear));

    CHECK_RC("SET 0:100 1:100", 0, claim_set(a, 2, nodes_only));
    CHECK_RC("populate 150 on node 1", 0, populate(a, first + 230, 150, 1, NULL));
    check_claims("other nodes' claims cover the rest", a, "0:50");
    CHECK_RC("clear", 0, claim_set(a, 1, clear));
    CHECK_EQ("host outstanding back", base, host_outstanding());
}

/* A dying domain takes no claims, and destroy releases them. */
static void test_dying(uint64_t base)
{
    memory_claim_t set[] = { E(0, 64), E(HOST, 64) };
    memory_claim_t release[] = { E(HOST, 0) };
    memory_claim_t zero_nodes[] = { E(0, 0), E(1, 0) };
    memory_claim_t bad_release[] = { E(1, 0), E(1, 0) };
    xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
    xen_pfn_t mfn;
    uint32_t d;
    void *map;
    int err = 0;

    CHECK_RC("create a domain", 0, create_pv_domain(&d, 4096));
    CHECK_RC("populate one page", 0, populate(d, 0, 1, -1, &mfn));
    CHECK_RC("SET claims", 0, claim_set(d, 2, set));
    map = fmem ? xenforeignmemory_map(fmem, d, PROT_READ, 1, &mfn, &err) : NULL;
    test_result(map && !err, "map the page from dom0 (keeps the domain dying)");
    CHECK_RC("destroy it", 0, xc_domain_destroy(xch, d));
    CHECK_EQ("destroy released the claims", base, host_outstanding());
    expect_refused("SET on a dying domain", d, ESRCH, 2, set);
    /*
     * XENMEM_claim_pages on a dying domain: ESRCH in the 4.17 series;
     * master refuses it with EINVAL (2379ca04fe) before the claim code,
     * which the master series keeps.
     */
    CHECK_RC("legacy claim on a dying domain", CLAIMLIB_LEGACY_DYING_ERRNO,
             xc_domain_claim_pages(xch, d, 100));
    CHECK_EQ("host outstanding unchanged", base, host_outstanding());
    /* Releasing never fails, not even for a dying domain. */
    CHECK_RC("SET {0, HOST} on a dying domain succeeds", 0,
             claim_set(d, 1, release));
    CHECK_RC("zero node entries on a dying domain succeed", 0,
             claim_set(d, 2, zero_nodes));
    CHECK_RC("legacy release (0) on a dying domain succeeds", 0,
             xc_domain_claim_pages(xch, d, 0));
    expect_refused("a malformed release is still refused", d, EINVAL, 2,
                   bad_release);
    if ( map )
        xenforeignmemory_unmap(fmem, map, 1);
    if ( fmem )
        xenforeignmemory_close(fmem);
}

/*
 * Lowering max_pages below the pages a domain holds must not leave its
 * claims stuck: a release succeeds, while a new claim is refused.
 */
static void test_release_over_max(uint64_t base)
{
    memory_claim_t set[] = { E(1, 256), E(HOST, 64) };
    memory_claim_t release[] = { E(HOST, 0) };
    memory_claim_t zero_nodes[] = { E(0, 0), E(1, 0), E(HOST, 0) };
    uint32_t d;

    CHECK_RC("create a domain", 0, create_pv_domain(&d, 1024));
    CHECK_RC("populate 512 pages", 0, populate(d, 0, 512, -1, NULL));
    CHECK_RC("SET claims", 0, claim_set(d, 2, set));
    CHECK_RC("lower max_pages to 256, below the 512 pages held", 0,
             xc_domain_setmaxmem(xch, d, 256 * (XC_PAGE_SIZE / 1024)));
    expect_refused("a new claim over max_pages", d, EINVAL, 2, set);
    CHECK_RC("zero node entries release", 0, claim_set(d, 3, zero_nodes));
    check_claims("nothing left claimed", d, "");
    CHECK_EQ("host outstanding back", base, host_outstanding());
    CHECK_RC("SET {0, HOST} again (nothing to release)", 0,
             claim_set(d, 1, release));
    CHECK_RC("destroy it", 0, xc_domain_destroy(xch, d));
}

/*
 * A claim is only used up by pages the domain keeps: an order-9 extent
 * that assign_pages() refuses (over max_pages) leaves the claims as they
 * were.
 */
static void test_refused_extent_keeps_claims(uint64_t base)
{
    memory_claim_t node[] = { E(1, 128) };
    memory_claim_t host[] = { E(HOST, 128) };
    xen_pfn_t gpfn = 0;
    uint32_t d;

    CHECK_RC("create a domain with max_pages 256", 0,
             create_pv_domain(&d, 256));
    CHECK_RC("SET 128 pages on node 1", 0, claim_set(d, 1, node));
    test_result(xc_domain_populate_physmap_exact(xch, d, 1, 9,
                                                 XENMEMF_exact_node(1),
                                                 &gpfn) != 0,
                "an order-9 extent over max_pages is refused");
    check_claims("the node claim is back", d, "1:128");
    CHECK_RC("SET 128 pages host-wide", 0, claim_set(d, 1, host));
    gpfn = 0;
    test_result(xc_domain_populate_physmap_exact(xch, d, 1, 9, 0, &gpfn) != 0,
                "the same extent without a node is refused");
    check_claims("the host-wide claim is back", d, "host:128");
    CHECK_EQ("host outstanding counts the claim", base + 128,
             host_outstanding());
    CHECK_RC("destroy it", 0, xc_domain_destroy(xch, d));
    CHECK_EQ("host outstanding back", base, host_outstanding());
}

/*
 * Node claims count only memory above the DMA zone, which Xen keeps for
 * last (node 0's low memory here): claiming nearly all of node 0's free
 * memory is refused, the same on the last node (no DMA zone) is admitted.
 */
static void test_dma_zone(uint64_t base)
{
    unsigned int last = nodes - 1;
    uint64_t margin = 1024, free0 = node_free(0), free_last = node_free(last);
    memory_claim_t on0[] = { E(0, free0 - margin) };
    memory_claim_t on_last[] = { E(last, free_last - margin) };
    memory_claim_t release[] = { E(HOST, 0) };
    uint32_t d;

    CHECK_RC("create a domain as large as the host", 0,
             create_pv_domain(&d, host_free()));
    expect_refused("a node-0 claim that needs its DMA zone", d, ENOMEM, 1,
                   on0);
    CHECK_RC("the same claim on the last node (no DMA zone)", 0,
             claim_set(d, 1, on_last));
    CHECK_RC("release it", 0, claim_set(d, 1, release));
    CHECK_RC("destroy it", 0, xc_domain_destroy(xch, d));
    CHECK_EQ("host outstanding back", base, host_outstanding());
}

/*
 * The use the design's guest guide shows, through libxenctrl alone:
 * claim 1024 pages on each of nodes 0 and 1 and 1024 host-wide, move the
 * claims to nodes 1, 2 and 3, then release everything (4 nodes needed).
 */
static void test_guide_example(uint64_t base)
{
    memory_claim_t first[] = { E(0, 1024), E(1, 1024), E(HOST, 1024) };
    memory_claim_t moved[] = { E(1, 1024), E(2, 1024), E(3, 1024) };
    memory_claim_t release[] = { E(HOST, 0) };
    uint32_t d;

    if ( nodes < 4 )
    {
        printf("CLAIMTEST: SKIP %s: the guide's example needs 4 nodes, "
               "host has %u\n", test_name, nodes);
        return;
    }
    CHECK_RC("guide: create a domain", 0, create_pv_domain(&d, 8192));
    CHECK_RC("guide: claim nodes 0, 1 and host-wide", 0,
             xc_domain_claim_memory(xch, d, 3, first));
    check_claims("guide: 3072 pages claimed", d, "0:1024 1:1024 host:1024");
    CHECK_RC("guide: move the claims to nodes 1, 2 and 3", 0,
             xc_domain_claim_memory(xch, d, 3, moved));
    check_claims("guide: the new set replaced the old",
                 d, "1:1024 2:1024 3:1024");
    CHECK_RC("guide: release", 0, xc_domain_claim_memory(xch, d, 1, release));
    check_claims("guide: nothing claimed", d, "");
    CHECK_RC("guide: destroy", 0, xc_domain_destroy(xch, d));
    CHECK_EQ("guide: host outstanding back", base, host_outstanding());
}

int main(int argc, char **argv)
{
    uint64_t base, big = 4ULL << (30 - XC_PAGE_SHIFT), small_max = 4096;
    uint32_t a, b, small;

    (void)argc;
    test_init(argv[0]);
    claimlib_open();
    nodes = host_nodes();
    if ( nodes < 2 )
    {
        printf("CLAIMTEST: SKIP %s: needs two NUMA nodes, host has %u\n",
               test_name, nodes);
        return 0;
    }
    base = host_outstanding();

    CHECK_RC("create domain A", 0, create_pv_domain(&a, big));
    CHECK_RC("create domain B", 0, create_pv_domain(&b, big));
    CHECK_RC("create a small domain", 0, create_pv_domain(&small, small_max));

    test_install_get_replace_clear(a, base);
    test_errors(a, small, small_max);
    test_competition(a, b);
    test_redeem_order(a, 4096);

    {
        memory_claim_t set[] = { E(0, 256), E(1, 256), E(HOST, 256) };

        CHECK_RC("SET claims before destroy", 0, claim_set(a, 3, set));
    }
    CHECK_RC("destroy A", 0, xc_domain_destroy(xch, a));
    CHECK_RC("destroy B", 0, xc_domain_destroy(xch, b));
    CHECK_RC("destroy the small domain", 0, xc_domain_destroy(xch, small));
    CHECK_EQ("destroy released every claim", base, host_outstanding());

    test_dying(base);
    test_release_over_max(base);
    test_refused_extent_keeps_claims(base);
    test_dma_zone(base);
    test_guide_example(base);

    return test_exit();
}
