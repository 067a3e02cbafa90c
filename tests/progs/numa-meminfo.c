/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XEN_SYSCTL_numa_meminfo as a toolstack reads it (xc_numa_meminfo()), on
 * every node of the host:
 *  - the figures are bytes and agree with physinfo and xc_numainfo();
 *  - claimed and claimable move by exactly what an installed set claims;
 *  - a node claim of exactly claimable succeeds and one page more is
 *    refused with ENOMEM (node 0, whose DMA zone claims cannot get,
 *    included).
 * Dom0 allocates and frees a little while the test runs, so a figure that
 * must match another read at another moment is read again (up to
 * ATTEMPTS times) when the host's free memory moved in between.
 *
 * Usage: numa-meminfo
 */
#include "testlib.h"
#include "claimlib.h"

#define HOST XEN_DOMCTL_CLAIM_MEMORY_HOST
#define ATTEMPTS 5
#define PAGE_BYTES ((uint64_t)XC_PAGE_SIZE)

static unsigned int nr_nodes;

/* All nodes' figures; exits if the call fails. */
static void meminfo(xc_node_meminfo_t *mi)
{
    unsigned int nr = CLAIM_MAX_NODES;

    if ( xc_numa_meminfo(xch, &nr, mi) || nr != nr_nodes )
    {
        perror("xc_numa_meminfo");
        exit(100);
    }
}

static uint64_t host_free_bytes(void)
{
    return host_free() * PAGE_BYTES;
}

/* The figures against each other, physinfo and xc_numainfo(). */
static void test_figures(void)
{
    xc_node_meminfo_t mi[CLAIM_MAX_NODES];
    xc_meminfo_t ni[CLAIM_MAX_NODES];
    unsigned int nr = 0, max = CLAIM_MAX_NODES, n, attempt;
    uint64_t sum_free = 0, sum_size = 0, sum_claimed = 0, before = 0;
    xc_physinfo_t pi;

    CHECK_RC("xc_numa_meminfo with no buffer gives the count", 0,
             xc_numa_meminfo(xch, &nr, NULL));
    CHECK_EQ("one entry per node id up to the highest", nr_nodes, nr);
    nr = 1;
    if ( nr_nodes > 1 )
        CHECK_RC("a buffer of one entry is too small", ERANGE,
                 xc_numa_meminfo(xch, &nr, mi));
    CHECK_EQ("... and the count comes back", nr_nodes, nr);

    /* Free memory from two calls agrees when nothing moved in between. */
    for ( attempt = 0; attempt < ATTEMPTS; attempt++ )
    {
        before = host_free_bytes();
        meminfo(mi);
        if ( xc_numainfo(xch, &max, ni, NULL) )
        {
            perror("xc_numainfo");
            exit(100);
        }
        pi = physinfo();
        if ( before == pi.free_pages * PAGE_BYTES )
            break;
    }
    test_result(attempt < ATTEMPTS, "a quiet moment to compare (attempt %u)",
                attempt + 1);

    for ( n = 0; n < nr_nodes; n++ )
    {
        printf("node %u: size %llu free %llu claimed %llu claimable %llu "
               "bytes; numainfo memsize %llu memfree %llu\n", n,
               (unsigned long long)mi[n].size, (unsigned long long)mi[n].free,
               (unsigned long long)mi[n].claimed,
               (unsigned long long)mi[n].claimable,
               (unsigned long long)ni[n].memsize,
               (unsigned long long)ni[n].memfree);
        test_result(mi[n].free == ni[n].memfree,
                    "node %u: free equals numainfo's memfree (%llu bytes)", n,
                    (unsigned long long)ni[n].memfree);
        test_result(mi[n].size > 0 && mi[n].size <= ni[n].memsize &&
                    mi[n].free <= mi[n].size,
                    "node %u: 0 < free <= size (present) <= memsize (spanned)",
                    n);
        test_result(mi[n].claimed <= mi[n].free &&
                    mi[n].claimable <= mi[n].free - mi[n].claimed,
                    "node %u: claimed <= free, claimable <= free - claimed", n);
        test_result(!(mi[n].size % PAGE_BYTES) && !(mi[n].free % PAGE_BYTES) &&
                    !(mi[n].claimed % PAGE_BYTES) &&
                    !(mi[n].claimable % PAGE_BYTES) &&
                    !mi[n].reserved[0] && !mi[n].reserved[1],
                    "node %u: whole pages in bytes, reserved fields 0", n);
        sum_free += mi[n].free;
        sum_size += mi[n].size;
        sum_claimed += mi[n].claimed;
    }
    CHECK_EQ("the nodes' free bytes add up to physinfo's free pages",
             pi.free_pages * PAGE_BYTES, sum_free);
    test_result(sum_claimed <= pi.outstanding_pages * PAGE_BYTES,
                "node claims (%llu bytes) are part of the host's claims "
                "(%llu pages)", (unsigned long long)sum_claimed,
                (unsigned long long)pi.outstanding_pages);
    /* Present RAM: what Xen manages, plus what it keeps for itself. */
    test_result(sum_size >= pi.total_pages * PAGE_BYTES &&
                sum_size - pi.total_pages * PAGE_BYTES <
                sum_size / 8,
                "the nodes' sizes (%llu bytes) cover physinfo's total pages "
                "(%llu) and little more", (unsigned long long)sum_size,
                (unsigned long long)pi.total_pages);
}

