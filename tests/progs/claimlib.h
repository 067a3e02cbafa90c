/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XEN_DOMCTL_claim_memory from user space, and the helpers the claim test
 * programs share. Claims go through libxenctrl (xc_domain_claim_memory(),
 * xc_domain_get_claims()); claim_memory_op() also issues the domctl raw,
 * through libxencall, so that a drift between the public header's layout
 * and what the hypervisor reads is caught, and so that a test can pass
 * what libxenctrl never would (an unknown mode, a bad handle).
 */
#ifndef CLAIMLIB_H
#define CLAIMLIB_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xencall.h>
#include <xenforeignmemory.h>
#include <xenguest.h>

/*
 * The label of a Flask context as a SID. Master's libxenctrl (the master
 * series, whose domctl interface is 0x19 or later) dropped the size
 * argument of xc_flask_context_to_sid(); 4.17's has it.
 */
#if XEN_DOMCTL_INTERFACE_VERSION >= 0x00000019
#define claimlib_context_to_sid(xch, ctx, sid) \
    xc_flask_context_to_sid(xch, ctx, sid)
#else
#define claimlib_context_to_sid(xch, ctx, sid) \
    xc_flask_context_to_sid(xch, ctx, strlen(ctx), sid)
#endif

/*
 * The domid that asks XEN_DOMCTL_createdomain to choose one: 0 in 4.17,
 * DOMID_ANY on master (0 is no longer a wildcard there).
 */
#ifdef DOMID_ANY
#define CLAIMLIB_ANY_DOMID DOMID_ANY
#else
#define CLAIMLIB_ANY_DOMID 0
#endif

/* What XENMEM_claim_pages answers a dying domain (see claim-set.c). */
#if XEN_DOMCTL_INTERFACE_VERSION >= 0x00000019
#define CLAIMLIB_LEGACY_DYING_ERRNO EINVAL
#else
#define CLAIMLIB_LEGACY_DYING_ERRNO ESRCH
#endif

/* MAX_NUMNODES of an x86 hypervisor: the ABI bound is this plus one. */
#define CLAIM_MAX_NODES 64

static xc_interface *xch;
static xencall_handle *xcall;

static inline void claimlib_open(void)
{
    xch = xc_interface_open(NULL, NULL, 0);
    xcall = xencall_open(NULL, 0);
    if ( !xch || !xcall )
    {
        perror("opening libxenctrl/libxencall");
        exit(100);
    }
}

/*
 * One XEN_DOMCTL_claim_memory. @entries has room for *@nr entries; for GET
 * *@nr is updated as Xen returns it. @raw_handle, when not NULL, is used
 * as the claim_set handle instead of a hypercall buffer (for -EFAULT).
 * Returns 0, or -1 with errno set, like libxenctrl.
 */
static inline int claim_memory_op(uint32_t domid, uint32_t mode, uint32_t *nr,
                           memory_claim_t *entries, void *raw_handle)
{
    size_t bytes = sizeof(*entries) * (*nr ? *nr : 1);
    struct xen_domctl *dc = xencall_alloc_buffer(xcall, sizeof(*dc));
    memory_claim_t *buf = xencall_alloc_buffer(xcall, bytes);
    int rc, saved;

    if ( !dc || !buf )
    {
        errno = ENOMEM;
        return -1;
    }
    memset(dc, 0, sizeof(*dc));
    memset(buf, 0, bytes);
    if ( mode == XEN_DOMCTL_CLAIM_MEMORY_SET && *nr )
        memcpy(buf, entries, sizeof(*entries) * *nr);
    dc->cmd = XEN_DOMCTL_claim_memory;
    dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc->domain = domid;
    dc->u.claim_memory.mode = mode;
    dc->u.claim_memory.nr_entries = *nr;
    set_xen_guest_handle_raw(dc->u.claim_memory.claim_set,
                             raw_handle ? raw_handle : buf);

    rc = xencall1(xcall, __HYPERVISOR_domctl, (uint64_t)(uintptr_t)dc);
    saved = errno;
    if ( mode == XEN_DOMCTL_CLAIM_MEMORY_GET )
    {
        if ( rc == 0 )
            memcpy(entries, buf, sizeof(*entries) * dc->u.claim_memory.nr_entries);
        *nr = dc->u.claim_memory.nr_entries;
    }
    xencall_free_buffer(xcall, buf);
    xencall_free_buffer(xcall, dc);
    errno = saved;
    return rc;
}

static inline int claim_set(uint32_t domid, uint32_t nr, const memory_claim_t *entries)
{
    memory_claim_t copy[CLAIM_MAX_NODES + 8];

    if ( nr > sizeof(copy) / sizeof(copy[0]) )
        abort();
    memcpy(copy, entries, sizeof(*entries) * nr);
    return xc_domain_claim_memory(xch, domid, nr, copy);
}

