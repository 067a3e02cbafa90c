/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The libxenctrl calls that the series' tools patches add, made here as
 * raw hypercalls through libxencall, for a tree that has only the
 * hypervisor part of the series (make series-check). The claim programs
 * then run unchanged on 4.17's own libxenctrl, and test the hypervisor
 * without any of the tools patches. progs.sh puts this file before
 * everything else (gcc -include) when the tree's xenctrl.h does not
 * declare xc_domain_claim_memory().
 *
 * Each call behaves as the series documents its libxenctrl namesake:
 * 0, or -1 with errno set; on ERANGE the count is updated and the
 * caller's array is left as it was (only what Xen wrote on success is
 * copied back, so the array is never read).
 */
#ifndef HVONLY_XC_H
#define HVONLY_XC_H

/* First in the program: what it defines before its own includes. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xencall.h>

typedef struct xen_sysctl_node_meminfo xc_node_meminfo_t;

static xencall_handle *hvonly_xcall(void)
{
    static xencall_handle *h;

    if ( !h && !(h = xencall_open(NULL, 0)) )
    {
        perror("hvonly: xencall_open");
        exit(100);
    }
    return h;
}

/* A hypercall buffer of @bytes (at least one), holding @from if given. */
static void *hvonly_buffer(const void *from, size_t bytes)
{
    void *buf = xencall_alloc_buffer(hvonly_xcall(), bytes ? bytes : 1);

    if ( buf )
    {
        memset(buf, 0, bytes ? bytes : 1);
        if ( from && bytes )
            memcpy(buf, from, bytes);
    }
    return buf;
}

/* Hypercall @nr with the structure @op of @size bytes, copied both ways. */
static int hvonly_op(unsigned int nr, void *op, size_t size)
{
    void *buf = hvonly_buffer(op, size);
    int rc, saved;

    if ( !buf )
    {
        errno = ENOMEM;
        return -1;
    }
    rc = xencall1(hvonly_xcall(), nr, (uint64_t)(uintptr_t)buf);
    saved = errno;
    memcpy(op, buf, size);
    xencall_free_buffer(hvonly_xcall(), buf);
    errno = saved;
    return rc;
}

/*
 * Copy @count elements of @size from the hypercall buffer @buf to @to,
 * free @buf, and keep errno.
 */
static void hvonly_done(void *buf, void *to, size_t count, size_t size)
{
    int saved = errno;

    if ( buf && to && count )
        memcpy(to, buf, count * size);
    if ( buf )
        xencall_free_buffer(hvonly_xcall(), buf);
    errno = saved;
}

static inline struct xen_domctl hvonly_domctl(uint32_t cmd, uint32_t domid)
{
    struct xen_domctl dc;

    memset(&dc, 0, sizeof(dc));
    dc.cmd = cmd;
    dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc.domain = domid;
    return dc;
}

static inline int xc_domain_claim_memory(xc_interface *xch, uint32_t domid,
                                         uint32_t nr_entries,
                                         memory_claim_t *claims)
{
    struct xen_domctl dc = hvonly_domctl(XEN_DOMCTL_claim_memory, domid);
    void *buf = NULL;
    int rc;

    (void)xch;
    if ( nr_entries &&
         !(buf = hvonly_buffer(claims, nr_entries * sizeof(*claims))) )
    {
        errno = ENOMEM;
        return -1;
    }
    dc.u.claim_memory.mode = XEN_DOMCTL_CLAIM_MEMORY_SET;
    dc.u.claim_memory.nr_entries = nr_entries;
    set_xen_guest_handle_raw(dc.u.claim_memory.claim_set, buf);
    rc = hvonly_op(__HYPERVISOR_domctl, &dc, sizeof(dc));
    hvonly_done(buf, NULL, 0, 0);
    return rc;
}

static inline int xc_domain_get_claims(xc_interface *xch, uint32_t domid,
                                       uint32_t *nr_entries,
                                       memory_claim_t *claims)
{
    struct xen_domctl dc = hvonly_domctl(XEN_DOMCTL_claim_memory, domid);
    uint32_t room = claims ? *nr_entries : 0;
    void *buf = NULL;
    int rc;

    (void)xch;
    if ( room && !(buf = hvonly_buffer(NULL, room * sizeof(*claims))) )
    {
        errno = ENOMEM;
        return -1;
    }
    dc.u.claim_memory.mode = XEN_DOMCTL_CLAIM_MEMORY_GET;
    dc.u.claim_memory.nr_entries = room;
    set_xen_guest_handle_raw(dc.u.claim_memory.claim_set, buf);
    rc = hvonly_op(__HYPERVISOR_domctl, &dc, sizeof(dc));
    if ( rc == 0 || errno == ERANGE )
        *nr_entries = dc.u.claim_memory.nr_entries;
    hvonly_done(buf, rc ? NULL : claims,
                rc ? 0 : (*nr_entries < room ? *nr_entries : room),
                sizeof(*claims));
    return rc;
}

static inline int xc_domain_get_node_pages(xc_interface *xch, uint32_t domid,
                                           unsigned int *nr_nodes,
                                           uint64_t *pages)
{
    struct xen_domctl dc = hvonly_domctl(XEN_DOMCTL_get_node_pages, domid);
    unsigned int room = pages ? *nr_nodes : 0;
    void *buf = NULL;
    int rc;

    (void)xch;
    if ( room && !(buf = hvonly_buffer(NULL, room * sizeof(*pages))) )
    {
        errno = ENOMEM;
        return -1;
    }
    dc.u.node_pages.nr_nodes = room;
    set_xen_guest_handle_raw(dc.u.node_pages.node_pages, buf);
    rc = hvonly_op(__HYPERVISOR_domctl, &dc, sizeof(dc));
    if ( rc == 0 || errno == ERANGE )
        *nr_nodes = dc.u.node_pages.nr_nodes;
    hvonly_done(buf, rc ? NULL : pages,
                rc ? 0 : (*nr_nodes < room ? *nr_nodes : room),
                sizeof(*pages));
    return rc;
}

static inline int xc_numa_meminfo(xc_interface *xch, unsigned int *nr_nodes,
                                  xc_node_meminfo_t *meminfo)
{
    struct xen_sysctl sc;
    unsigned int room = meminfo ? *nr_nodes : 0;
    void *buf = NULL;
    int rc;

    (void)xch;
    if ( room && !(buf = hvonly_buffer(NULL, room * sizeof(*meminfo))) )
    {
        errno = ENOMEM;
        return -1;
    }
    memset(&sc, 0, sizeof(sc));
    sc.cmd = XEN_SYSCTL_numa_meminfo;
    sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    sc.u.numa_meminfo.num_nodes = room;
    set_xen_guest_handle_raw(sc.u.numa_meminfo.meminfo, buf);
    rc = hvonly_op(__HYPERVISOR_sysctl, &sc, sizeof(sc));
    if ( rc == 0 || errno == ERANGE )
        *nr_nodes = sc.u.numa_meminfo.num_nodes;
    hvonly_done(buf, rc ? NULL : meminfo,
                rc ? 0 : (*nr_nodes < room ? *nr_nodes : room),
                sizeof(*meminfo));
    return rc;
}

#endif /* HVONLY_XC_H */