/*
 * Install @nr entries and check that each node's claimed grew, and its
 * claimable shrank, by exactly what the set claims there.
 */
static void test_installed(uint32_t domid)
{
    memory_claim_t set[CLAIM_MAX_NODES + 1];
    xc_node_meminfo_t before[CLAIM_MAX_NODES], after[CLAIM_MAX_NODES];
    unsigned int n, nr = 0, attempt, bad = 0;
    uint64_t free_before;

    for ( n = 0; n < nr_nodes; n++ )
        set[nr++] = (memory_claim_t){ .pages = 64 * (n + 1), .target = n };
    set[nr++] = (memory_claim_t){ .pages = 32, .target = HOST };

    for ( attempt = 0; attempt < ATTEMPTS; attempt++ )
    {
        free_before = host_free();
        meminfo(before);
        if ( claim_set(domid, nr, set) )
        {
            test_result(0, "install a set on every node: errno %d", errno);
            return;
        }
        meminfo(after);
        if ( free_before == host_free() )
            break;
        claim_set(domid, 1, &(memory_claim_t){ .pages = 0, .target = HOST });
    }
    for ( n = 0; n < nr_nodes; n++ )
    {
        uint64_t want = set[n].pages * PAGE_BYTES;

        if ( after[n].claimed - before[n].claimed != want ||
             before[n].claimable - after[n].claimable != want )
        {
            bad++;
            printf("node %u: claimed %llu -> %llu, claimable %llu -> %llu, "
                   "claim %llu bytes\n", n,
                   (unsigned long long)before[n].claimed,
                   (unsigned long long)after[n].claimed,
                   (unsigned long long)before[n].claimable,
                   (unsigned long long)after[n].claimable,
                   (unsigned long long)want);
        }
    }
    test_result(attempt < ATTEMPTS && !bad,
                "a set of 64 * (n + 1) pages on node n: each node's claimed "
                "grew, and its claimable shrank, by exactly its entry "
                "(attempt %u)", attempt + 1);
    CHECK_RC("release the set", 0,
             claim_set(domid, 1, &(memory_claim_t){ .pages = 0,
                                                     .target = HOST }));
}

/* A claim of exactly claimable on @node, then one page more. */
static void test_exact(uint32_t domid, unsigned int node)
{
    xc_node_meminfo_t mi[CLAIM_MAX_NODES];
    memory_claim_t e;
    unsigned int attempt;
    uint64_t pages = 0;
    int rc = -1, err = 0;
    char got[256];

    /* Exactly claimable: a refusal only counts if claimable did not drop. */
    for ( attempt = 0; attempt < ATTEMPTS; attempt++ )
    {
        meminfo(mi);
        pages = mi[node].claimable / PAGE_BYTES;
        e = (memory_claim_t){ .pages = pages, .target = node };
        rc = claim_set(domid, 1, &e);
        err = rc ? errno : 0;
        if ( !rc )
            break;
        meminfo(mi);
        if ( mi[node].claimable / PAGE_BYTES >= pages )
            break;
    }
    test_result(!rc && pages > 0,
                "node %u: a claim of exactly claimable (%llu pages) succeeds "
                "(attempt %u, errno %d)", node, (unsigned long long)pages,
                attempt + 1, err);
    if ( rc )
        return;
    claim_get_string(domid, got, sizeof(got));
    meminfo(mi);
    test_result(mi[node].claimable == 0,
                "node %u: nothing left to claim there afterwards (claimable "
                "%llu, set '%s')", node,
                (unsigned long long)mi[node].claimable, got);

    /* One page more: refused unless memory came free meanwhile. */
    for ( attempt = 0; attempt < ATTEMPTS; attempt++ )
    {
        e = (memory_claim_t){ .pages = pages + 1, .target = node };
        rc = claim_set(domid, 1, &e);
        err = rc ? errno : 0;
        if ( rc )
            break;
        /* It fit: free memory grew. Start again from the new figure. */
        meminfo(mi);
        pages += 1 + mi[node].claimable / PAGE_BYTES;
        e = (memory_claim_t){ .pages = pages, .target = node };
        if ( claim_set(domid, 1, &e) )
            break;
    }
    test_result(rc && err == ENOMEM,
                "node %u: one page more is refused with ENOMEM (attempt %u, "
                "rc %d errno %d)", node, attempt + 1, rc, err);
    CHECK_RC("release", 0,
             claim_set(domid, 1, &(memory_claim_t){ .pages = 0,
                                                     .target = HOST }));
}

int main(int argc, char **argv)
{
    uint32_t domid;
    unsigned int n;

    (void)argc;
    test_init(argv[0]);
    claimlib_open();
    nr_nodes = host_nodes();

    test_figures();
    /* Room in max_pages for any node's memory: ENOMEM, never EINVAL. */
    CHECK_RC("create a PV domain", 0,
             create_pv_domain(&domid, physinfo().total_pages));
    test_installed(domid);
    for ( n = 0; n < nr_nodes; n++ )
        test_exact(domid, n);
    CHECK_RC("destroy the domain", 0, xc_domain_destroy(xch, domid));

    printf("numa-meminfo: %u failed\n", test_failed);
    return test_exit();
}