/* The domain's claim set, as "node:pages ..." / "host:pages", in @out. */
static inline int claim_get_string(uint32_t domid, char *out, size_t len)
{
    memory_claim_t e[CLAIM_MAX_NODES + 1];
    uint32_t nr = CLAIM_MAX_NODES + 1, i;
    size_t used = 0;

    out[0] = '\0';
    if ( xc_domain_get_claims(xch, domid, &nr, e) )
        return -1;
    for ( i = 0; i < nr; i++ )
    {
        if ( e[i].target == XEN_DOMCTL_CLAIM_MEMORY_HOST )
            used += snprintf(out + used, len - used, "%shost:%llu",
                             i ? " " : "", (unsigned long long)e[i].pages);
        else
            used += snprintf(out + used, len - used, "%s%u:%llu",
                             i ? " " : "", e[i].target,
                             (unsigned long long)e[i].pages);
        if ( used >= len )
            abort();
    }
    return 0;
}

static inline xc_physinfo_t physinfo(void)
{
    xc_physinfo_t info = { 0 };

    if ( xc_physinfo(xch, &info) )
    {
        perror("xc_physinfo");
        exit(100);
    }
    return info;
}

static inline uint64_t host_outstanding(void)
{
    return physinfo().outstanding_pages;
}

static inline uint64_t host_free(void)
{
    return physinfo().free_pages;
}

static inline unsigned int host_nodes(void)
{
    return physinfo().nr_nodes;
}

/* Free pages on @node (XEN_SYSCTL_numainfo's memfree). */
static inline uint64_t node_free(unsigned int node)
{
    xc_meminfo_t mem[CLAIM_MAX_NODES];
    unsigned int max = CLAIM_MAX_NODES;

    if ( xc_numainfo(xch, &max, mem, NULL) || node >= max )
    {
        perror("xc_numainfo");
        exit(100);
    }
    return mem[node].memfree >> XC_PAGE_SHIFT;
}

static inline void domain_pages(uint32_t domid, uint64_t *tot, uint64_t *claim)
{
    xc_domaininfo_t info = { 0 };

    if ( xc_domain_getinfolist(xch, domid, 1, &info) != 1 ||
         info.domain != domid )
    {
        fprintf(stderr, "no domain %u\n", domid);
        exit(100);
    }
    *tot = info.tot_pages;
    *claim = info.outstanding_pages;
}

/*
 * An empty PV domain allowed @max_pages pages, with security label
 * @ssidref (0: the XSM module's default).
 */
static inline int create_pv_domain_labelled(uint32_t *domid,
                                            uint64_t max_pages,
                                            uint32_t ssidref)
{
    struct xen_domctl_createdomain config = {
        .ssidref = ssidref,
        .max_vcpus = 1,
        .max_evtchn_port = -1,
        .max_grant_frames = 4,
        .max_maptrack_frames = 0,
        .grant_opts = XEN_DOMCTL_GRANT_version(1),
    };

    *domid = CLAIMLIB_ANY_DOMID;   /* let Xen choose */
    if ( xc_domain_create(xch, domid, &config) )
        return -1;
    return xc_domain_setmaxmem(xch, *domid, max_pages * (XC_PAGE_SIZE / 1024));
}

static inline int create_pv_domain(uint32_t *domid, uint64_t max_pages)
{
    return create_pv_domain_labelled(domid, max_pages, 0);
}

/*
 * Populate @nr extents of 2^@order pages of @domid from guest frame @first
 * on, on @node exactly (or anywhere for node < 0). For a PV domain Xen
 * writes each extent's first MFN back, which lands in @mfns when that is
 * not NULL.
 */
static inline int populate_extents(uint32_t domid, xen_pfn_t first,
                                   unsigned long nr, unsigned int order,
                                   int node, xen_pfn_t *mfns)
{
    xen_pfn_t *pfns = calloc(nr ? nr : 1, sizeof(*pfns));
    unsigned long i;
    int rc;

    if ( !pfns )
        return -1;
    for ( i = 0; i < nr; i++ )
        pfns[i] = first + (i << order);
    rc = xc_domain_populate_physmap_exact(xch, domid, nr, order,
                                          node < 0 ? 0 : XENMEMF_exact_node(node),
                                          pfns);
    if ( !rc && mfns )
        memcpy(mfns, pfns, nr * sizeof(*pfns));
    free(pfns);
    return rc;
}

/* @nr single pages, as populate_extents() places them. */
static inline int populate(uint32_t domid, xen_pfn_t first, unsigned long nr,
                    int node, xen_pfn_t *mfns)
{
    return populate_extents(domid, first, nr, 0, node, mfns);
}

#endif /* CLAIMLIB_H */
