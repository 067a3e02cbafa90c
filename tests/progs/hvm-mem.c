/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An HVM domain's memory built by libxenguest's meminit_hvm(), the way
 * libxl__build_hvm() drives it, but with no device model behind it (the
 * test bed has no QEMU for guests): the domain is created, its claim
 * staked, its memory populated, checked and the domain destroyed. Only
 * the memory steps of a build run; the domain never runs.
 *
 * Needs the tools patches (libxenguest's claims, libxl's build steps):
 * the hypervisor part's check in make series-check leaves it out.
 *
 * The build is an HVM one with a device model as libxl makes it
 * (device_model set, a VGA hole of 0x20 pages at 0xa0), so meminit_hvm()
 * takes every HVM-only path: the low pages 0-0x9f populated on their own,
 * the VGA hole 0xa0-0xbf never populated, populate-on-demand when the
 * target is below the maximum, and memory ranges bound to physical nodes.
 * The guest physical layout is chosen here: with --lowmem the MMIO hole
 * starts low, so that a few MiB of memory lie on each side of it (below
 * the hole and from 4 GiB), which a small host could not have otherwise.
 *
 * Usage: hvm-mem [options]
 *   --mem MB          memory of the domain (its maximum; default 128)
 *   --target MB       its target; below --mem: populate-on-demand
 *   --node N          bind all of its memory to node N (one vnode)
 *   --split A:B[:MB]  two vnodes: the first MB (default half) of its
 *                     memory in address order on node A, the rest on B
 *   --lowmem MB       the MMIO hole starts at MB MiB: memory beyond it
 *                     lies from 4 GiB on
 *   --affinity N      the domain's node affinity: node N only
 *   --claim WHO       self: claim here before the build, as libxl does
 *                     (default); lib: leave it to libxenguest
 *                     (claim_enabled); none: no claim
 *   --kernel PATH     the image to parse (default /guest/vmlinuz)
 *   --reverse         hand libxenguest the vmemranges in reverse order
 *                     (highest addresses first; the order is not part
 *                     of the interface)
 *   --keep            leave the domain (paused, never run) and print
 *                     "kept domid N" instead of destroying it
 *
 * What is expected is what the design says: every page of a range bound
 * to a node is on that node, the low pages on the node of the range that
 * starts at 0, nothing in the VGA hole, target - 0x20 pages populated,
 * and no claim left once the memory is populated. libxenguest's own log
 * (the domain builder's, XTL_DETAIL) goes to stderr.
 *
 * The claim calls libxenguest makes are watched: this program defines
 * xc_domain_claim_pages() and xc_domain_claim_memory() itself, which
 * the dynamic linker then binds libxenguest's calls to, and forwards each
 * call to libxenctrl's. So the claim meminit_hvm() stakes is seen as Xen
 * holds it, and so is what is left of a claim when meminit_hvm() gives
 * it back (nothing, when the claim matched what was populated).
 */
#include <dlfcn.h>
#include <getopt.h>
#include <sys/mman.h>

#include "testlib.h"
#include "claimlib.h"

/* After xenctrl.h, which makes the public headers the tools' view. */
#include <xen/hvm/e820.h>
#include <xentoollog.h>

#define MB_PAGES(mb)   ((uint64_t)(mb) << (20 - XC_PAGE_SHIFT))
#define GB4_PAGES      ((uint64_t)1 << (32 - XC_PAGE_SHIFT))
#define VGA_HOLE_START 0xa0UL
#define VGA_HOLE_SIZE  0x20UL     /* libxl's LIBXL_VGA_HOLE_SIZE */
#define MAX_RANGES     4
#define NO_NODE        XC_NUMA_NO_NODE

enum claimer { CLAIM_SELF, CLAIM_LIB, CLAIM_NONE };

static struct {
    unsigned int mem_mb, target_mb, lowmem_mb, split_mb;
    unsigned int pnode[2], nr_vnodes;     /* nr_vnodes 0: not bound */
    int affinity;
    enum claimer claim;
    const char *kernel;
    bool keep, reverse;
} opt = {
    .mem_mb = 128, .affinity = -1, .claim = CLAIM_SELF,
    .kernel = "/guest/vmlinuz",
};

/* The guest's memory, in pages. */
static uint64_t max_pages, target_pages, low_end, high_end, mmio_start;
static xen_vmemrange_t ranges[MAX_RANGES];
static unsigned int nr_ranges;

/* The claim calls seen, and the domain's claims as they left Xen. */
static struct {
    bool building;              /* inside build_memory() */
    unsigned int stakes;        /* claims staked while building */
    unsigned int releases;      /* releases while building */
    char staked[512];           /* the claim last staked, as Xen holds it */
    char left[512];             /* the claim left at the last release */
} seen;

/* The domain's claims, "none" for none, into @out. */
static void claims_now(uint32_t domid, char *out, size_t len)
{
    if ( claim_get_string(domid, out, len) )
        snprintf(out, len, "error %d", errno);
    else if ( !out[0] )
        snprintf(out, len, "none");
}

/* Before a claim call: a release (@release) is seen with what it finds. */
static void seen_before(uint32_t domid, bool release)
{
    if ( release )
    {
        claims_now(domid, seen.left, sizeof(seen.left));
        seen.releases += seen.building;
    }
}

/* After a claim call that returned @rc: a stake is seen with its claims. */
static int seen_after(uint32_t domid, bool stake, int rc)
{
    int saved = errno;

    if ( stake && rc == 0 )
    {
        claims_now(domid, seen.staked, sizeof(seen.staked));
        seen.stakes += seen.building;
    }
    errno = saved;

    return rc;
}

/* libxenguest's XENMEM_claim_pages: 0 releases, anything else stakes. */
int xc_domain_claim_pages(xc_interface *h, uint32_t domid,
                          unsigned long nr_pages)
{
    static int (*real)(xc_interface *, uint32_t, unsigned long);

    if ( !real )
        real = (int (*)(xc_interface *, uint32_t, unsigned long))
               dlsym(RTLD_NEXT, "xc_domain_claim_pages");
    if ( !real )
        abort();
    seen_before(domid, nr_pages == 0);
    return seen_after(domid, nr_pages != 0, real(h, domid, nr_pages));
}

/* XEN_DOMCTL_claim_memory SET, whoever calls it. */
int xc_domain_claim_memory(xc_interface *h, uint32_t domid,
                           uint32_t nr_entries, memory_claim_t *claims)
{
    static int (*real)(xc_interface *, uint32_t, uint32_t, memory_claim_t *);
    uint64_t pages = 0;
    uint32_t i;

    if ( !real )
        real = (int (*)(xc_interface *, uint32_t, uint32_t, memory_claim_t *))
               dlsym(RTLD_NEXT, "xc_domain_claim_memory");
    if ( !real )
        abort();
    for ( i = 0; i < nr_entries; i++ )
        pages += claims[i].pages;
    seen_before(domid, pages == 0);
    return seen_after(domid, pages != 0,
                      real(h, domid, nr_entries, claims));
}

static int usage(void)
{
    fprintf(stderr, "usage: hvm-mem [--mem MB] [--target MB] [--node N | "
                    "--split A:B[:MB]] [--lowmem MB] [--affinity N] "
                    "[--claim self|lib|none] [--kernel PATH] [--reverse] "
                    "[--keep]\n");
    return 2;
}

static int parse_args(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "mem", required_argument, NULL, 'm' },
        { "target", required_argument, NULL, 't' },
        { "node", required_argument, NULL, 'n' },
        { "split", required_argument, NULL, 's' },
        { "lowmem", required_argument, NULL, 'l' },
        { "affinity", required_argument, NULL, 'a' },
        { "claim", required_argument, NULL, 'c' },
        { "kernel", required_argument, NULL, 'k' },
        { "keep", no_argument, NULL, 'K' },
        { "reverse", no_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    while ( (c = getopt_long(argc, argv, "", longopts, NULL)) != -1 )
    {
        switch ( c )
        {
        case 'm': opt.mem_mb = strtoul(optarg, NULL, 0); break;
        case 't': opt.target_mb = strtoul(optarg, NULL, 0); break;
        case 'l': opt.lowmem_mb = strtoul(optarg, NULL, 0); break;
        case 'a': opt.affinity = strtol(optarg, NULL, 0); break;
        case 'k': opt.kernel = optarg; break;
        case 'K': opt.keep = true; break;
        case 'r': opt.reverse = true; break;
        case 'n':
            opt.pnode[0] = strtoul(optarg, NULL, 0);
            opt.nr_vnodes = 1;
            break;
        case 's':
            if ( sscanf(optarg, "%u:%u:%u", &opt.pnode[0], &opt.pnode[1],
                        &opt.split_mb) < 2 )
                return -1;
            opt.nr_vnodes = 2;
            break;
        case 'c':
            if ( !strcmp(optarg, "self") )
                opt.claim = CLAIM_SELF;
            else if ( !strcmp(optarg, "lib") )
                opt.claim = CLAIM_LIB;
            else if ( !strcmp(optarg, "none") )
                opt.claim = CLAIM_NONE;
            else
                return -1;
            break;
        default:
            return -1;
        }
    }
    if ( optind != argc || !opt.mem_mb || opt.mem_mb > 65536 )
        return -1;
    if ( !opt.target_mb )
        opt.target_mb = opt.mem_mb;
    if ( opt.target_mb > opt.mem_mb )
        return -1;
    if ( opt.nr_vnodes == 2 && !opt.split_mb )
        opt.split_mb = opt.mem_mb / 2;
    if ( opt.nr_vnodes == 2 && opt.split_mb >= opt.mem_mb )
        return -1;
    /* meminit_hvm() refuses vNUMA with populate-on-demand. */
    if ( opt.nr_vnodes && opt.target_mb < opt.mem_mb )
        return -1;
    return 0;
}

/*
 * The layout libxl__build_hvm() computes, with the MMIO hole from
 * --lowmem (or libxl's default hole below 4 GiB); and, for bound memory,
 * the vmemranges as bind_memory_to_claims() carves them: the vnodes take
 * the memory in address order, past the MMIO hole to 4 GiB.
 */
static void make_layout(void)
{
    uint64_t vnode_pages[2], next = 0, end, len;
    unsigned int v;

    max_pages = MB_PAGES(opt.mem_mb);
    target_pages = MB_PAGES(opt.target_mb);
    mmio_start = opt.lowmem_mb ? MB_PAGES(opt.lowmem_mb)
                 : (HVM_BELOW_4G_MMIO_START >> XC_PAGE_SHIFT);
    low_end = max_pages;
    high_end = 0;
    if ( low_end > mmio_start )
    {
        high_end = GB4_PAGES + (low_end - mmio_start);
        low_end = mmio_start;
    }

    vnode_pages[0] = opt.nr_vnodes == 2 ? MB_PAGES(opt.split_mb) : max_pages;
    vnode_pages[1] = max_pages - vnode_pages[0];
    nr_ranges = 0;
    for ( v = 0; v < opt.nr_vnodes; v++ )
    {
        uint64_t left = vnode_pages[v];

        while ( left )
        {
            if ( next == low_end && high_end )
                next = GB4_PAGES;
            end = next < low_end ? low_end : high_end;
            len = left < end - next ? left : end - next;
            ranges[nr_ranges].start = next << XC_PAGE_SHIFT;
            ranges[nr_ranges].end = (next + len) << XC_PAGE_SHIFT;
            ranges[nr_ranges].flags = 0;
            ranges[nr_ranges].nid = v;
            nr_ranges++;
            next += len;
            left -= len;
        }
    }
    for ( v = 0; opt.reverse && v < nr_ranges / 2; v++ )
    {
        xen_vmemrange_t r = ranges[v];

        ranges[v] = ranges[nr_ranges - 1 - v];
        ranges[nr_ranges - 1 - v] = r;
    }
}

/* Pages each node must hold once populated (bound memory only). */
static void expected_node_pages(uint64_t *pages, unsigned int nr_nodes)
{
    unsigned int i;

    memset(pages, 0, sizeof(*pages) * nr_nodes);
    for ( i = 0; i < nr_ranges; i++ )
    {
        uint64_t n = (ranges[i].end - ranges[i].start) >> XC_PAGE_SHIFT;

        if ( ranges[i].start == 0 )
            n -= VGA_HOLE_SIZE;
        pages[opt.pnode[ranges[i].nid]] += n;
    }
}

/*
 * The claim libxl stakes for this build: per node, what its ranges
 * populate (claim_vnuma_nodes()); host-wide for unbound memory and for
 * populate-on-demand, whose pool is not per node.
 */
static unsigned int make_claim(memory_claim_t *set, unsigned int nr_nodes)
{
    uint64_t pages[CLAIM_MAX_NODES];
    unsigned int n, nr = 0;

    if ( !opt.nr_vnodes )
    {
        set[0].pages = target_pages - VGA_HOLE_SIZE;
        set[0].target = XEN_DOMCTL_CLAIM_MEMORY_HOST;
        set[0].cmd = 0;
        return 1;
    }
    expected_node_pages(pages, nr_nodes);
    for ( n = 0; n < nr_nodes; n++ )
        if ( pages[n] )
        {
            set[nr].pages = pages[n];
            set[nr].target = n;
            set[nr].cmd = 0;
            nr++;
        }
    return nr;
}

/*
 * A new HVM domain as libxl creates one for type = "hvm": every emulator
 * in Xen but vPCI, shadow paging (no HAP flag), one vCPU; max memory as
 * libxl__build_pre() sets it (target + LIBXL_MAXMEM_CONSTANT).
 */
static int create_hvm_domain(uint32_t *domid)
{
    struct xen_domctl_createdomain config = {
        .flags = XEN_DOMCTL_CDF_hvm,
        .max_vcpus = 1,
        .max_evtchn_port = -1,
        .max_grant_frames = 32,
        .max_maptrack_frames = 1024,
        .grant_opts = XEN_DOMCTL_GRANT_version(1),
        .arch = {
            .emulation_flags = XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI,
        },
    };

    *domid = CLAIMLIB_ANY_DOMID;
    if ( xc_domain_create(xch, domid, &config) )
        return -1;
    if ( xc_domain_max_vcpus(xch, *domid, 1) )
        return -1;
    return xc_domain_setmaxmem(xch, *domid,
                               (uint64_t)opt.mem_mb * 1024 + 1024);
}

static int set_affinity(uint32_t domid, unsigned int node)
{
    xc_nodemap_t map = xc_nodemap_alloc(xch);
    int rc;

    if ( !map )
        return -1;
    map[node / 8] |= 1U << (node % 8);
    rc = xc_domain_node_setaffinity(xch, domid, map);
    free(map);
    return rc;
}

/*
 * The paging pool libxl gives a shadow-mode HVM domain
 * (libxl__get_required_paging_memory(): 1 MiB per vCPU, plus 2 pages per
 * MiB of memory for the P2M and the shadows).
 */
static int set_paging_pool(uint32_t domid)
{
    uint64_t kb = 4 * (256 * 1 + 2 * (uint64_t)opt.mem_mb);

    return xc_set_paging_mempool_size(xch, domid, kb << 10);
}

/* Build the memory as libxl__build_hvm() and libxl__build_dom() do. */
static int build_memory(uint32_t domid)
{
    struct xc_dom_image *dom = xc_dom_allocate(xch, "", NULL);
    unsigned int vnode_to_pnode[2] = { opt.pnode[0], opt.pnode[1] };
    int rc = -1;

    if ( !dom )
        return -1;
    dom->container_type = XC_DOM_HVM_CONTAINER;
    dom->target_pages = target_pages;
    dom->claim_enabled = opt.claim == CLAIM_LIB;
    dom->mmio_start = mmio_start << XC_PAGE_SHIFT;
    dom->mmio_size = (GB4_PAGES - mmio_start) << XC_PAGE_SHIFT;
    dom->lowmem_end = low_end << XC_PAGE_SHIFT;
    dom->highmem_end = high_end << XC_PAGE_SHIFT;
    dom->device_model = true;
    dom->vga_hole_size = VGA_HOLE_SIZE;
    dom->max_vcpus = 1;
    if ( opt.nr_vnodes )
    {
        dom->vmemranges = ranges;
        dom->nr_vmemranges = nr_ranges;
        dom->vnode_to_pnode = vnode_to_pnode;
        dom->nr_vnodes = opt.nr_vnodes;
    }

    seen.building = true;
    if ( xc_dom_kernel_file(dom, opt.kernel) )
        test_result(0, "xc_dom_kernel_file(%s): %s", opt.kernel, strerror(errno));
    else if ( xc_dom_boot_xen_init(dom, xch, domid) )
        test_result(0, "xc_dom_boot_xen_init: %s", strerror(errno));
    else if ( xc_dom_parse_image(dom) )
        test_result(0, "xc_dom_parse_image: %s", strerror(errno));
    else if ( xc_dom_mem_init(dom, opt.mem_mb) )
        test_result(0, "xc_dom_mem_init: %s", strerror(errno));
    else if ( xc_dom_boot_mem_init(dom) )
        test_result(0, "xc_dom_boot_mem_init (meminit_hvm): %s",
                    strerror(errno));
    else
    {
        test_result(1, "meminit_hvm populated the domain (guest type %s)",
                    dom->guest_type);
        rc = 0;
    }
    seen.building = false;

    /* Our arrays, not the image's: xc_dom_release() must not see them. */
    dom->vmemranges = NULL;
    dom->vnode_to_pnode = NULL;
    xc_dom_release(dom);
    return rc;
}

/*
 * How many of the guest frames @first .. @first + @nr - 1 are populated:
 * a foreign mapping of a frame fails where the guest has no memory. A
 * populate-on-demand frame is backed from the PoD pool as it is mapped.
 * Returns the number mapped, or -1.
 */
static long count_mappable(xenforeignmemory_handle *fmem, uint32_t domid,
                           xen_pfn_t first, unsigned long nr)
{
    xen_pfn_t *gfns = calloc(nr, sizeof(*gfns));
    int *err = calloc(nr, sizeof(*err));
    unsigned long i;
    long mapped = -1;
    void *p;

    if ( !gfns || !err )
        goto out;
    for ( i = 0; i < nr; i++ )
        gfns[i] = first + i;
    p = xenforeignmemory_map(fmem, domid, PROT_READ, nr, gfns, err);
    if ( !p )
        goto out;
    for ( mapped = 0, i = 0; i < nr; i++ )
        mapped += !err[i];
    xenforeignmemory_unmap(fmem, p, nr);
 out:
    free(gfns);
    free(err);
    return mapped;
}

static void check_frames(uint32_t domid)
{
    xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);

    if ( !fmem )
    {
        test_result(0, "xenforeignmemory_open: %s", strerror(errno));
        return;
    }
    CHECK_EQ("low pages 0-0x9f all populated", VGA_HOLE_START,
             count_mappable(fmem, domid, 0, VGA_HOLE_START));
    CHECK_EQ("VGA hole 0xa0-0xbf: none populated", 0,
             count_mappable(fmem, domid, VGA_HOLE_START, VGA_HOLE_SIZE));
    CHECK_EQ("page 0xc0, after the VGA hole, populated", 1,
             count_mappable(fmem, domid, VGA_HOLE_START + VGA_HOLE_SIZE, 1));
    CHECK_EQ("last page below the MMIO hole populated", 1,
             count_mappable(fmem, domid, low_end - 1, 1));
    CHECK_EQ("first page of the MMIO hole not populated", 0,
             count_mappable(fmem, domid, low_end, 1));
    if ( high_end )
    {
        CHECK_EQ("first page from 4 GiB populated", 1,
                 count_mappable(fmem, domid, GB4_PAGES, 1));
        CHECK_EQ("last page from 4 GiB populated", 1,
                 count_mappable(fmem, domid, high_end - 1, 1));
        CHECK_EQ("page past the memory from 4 GiB not populated", 0,
                 count_mappable(fmem, domid, high_end, 1));
    }
    xenforeignmemory_close(fmem);
}

