/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small command line over XEN_DOMCTL_claim_memory for shell scenarios:
 *   claimctl create MAX_MB [LABEL]  create an empty PV domain, print its id;
 *                                   LABEL is a Flask context for it
 *   claimctl set DOMID T:PAGES...   SET a claim set; T is a node, "host"
 *                                   or "legacy"
 *   claimctl get DOMID              print the claim set ("0:12 host:34")
 *   claimctl populate DOMID NODE N  populate N pages on NODE exactly and
 *                                   print their MFNs in hex
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
                    "get DOMID | populate DOMID NODE N | node-free NODE | "
                    "node-pages DOMID | destroy DOMID\n");
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
             xc_flask_context_to_sid(xch, argv[3], strlen(argv[3]), &ssidref) )
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
    if ( !strcmp(argv[1], "populate") && argc == 5 )
    {
        unsigned long n = strtoul(argv[4], NULL, 0), k;
        xen_pfn_t *mfns = calloc(n ? n : 1, sizeof(*mfns));

        if ( !mfns ||
             populate(domid, 0, n, strtol(argv[3], NULL, 0), mfns) )
            return fail("populate");
        for ( k = 0; k < n; k++ )
            printf("%lx\n", (unsigned long)mfns[k]);
        free(mfns);
        return 0;
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
