/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small steps on a domain's memory for tests/scenarios/node-pages.sh,
 * which compares XEN_DOMCTL_get_node_pages with Xen's 'u' debug key after
 * each of them:
 *   node-pages show DOMID              "NODE PAGES" per node
 *   node-pages create MAX_PAGES        an empty PV domain; prints its id
 *   node-pages populate DOMID GFN NR NODE ORDER
 *                                      NR extents of 2^ORDER pages from
 *                                      GFN on, exactly on NODE; prints the
 *                                      first frame of each (a PV domain's
 *                                      pages are named by machine frame)
 *   node-pages decrease DOMID          give back the single pages whose
 *                                      frames stdin lists, one per line,
 *                                      as a PV balloon driver does
 *   node-pages destroy DOMID
 * Exit status 0 on success; 1 with the errno's text on stderr otherwise.
 */
#include "claimlib.h"

static unsigned long number(const char *s)
{
    char *end;
    unsigned long v = strtoul(s, &end, 0);

    if ( !*s || *end )
    {
        fprintf(stderr, "not a number: '%s'\n", s);
        exit(2);
    }
    return v;
}

static int show(uint32_t domid)
{
    uint64_t pages[CLAIM_MAX_NODES];
    unsigned int nr = CLAIM_MAX_NODES, i;

    if ( xc_domain_get_node_pages(xch, domid, &nr, pages) )
        return -1;
    for ( i = 0; i < nr; i++ )
        printf("%u %llu\n", i, (unsigned long long)pages[i]);
    return 0;
}

static int populate_extents(uint32_t domid, xen_pfn_t gfn, unsigned long nr,
                            unsigned int node, unsigned int order)
{
    xen_pfn_t *gfns = calloc(nr ? nr : 1, sizeof(*gfns));
    unsigned long i;
    int rc;

    if ( !gfns )
        return -1;
    for ( i = 0; i < nr; i++ )
        gfns[i] = gfn + (i << order);
    rc = xc_domain_populate_physmap_exact(xch, domid, nr, order,
                                          XENMEMF_exact_node(node), gfns);
    for ( i = 0; !rc && i < nr; i++ )
        printf("%llu\n", (unsigned long long)gfns[i]);
    free(gfns);
    return rc;
}

static int decrease(uint32_t domid)
{
    xen_pfn_t frames[4096];
    unsigned long long frame;
    unsigned long nr = 0;

    while ( nr < sizeof(frames) / sizeof(frames[0]) &&
            scanf("%llu", &frame) == 1 )
        frames[nr++] = frame;
    return xc_domain_decrease_reservation_exact(xch, domid, nr, 0, frames);
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    uint32_t domid = 0;
    int rc;

    claimlib_open();
    if ( !strcmp(cmd, "show") && argc == 3 )
        rc = show(number(argv[2]));
    else if ( !strcmp(cmd, "create") && argc == 3 )
    {
        rc = create_pv_domain(&domid, number(argv[2]));
        if ( !rc )
            printf("%u\n", domid);
    }
    else if ( !strcmp(cmd, "populate") && argc == 7 )
        rc = populate_extents(number(argv[2]), number(argv[3]),
                              number(argv[4]), number(argv[5]),
                              number(argv[6]));
    else if ( !strcmp(cmd, "decrease") && argc == 3 )
        rc = decrease(number(argv[2]));
    else if ( !strcmp(cmd, "destroy") && argc == 3 )
        rc = xc_domain_destroy(xch, number(argv[2]));
    else
    {
        fprintf(stderr, "usage: see the head of tests/progs/node-pages.c\n");
        return 2;
    }
    if ( rc )
    {
        fprintf(stderr, "node-pages %s: %s\n", cmd, strerror(errno));
        return 1;
    }
    return 0;
}