/* The domain's pages per node: print them, check them; returns the sum. */
static uint64_t check_node_pages(uint32_t domid, unsigned int nr_nodes)
{
    uint64_t pages[CLAIM_MAX_NODES], expect[CLAIM_MAX_NODES], sum = 0;
    unsigned int nr = CLAIM_MAX_NODES, n;
    char what[80];

    if ( xc_domain_get_node_pages(xch, domid, &nr, pages) )
    {
        test_result(0, "xc_domain_get_node_pages: %s", strerror(errno));
        return 0;
    }
    CHECK_EQ("xc_domain_get_node_pages reports every node", nr_nodes, nr);
    if ( nr > nr_nodes )
        nr = nr_nodes;
    expected_node_pages(expect, nr);
    for ( n = 0; n < nr; n++ )
    {
        printf("node %u pages %llu\n", n, (unsigned long long)pages[n]);
        sum += pages[n];
        if ( opt.nr_vnodes )
        {
            snprintf(what, sizeof(what), "pages on node %u", n);
            CHECK_EQ(what, expect[n], pages[n]);
        }
    }
    return sum;
}

/* The PoD figures, printed as "pod WHEN: ..."; false if unreadable. */
static bool pod_figures(uint32_t domid, const char *when, uint64_t *tot,
                        uint64_t *cache, uint64_t *entries)
{
    if ( xc_domain_get_pod_target(xch, domid, tot, cache, entries) )
    {
        test_result(0, "xc_domain_get_pod_target: %s", strerror(errno));
        return false;
    }
    printf("pod %s: tot_pages %llu cache %llu entries %llu\n", when,
           (unsigned long long)*tot, (unsigned long long)*cache,
           (unsigned long long)*entries);
    return true;
}

