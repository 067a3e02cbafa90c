/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small command line over XEN_DOMCTL_claim_memory for shell scenarios:
 *   claimctl create MAX_MB [LABEL]  create an empty PV domain, print its id;
 *                                   LABEL is a Flask context for it
 *   claimctl set DOMID T:PAGES...   SET a claim set; T is a node, "host"
 *                                   or "legacy"
 *   claimctl get DOMID              print the claim set ("0:12 host:34")
 *   claimctl populate DOMID NODE N [ORDER [GFN]]
 *                                   populate N extents of 2^ORDER pages (0)
 *                                   from GFN (0) on, on NODE exactly, and
 *                                   print the first MFN of each in hex
 *   claimctl decrease DOMID         give back the single pages whose MFNs
 *                                   (hex) stdin lists, as a PV balloon
 *                                   driver does (decrease_reservation)
 *   claimctl node-free NODE         print the free pages of a node
 *   claimctl node-pages DOMID       print "node pages" for each node, from
 *                                   xc_domain_get_node_pages()
 *   claimctl destroy DOMID
 * Errors print the errno name and exit 1.
 */
#define _GNU_SOURCE /* strerrorname_np() */
#include <string.h>

#include "claimlib.h"

static int usage(void)
{
    fprintf(stderr, "usage: claimctl create MAX_MB [LABEL] | set DOMID T:PAGES... | "
                    "get DOMID | populate DOMID NODE N [ORDER [GFN]] | "
                    "decrease DOMID | node-free NODE | node-pages DOMID | "
                    "destroy DOMID\n");
    return 2;
}

static int fail(const char *what)
{
    printf("%s failed: %s (%s)\n", what, strerrorname_np(errno), strerror(errno));
    return 1;
}

static int parse_entry(const char *arg, memory_claim_t *e)
{
    const char *colon = strchr(arg, ':');
    char *end;

    if ( !colon )
        return -1;
    memset(e, 0, sizeof(*e));
    if ( !strncmp(arg, "host:", 5) )
        e->target = XEN_DOMCTL_CLAIM_MEMORY_HOST;
    else if ( !strncmp(arg, "legacy:", 7) )
        e->target = XEN_DOMCTL_CLAIM_MEMORY_LEGACY;
    else
    {
        e->target = strtoul(arg, &end, 0);
        if ( end != colon )
            return -1;
    }
    e->pages = strtoull(colon + 1, &end, 0);
    return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
    memory_claim_t entries[CLAIM_MAX_NODES + 8];
    char text[1024];
    uint32_t domid;
    int i;

    if ( argc < 3 )
        return usage();
    claimlib_open();

    if ( !strcmp(argv[1], "create") )
    {
        uint32_t ssidref = 0;

        if ( argc > 3 &&
             claimlib_context_to_sid(xch, argv[3], &ssidref) )
            return fail("label");
        if ( create_pv_domain_labelled(&domid, strtoull(argv[2], NULL, 0) << 8,
                                       ssidref) )
            return fail("create");
        printf("%u\n", domid);
        return 0;
    }
    if ( !strcmp(argv[1], "node-free") )
    {
        printf("%llu\n", (unsigned long long)node_free(strtoul(argv[2], NULL, 0)));
        return 0;
    }

    domid = strtoul(argv[2], NULL, 0);
    if ( !strcmp(argv[1], "set") )
    {
        if ( argc - 3 > (int)(sizeof(entries) / sizeof(entries[0])) )
            return usage();
        for ( i = 3; i < argc; i++ )
            if ( parse_entry(argv[i], &entries[i - 3]) )
                return usage();
        return claim_set(domid, argc - 3, entries) ? fail("set") : 0;
    }
    if ( !strcmp(argv[1], "get") )
    {
        if ( claim_get_string(domid, text, sizeof(text)) )
            return fail("get");
        printf("%s\n", text);
        return 0;
    }
    if ( !strcmp(argv[1], "populate") && argc >= 5 && argc <= 7 )
    {
        unsigned long n = strtoul(argv[4], NULL, 0), k;
        unsigned int order = argc > 5 ? strtoul(argv[5], NULL, 0) : 0;
        xen_pfn_t gfn = argc > 6 ? strtoull(argv[6], NULL, 0) : 0;
        xen_pfn_t *mfns = calloc(n ? n : 1, sizeof(*mfns));

        if ( !mfns ||
             populate_extents(domid, gfn, n, order,
                              strtol(argv[3], NULL, 0), mfns) )
            return fail("populate");
        for ( k = 0; k < n; k++ )
            printf("%lx\n", (unsigned long)mfns[k]);
        free(mfns);
        return 0;
    }
    if ( !strcmp(argv[1], "decrease") )
    {
        xen_pfn_t mfns[4096];
        unsigned long n = 0;
        unsigned long long mfn;

        while ( n < sizeof(mfns) / sizeof(mfns[0]) &&
                scanf("%llx", &mfn) == 1 )
            mfns[n++] = mfn;
        return xc_domain_decrease_reservation_exact(xch, domid, n, 0, mfns)
               ? fail("decrease") : 0;
    }
    if ( !strcmp(argv[1], "node-pages") )
    {
        uint64_t pages[CLAIM_MAX_NODES];
        unsigned int nr = CLAIM_MAX_NODES, node;

        if ( xc_domain_get_node_pages(xch, domid, &nr, pages) )
            return fail("node-pages");
        for ( node = 0; node < nr; node++ )
            printf("%u %llu\n", node, (unsigned long long)pages[node]);
        return 0;
    }
    if ( !strcmp(argv[1], "destroy") )
        return xc_domain_destroy(xch, domid) ? fail("destroy") : 0;

    return usage();
}