static void check_pod(uint32_t domid)
{
    uint64_t tot, cache, entries;

    if ( !pod_figures(domid, "populated", &tot, &cache, &entries) )
        return;
    CHECK_EQ("PoD cache: target less the VGA hole",
             target_pages - VGA_HOLE_SIZE, cache);
    CHECK_EQ("PoD entries: every frame but the VGA hole",
             max_pages - VGA_HOLE_SIZE, entries);
}

int main(int argc, char **argv)
{
    memory_claim_t set[CLAIM_MAX_NODES + 1];
    xentoollog_logger_stdiostream *log;
    unsigned int nr_nodes, nr = 0, i;
    uint64_t tot, claim, sum, pod_tot, pod_cache, pod_entries;
    uint32_t domid;
    bool pod;

    test_init(argv[0]);
    if ( parse_args(argc, argv) )
        return usage();
    log = xtl_createlogger_stdiostream(stderr, XTL_DETAIL, 0);
    xch = xc_interface_open(NULL, (xentoollog_logger *)log, 0);
    xcall = xencall_open(NULL, 0);
    if ( !log || !xch || !xcall )
    {
        perror("opening libxenctrl/libxencall");
        return 100;
    }
    nr_nodes = host_nodes();
    for ( i = 0; i < opt.nr_vnodes; i++ )
        if ( opt.pnode[i] >= nr_nodes )
            return usage();
    pod = opt.target_mb < opt.mem_mb;
    make_layout();

    printf("layout: %u MiB, target %u MiB%s; pages below the MMIO hole "
           "0-%#llx, ", opt.mem_mb, opt.target_mb,
           pod ? " (populate-on-demand)" : "", (unsigned long long)low_end);
    if ( high_end )
        printf("from 4 GiB %#llx-%#llx\n", (unsigned long long)GB4_PAGES,
               (unsigned long long)high_end);
    else
        printf("none from 4 GiB\n");
    for ( i = 0; i < nr_ranges; i++ )
        printf("range %u: pages %#llx-%#llx vnode %u pnode %u\n", i,
               (unsigned long long)(ranges[i].start >> XC_PAGE_SHIFT),
               (unsigned long long)(ranges[i].end >> XC_PAGE_SHIFT),
               ranges[i].nid, opt.pnode[ranges[i].nid]);

    CHECK_RC("create an HVM domain (shadow paging)", 0,
             create_hvm_domain(&domid));
    if ( test_failed )
        return test_exit();
    printf("domid %u\n", domid);
    if ( opt.affinity >= 0 )
        CHECK_RC("node affinity", 0, set_affinity(domid, opt.affinity));

    /* libxl's order: max_mem, claim, then the paging pool. */
    if ( opt.claim == CLAIM_SELF )
    {
        nr = make_claim(set, nr_nodes);
        CHECK_RC("stake the claim before populating", 0,
                 claim_set(domid, nr, set));
        domain_pages(domid, &tot, &claim);
        for ( sum = 0, i = 0; i < nr; i++ )
            sum += set[i].pages;
        CHECK_EQ("the domain's outstanding pages once claimed", sum, claim);
    }
    CHECK_RC("paging pool", 0, set_paging_pool(domid));

    if ( build_memory(domid) == 0 )
    {
        /* Who claimed, and what was left when libxenguest released. */
        printf("claim staked: %s\n", seen.stakes || opt.claim == CLAIM_SELF
                                     ? seen.staked : "none");
        printf("claim left at release: %s\n", seen.left);
        CHECK_EQ("claims libxenguest staked", opt.claim == CLAIM_LIB,
                 seen.stakes);
        CHECK_EQ("releases by libxenguest", 1, seen.releases);
        if ( opt.claim != CLAIM_NONE )
            test_result(!strcmp(seen.left, "none"),
                        "the claim was used up by the pages populated "
                        "(left at release: %s)", seen.left);
        domain_pages(domid, &tot, &claim);
        printf("tot_pages %llu outstanding %llu\n",
               (unsigned long long)tot, (unsigned long long)claim);
        CHECK_EQ("populated pages: target less the VGA hole",
                 target_pages - VGA_HOLE_SIZE, tot);
        CHECK_EQ("no claim left to the domain", 0, claim);
        nr = CLAIM_MAX_NODES + 1;
        CHECK_RC("get the domain's claims", 0,
                 xc_domain_get_claims(xch, domid, &nr, set));
        CHECK_EQ("claim entries left", 0, nr);
        CHECK_EQ("host outstanding claims", 0, host_outstanding());
        sum = check_node_pages(domid, nr_nodes);
        CHECK_EQ("pages per node add up to the populated pages", tot, sum);
        if ( pod )
            check_pod(domid);
        /* Last: mapping frames backs PoD ones from the pool. */
        check_frames(domid);
        /*
         * Frames backed from the pool return to the domain's page list;
         * the pool's pages are on PoD lists, out of the 'u' key's sight.
         */
        if ( pod && pod_figures(domid, "mapped", &pod_tot, &pod_cache,
                                &pod_entries) )
            CHECK_EQ("backing frames from the pool keeps the domain's pages",
                     target_pages - VGA_HOLE_SIZE, pod_tot);
    }

    if ( opt.keep )
        printf("kept domid %u\n", domid);
    else
        CHECK_RC("destroy the domain", 0, xc_domain_destroy(xch, domid));
    return test_exit();
}
