/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * claim-stress: claim sets under load, for a given time, on the test bed's
 * debug hypervisor.
 *
 *   claim-stress [-s SECONDS] [-w WORKERS] [-i INTERVAL] [-r SEED]
 *
 * WORKERS processes (default 3) each build empty PV domains and, on them,
 * install random claim sets (valid ones within free memory, and every kind
 * of invalid one the ABI names, which must fail with its errno and leave
 * the claims as they were), populate pages on chosen nodes and check that
 * the claims were redeemed in the documented order, read claims back
 * (also into buffers too small), replace, release and destroy. One more
 * process allocates for a domain that never claims, and one offlines and
 * onlines free pages, sometimes of a node it has just claimed in full, and
 * checks that Xen recalls exactly the claims that no longer fit.
 * Every INTERVAL seconds (about; default 5) all of them stop at a barrier
 * and the parent checks that the claims read back per domain, the claimed
 * pages of each node (XEN_SYSCTL_numa_meminfo) and the host's outstanding
 * pages (physinfo) agree exactly. At the end every domain is destroyed and
 * no claim may be left.
 *
 * Prints how many operations of each kind ran with a count per errno, and
 * result lines in testlib.h's format; exits non-zero on any failure.
 * SEED replays the random choices, not the interleaving.
 */
#define _GNU_SOURCE /* strerrorname_np() */
#include <inttypes.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "claimlib.h"
#include "testlib.h"

#define HOST   XEN_DOMCTL_CLAIM_MEMORY_HOST
#define LEGACY XEN_DOMCTL_CLAIM_MEMORY_LEGACY

#define MAX_WORKERS       16
#define SLOT_NOCLAIM      MAX_WORKERS        /* the allocator without claims */
#define SLOT_OFFLINER     (MAX_WORKERS + 1)
#define SLOT_PARENT       (MAX_WORKERS + 2)  /* the checker */
#define NR_SLOTS          (MAX_WORKERS + 3)
#define NR_ERRNO          134     /* errno values counted by name */
#define MAX_DOMAINS       256
#define WORKER_PAGE_CAP   8192    /* a builder's domain is destroyed beyond */
#define NOCLAIM_PAGE_CAP  16384
#define OFFLINE_BATCH     32      /* pages the offliner populates at a time */
#define MAX_FAIL_LINES    10      /* per process; further failures counted */
#define NOT_NOW           (-2)    /* an invalid kind that does not apply */

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Operations, counted per errno (0: success). */
enum op {
    OP_CREATE, OP_DESTROY, OP_SET, OP_SET_GREEDY, OP_SET_INVALID, OP_LEGACY,
    OP_RELEASE, OP_GET, OP_GET_SHORT, OP_POPULATE, OP_NOCLAIM, OP_HARVEST,
    OP_OFFLINE, OP_ONLINE, OP_CHECK, NR_OPS
};

static const char *const op_name[NR_OPS] = {
    [OP_CREATE] = "create", [OP_DESTROY] = "destroy", [OP_SET] = "set",
    [OP_SET_GREEDY] = "set-node-full", [OP_SET_INVALID] = "set-invalid",
    [OP_LEGACY] = "set-legacy", [OP_RELEASE] = "release", [OP_GET] = "get",
    [OP_GET_SHORT] = "get-short", [OP_POPULATE] = "populate",
    [OP_NOCLAIM] = "populate-noclaim", [OP_HARVEST] = "populate-to-free",
    [OP_OFFLINE] = "offline", [OP_ONLINE] = "online",
    [OP_CHECK] = "quiescent-check",
};

/* What is checked; each gets one result line at the end. */
enum cat {
    CAT_SET, CAT_INVALID, CAT_LEGACY, CAT_RELEASE, CAT_GET, CAT_POPULATE,
    CAT_NOCLAIM, CAT_OFFLINE, CAT_DOMAIN, CAT_QUIESCENT, CAT_FINAL, NR_CATS
};

static const char *const cat_name[NR_CATS] = {
    [CAT_SET] = "valid claim sets installed as given, or ENOMEM and unchanged",
    [CAT_INVALID] = "invalid claim sets refused with their errno, unchanged",
    [CAT_LEGACY] = "legacy claims as XENMEM_claim_pages",
    [CAT_RELEASE] = "releases always succeed and leave nothing",
    [CAT_GET] = "GET: shape, -ERANGE, agreement with getdomaininfo",
    [CAT_POPULATE] = "populate redeems node, host-wide, then other claims",
    [CAT_NOCLAIM] = "allocations without claims: done or refused, no claim",
    [CAT_OFFLINE] = "offline/online of free pages",
    [CAT_DOMAIN] = "domains created and destroyed",
    [CAT_QUIESCENT] = "quiescent points: domains, nodes and host agree",
    [CAT_FINAL] = "after the run: no domain, node or host claim left",
};

enum { ST_OFFLINED, ST_PENDING, ST_FAILED, ST_OTHER, NR_ST };
static const char *const st_name[NR_ST] = {
    "offlined", "pending", "refused", "other",
};

struct stats {
    unsigned long ops[NR_OPS][NR_ERRNO + 1];  /* last: any other errno */
    unsigned long checks[NR_CATS], fails[NR_CATS];
    unsigned long invalid[32];                /* per invalid kind */
    unsigned long offline_status[NR_ST];
    unsigned long pages_asked, pages_got;
    unsigned long recalled;                   /* claimed pages, by offlining */
    unsigned long exact, relaxed;             /* see window_quiet() */
    unsigned int fail_lines;
};

/* Shared by all processes (MAP_SHARED before fork). */
struct shared {
    int stop;                   /* the run is over */
    int pause;                  /* stop at the barrier */
    int arrived, left;          /* processes in and out of the barrier */
    sem_t resume;
    /*
     * Held shared around every operation that may allocate or free memory
     * in Xen, and exclusively by the offliner while it offlines pages:
     * Xen 4.17 itself (without the series too) does not survive offlining
     * a page at the moment it is allocated or freed (debug builds stop on
     * an assertion), which is not what this program is testing.
     */
    pthread_rwlock_t ops_lock;
    /*
     * Xen recalls claims when free memory goes offline. The offliner does
     * that with every builder between operations (ops_lock), except for a
     * page that turned out not to be free: it goes offline whenever it is
     * freed. The count is odd while such a page may exist; only then may
     * a domain's claims change under its builder's feet.
     */
    unsigned long offline_seq;
    int greedy_owner;           /* slot + 1 of the builder claiming a node */
    uint32_t domid[NR_SLOTS][2]; /* each process's domains, for clean-up */
    unsigned int nr_offline;    /* pages the offliner holds offline now */
    unsigned long offline_mfn[OFFLINE_BATCH];
    struct stats stats[NR_SLOTS];
};

/* A claim set as GET returns it: pages per node and host-wide. */
struct cset {
    uint64_t node[CLAIM_MAX_NODES];
    uint64_t host;
};

/* One builder's (or helper's) domain. */
struct dom {
    unsigned int idx;           /* which of the process's shm->domid[] */
    uint32_t domid;
    xen_pfn_t next_gpfn;
    bool greedy;                /* holds the greedy token */
};

static struct shared *shm;
static struct stats *my;
static unsigned int my_slot;
static unsigned int nodes, nr_workers = 3;
static uint64_t host_pages;     /* physinfo's total_pages */
static uint64_t dom_max;        /* max_pages of the domains built here */
static uint64_t node_size[CLAIM_MAX_NODES];
static uint64_t rng;

/* xorshift64*: small and good enough to pick operations. */
static uint64_t rnd64(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd(uint64_t n)
{
    return n ? rnd64() % n : 0;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
    usleep(ms * 1000U);
}

static const char *errno_name(int err)
{
    const char *name = err ? strerrorname_np(err) : "OK";

    return name ? name : "E?";
}

static void count_op(enum op op, int rc, int err)
{
    unsigned int slot = 0;

    if ( rc )
        slot = (err > 0 && err < NR_ERRNO) ? (unsigned int)err : NR_ERRNO;
    my->ops[op][slot]++;
}

/*
 * One check: counted, and printed as a FAIL line when it fails. Only the
 * first few failures of a process are printed, so that a systematic one
 * does not flood the serial console; all are counted.
 */
static void __attribute__((format(printf, 3, 4)))
check(enum cat cat, bool ok, const char *fmt, ...)
{
    char what[768];
    va_list ap;

    my->checks[cat]++;
    if ( ok )
        return;
    my->fails[cat]++;
    if ( my->fail_lines++ >= MAX_FAIL_LINES )
        return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    test_result(0, "%s", what);
}

/* Append to @buf (@len bytes, @used taken); text that does not fit is cut. */
static size_t __attribute__((format(printf, 4, 5)))
append(char *buf, size_t len, size_t used, const char *fmt, ...)
{
    va_list ap;
    int n;

    if ( used + 1 >= len )
        return used;
    va_start(ap, fmt);
    n = vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
    if ( n < 0 )
        return used;
    return used + n < len ? used + n : len - 1;
}

static bool stopping(void)
{
    return __atomic_load_n(&shm->stop, __ATOMIC_SEQ_CST);
}

static void ops_begin(void)
{
    pthread_rwlock_rdlock(&shm->ops_lock);
}

static void ops_end(void)
{
    pthread_rwlock_unlock(&shm->ops_lock);
}

/* ---- claim sets ---- */

static uint64_t cset_total(const struct cset *s)
{
    uint64_t total = s->host;
    unsigned int n;

    for ( n = 0; n < nodes; n++ )
        total += s->node[n];
    return total;
}

static bool cset_equal(const struct cset *a, const struct cset *b)
{
    return !memcmp(a, b, sizeof(*a));
}

/* Every entry of @a is at most that of @b (claims can only be recalled). */
static bool cset_within(const struct cset *a, const struct cset *b)
{
    unsigned int n;

    for ( n = 0; n < nodes; n++ )
        if ( a->node[n] > b->node[n] )
            return false;
    return a->host <= b->host;
}

/*
 * After an operation that should leave @want: exactly, or, when Xen may
 * have recalled claims meanwhile (!@quiet), no more than @want.
 */
static bool cset_matches(const struct cset *got, const struct cset *want,
                         bool quiet)
{
    return quiet ? cset_equal(got, want) : cset_within(got, want);
}

static const char *cset_str(const struct cset *s, char *buf, size_t len)
{
    size_t used = 0;
    unsigned int n;

    buf[0] = '\0';
    for ( n = 0; n < nodes; n++ )
        if ( s->node[n] )
            used = append(buf, len, used, "%s%u:%" PRIu64, used ? " " : "",
                          n, s->node[n]);
    if ( s->host )
        append(buf, len, used, "%shost:%" PRIu64, used ? " " : "", s->host);
    return buf[0] ? buf : "none";
}

static const char *target_str(uint32_t target, char *buf, size_t len)
{
    if ( target == HOST )
        return "host";
    if ( target == LEGACY )
        return "legacy";
    snprintf(buf, len, target < CLAIM_MAX_NODES ? "%u" : "%#x", target);
    return buf;
}

/* The entries as sent, e.g. "2:100 host:5 0x40:1"; "(cmd)" marks cmd != 0. */
static const char *set_str(const memory_claim_t *e, unsigned int nr,
                           char *buf, size_t len)
{
    size_t used = 0;
    unsigned int i;
    char t[16];

    buf[0] = '\0';
    for ( i = 0; i < nr && i < 8; i++ )
        used = append(buf, len, used, "%s%s:%" PRIu64 "%s", i ? " " : "",
                      target_str(e[i].target, t, sizeof(t)),
                      (uint64_t)e[i].pages, e[i].cmd ? "(cmd)" : "");
    if ( nr > 8 )
        append(buf, len, used, " ... (%u entries)", nr);
    return nr ? buf : "(no entries)";
}

/*
 * GET @domid's claims into @s, checking the shape the ABI promises: node
 * entries in ascending order, each with pages, then at most one HOST
 * entry. Returns -1 with errno when GET fails.
 */
static int cset_get(uint32_t domid, struct cset *s)
{
    memory_claim_t e[CLAIM_MAX_NODES + 1];
    uint32_t nr = CLAIM_MAX_NODES + 1, i;
    int rc, err, last = -1;
    bool ok = true;
    char text[256];

    memset(s, 0, sizeof(*s));
    rc = xc_domain_get_claims(xch, domid, &nr, e);
    err = errno;
    count_op(OP_GET, rc, err);
    if ( rc )
    {
        errno = err;
        return -1;
    }
    for ( i = 0; i < nr; i++ )
    {
        if ( !e[i].pages || e[i].cmd )
            ok = false;
        else if ( e[i].target == HOST )
        {
            ok = ok && i == nr - 1;
            s->host = e[i].pages;
        }
        else if ( e[i].target >= nodes || (int)e[i].target <= last )
            ok = false;
        else
        {
            s->node[e[i].target] = e[i].pages;
            last = e[i].target;
        }
    }
    check(CAT_GET, ok, "GET d%u returned a malformed set: %s", domid,
          set_str(e, nr, text, sizeof(text)));
    return 0;
}

/* ---- the window in which claims cannot change but by their owner ---- */

static unsigned long window_start(void)
{
    return __atomic_load_n(&shm->offline_seq, __ATOMIC_SEQ_CST);
}

/*
 * Whether no offlining could have recalled claims since @start: then a
 * check can be exact. Otherwise checks can only ask that claims did not
 * grow; both are counted, to see how much was checked exactly.
 */
static bool window_quiet(unsigned long start)
{
    bool quiet = !(start & 1) && window_start() == start;

    if ( quiet )
        my->exact++;
    else
        my->relaxed++;
    return quiet;
}

/* ---- the barrier ---- */

/* A process stops here while the parent compares the figures. */
static void barrier_point(void)
{
    if ( !__atomic_load_n(&shm->pause, __ATOMIC_SEQ_CST) )
        return;
    __atomic_add_fetch(&shm->arrived, 1, __ATOMIC_SEQ_CST);
    while ( sem_wait(&shm->resume) && errno == EINTR )
        continue;
    __atomic_add_fetch(&shm->left, 1, __ATOMIC_SEQ_CST);
}

/* ---- figures ---- */

/* Every node's figures, in pages (xc_numa_meminfo() counts bytes). */
static void read_meminfo(xc_node_meminfo_t *mi)
{
    unsigned int nr = CLAIM_MAX_NODES, n;

    if ( xc_numa_meminfo(xch, &nr, mi) || nr < nodes )
    {
        perror("xc_numa_meminfo");
        exit(100);
    }
    for ( n = 0; n < nr; n++ )
    {
        mi[n].size >>= XC_PAGE_SHIFT;
        mi[n].free >>= XC_PAGE_SHIFT;
        mi[n].claimed >>= XC_PAGE_SHIFT;
        mi[n].claimable >>= XC_PAGE_SHIFT;
    }
}

static uint64_t node_unclaimed(const xc_node_meminfo_t *mi, unsigned int n)
{
    return mi[n].free > mi[n].claimed ? mi[n].free - mi[n].claimed : 0;
}

static uint64_t host_unclaimed(void)
{
    xc_physinfo_t pi = physinfo();

    return pi.free_pages > pi.outstanding_pages
           ? pi.free_pages - pi.outstanding_pages : 0;
}

static uint64_t dom_tot(uint32_t domid)
{
    uint64_t tot, claim;

    domain_pages(domid, &tot, &claim);
    return tot;
}

/*
 * The share of unclaimed memory one valid set may take: small enough that
 * all builders together stay well inside free memory, so that most valid
 * sets succeed and Xen and dom0 never run short.
 */
static uint64_t fair_share(uint64_t unclaimed)
{
    return unclaimed / (2 * (nr_workers + 2));
}

static void shuffle(unsigned int *v, unsigned int nr)
{
    unsigned int i, j, t;

    for ( i = nr; i > 1; i-- )
    {
        j = rnd(i);
        t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

static void shuffle_entries(memory_claim_t *e, unsigned int nr)
{
    memory_claim_t t;
    unsigned int i, j;

    for ( i = nr; i > 1; i-- )
    {
        j = rnd(i);
        t = e[i - 1];
        e[i - 1] = e[j];
        e[j] = t;
    }
}

/* ---- domains ---- */

static void dom_create(struct dom *d)
{
    uint32_t domid = 0;
    int rc = create_pv_domain(&domid, dom_max), err = errno;

    count_op(OP_CREATE, rc, err);
    if ( rc )
    {
        /* Created, but max_pages not set: do not leak it. */
        if ( domid )
            xc_domain_destroy(xch, domid);
        check(CAT_DOMAIN, err == ENOMEM, "create a domain: %s",
              errno_name(err));
        sleep_ms(100);
        return;
    }
    check(CAT_DOMAIN, true, "create");
    *d = (struct dom){ .idx = d->idx, .domid = domid };
    shm->domid[my_slot][d->idx] = domid;
}

static void greedy_drop(struct dom *d)
{
    if ( d->greedy )
        __atomic_store_n(&shm->greedy_owner, 0, __ATOMIC_SEQ_CST);
    d->greedy = false;
}

static void dom_destroy(struct dom *d)
{
    int rc = xc_domain_destroy(xch, d->domid), err = errno;

    count_op(OP_DESTROY, rc, err);
    check(CAT_DOMAIN, rc == 0, "destroy d%u: %s", d->domid, errno_name(err));
    greedy_drop(d);
    d->domid = 0;
    shm->domid[my_slot][d->idx] = 0;
}

/* ---- valid claim sets ---- */

/*
 * A random set within free memory: some nodes, each with a fair share of
 * its unclaimed memory (node 0's figure includes its DMA zone, which node
 * claims do not count on, so some sets there are refused), with or
 * without a host-wide part, in random order. @want gets what GET should
 * then return.
 */
static unsigned int build_valid_set(memory_claim_t *e, struct cset *want)
{
    xc_node_meminfo_t mi[CLAIM_MAX_NODES];
    unsigned int order[CLAIM_MAX_NODES], i, k, nr = 0;

    read_meminfo(mi);
    memset(want, 0, sizeof(*want));
    for ( i = 0; i < nodes; i++ )
        order[i] = i;
    shuffle(order, nodes);
    k = rnd(nodes + 1);
    for ( i = 0; i < k; i++ )
    {
        e[nr] = (memory_claim_t){
            .pages = rnd(fair_share(node_unclaimed(mi, order[i])) + 1),
            .target = order[i] };
        want->node[order[i]] = e[nr++].pages;
    }
    if ( !nr || rnd(2) )
    {
        e[nr] = (memory_claim_t){
            .pages = rnd(fair_share(host_unclaimed()) / 2 + 1),
            .target = HOST };
        want->host = e[nr++].pages;
    }
    shuffle_entries(e, nr);
    return nr;
}

/*
 * A set that takes (almost) all unclaimed memory of one node above the
 * DMA zone, leaving 0-8 pages: others' claims and allocations there are
 * then refused, and offlining free pages there recalls claims. One
 * builder at a time holds such a set, so Xen and dom0 keep memory.
 */
static unsigned int build_greedy_set(memory_claim_t *e, struct cset *want)
{
    xc_node_meminfo_t mi[CLAIM_MAX_NODES];
    unsigned int node = nodes > 1 ? 1 + rnd(nodes - 1) : 0;
    uint64_t unclaimed, margin = rnd(9);

    read_meminfo(mi);
    unclaimed = node_unclaimed(mi, node);
    memset(want, 0, sizeof(*want));
    e[0] = (memory_claim_t){
        .pages = unclaimed > margin ? unclaimed - margin : 1,
        .target = node };
    want->node[node] = e[0].pages;
    return 1;
}

static bool greedy_take(void)
{
    int none = 0;

    return __atomic_compare_exchange_n(&shm->greedy_owner, &none,
                                       (int)my_slot + 1, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* SET a valid (possibly greedy) set: installed as given, or ENOMEM. */
static void op_set_valid(struct dom *d, bool greedy)
{
    memory_claim_t e[CLAIM_MAX_NODES + 1];
    struct cset want, before, after;
    char s1[256], s2[256], s3[256];
    bool token = greedy && greedy_take(), quiet;
    unsigned long seq;
    unsigned int nr;
    int rc, err;

    nr = token ? build_greedy_set(e, &want) : build_valid_set(e, &want);
    seq = window_start();
    if ( cset_get(d->domid, &before) )
        goto get_failed;
    rc = claim_set(d->domid, nr, e);
    err = errno;
    count_op(token ? OP_SET_GREEDY : OP_SET, rc, err);
    if ( cset_get(d->domid, &after) )
        goto get_failed;
    quiet = window_quiet(seq);

    if ( rc == 0 )
    {
        greedy_drop(d);
        d->greedy = token;
        check(CAT_SET, cset_matches(&after, &want, quiet),
              "SET %s on d%u: GET returns %s%s", set_str(e, nr, s1, sizeof(s1)),
              d->domid, cset_str(&after, s2, sizeof(s2)),
              quiet ? "" : " (more than was set)");
        return;
    }
    if ( token )
        __atomic_store_n(&shm->greedy_owner, 0, __ATOMIC_SEQ_CST);
    /* A valid set may lack memory; one that claims nothing never fails. */
    check(CAT_SET, err == ENOMEM && cset_total(&want),
          "SET %s on d%u: %s", set_str(e, nr, s1, sizeof(s1)), d->domid,
          errno_name(err));
    check(CAT_SET, cset_matches(&after, &before, quiet),
          "refused SET %s on d%u changed the claims: %s before, %s after",
          set_str(e, nr, s1, sizeof(s1)), d->domid,
          cset_str(&before, s2, sizeof(s2)), cset_str(&after, s3, sizeof(s3)));
    return;

 get_failed:
    if ( token )
        __atomic_store_n(&shm->greedy_owner, 0, __ATOMIC_SEQ_CST);
    check(CAT_GET, false, "GET d%u: %s", d->domid, errno_name(errno));
}

/* ---- invalid claim sets ---- */

static memory_claim_t small_entry(uint32_t target)
{
    return (memory_claim_t){ .pages = 1 + rnd(16), .target = target };
}

static int submit(const struct dom *d, memory_claim_t *e, unsigned int nr,
                  char *desc, size_t len)
{
    set_str(e, nr, desc, len);
    return claim_set(d->domid, nr, e);
}

static int try_dup_node(struct dom *d, char *desc, size_t len)
{
    unsigned int node = rnd(nodes), nr = 2;
    memory_claim_t e[3] = { small_entry(node), small_entry(node) };

    if ( rnd(2) )
        e[nr++] = small_entry(HOST);
    shuffle_entries(e, nr);
    return submit(d, e, nr, desc, len);
}

static int try_dup_host(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[3] = { small_entry(HOST), small_entry(HOST),
                            small_entry(rnd(nodes)) };
    unsigned int nr = 2 + rnd(2);

    shuffle_entries(e, nr);
    return submit(d, e, nr, desc, len);
}

/* A node id below MAX_NUMNODES that no node of this host has. */
static int try_offline_node(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[2] = { small_entry(nodes + rnd(CLAIM_MAX_NODES - nodes)),
                            small_entry(rnd(nodes)) };
    unsigned int nr = 1 + rnd(2);

    if ( nodes >= CLAIM_MAX_NODES )
        return NOT_NOW;
    shuffle_entries(e, nr);
    return submit(d, e, nr, desc, len);
}

/* A node id >= MAX_NUMNODES, without selector bits. */
static int try_huge_node(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[1] = {
        small_entry(CLAIM_MAX_NODES + rnd(LEGACY - CLAIM_MAX_NODES)) };

    return submit(d, e, 1, desc, len);
}

static int try_bad_selector(struct dom *d, char *desc, size_t len)
{
    /* Selector bits set, but not exactly HOST or LEGACY. */
    static const uint32_t bad[] = {
        HOST | 1, HOST | LEGACY, LEGACY | 2, LEGACY | 0x20000000U,
        HOST | 0x10000000U, 0xffffffffU,
    };
    memory_claim_t e[1] = {
        small_entry(bad[rnd(sizeof(bad) / sizeof(bad[0]))]) };

    return submit(d, e, 1, desc, len);
}

static int try_cmd(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[2] = { small_entry(rnd(2) ? HOST : rnd(nodes)) };
    unsigned int nr = 1;

    e[0].cmd = 1 + rnd(0xfffffffeU);
    if ( rnd(2) )
        e[nr++] = small_entry(e[0].target == HOST ? rnd(nodes) : HOST);
    shuffle_entries(e, nr);
    return submit(d, e, nr, desc, len);
}

static int try_legacy_mixed(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[3] = { small_entry(LEGACY), small_entry(rnd(nodes)),
                            small_entry(HOST) };
    unsigned int nr = 2 + rnd(2);

    e[0].pages += dom_tot(d->domid);   /* a target a lone entry could have */
    shuffle_entries(e, nr);
    return submit(d, e, nr, desc, len);
}

/*
 * More than MAX_NUMNODES + 1 entries. There are only that many distinct
 * targets, so such a set also repeats or names absent nodes: the ABI
 * answers the count, -E2BIG, whatever the entries say.
 */
static int try_too_many(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[CLAIM_MAX_NODES + 8];
    unsigned int nr = CLAIM_MAX_NODES + 2 + rnd(7), i;

    for ( i = 0; i < nr; i++ )
        e[i] = small_entry(i < nodes ? i : (i == nodes ? HOST : i - 1));
    shuffle_entries(e, nr);
    return submit(d, e, nr, desc, len);
}

static int try_empty(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[1] = { small_entry(HOST) };

    return submit(d, e, 0, desc, len);
}

static int try_overflow(struct dom *d, char *desc, size_t len)
{
    unsigned int a = rnd(nodes);
    memory_claim_t e[2] = {
        { .pages = (1ULL << 63) + rnd(1024), .target = a },
        { .pages = (1ULL << 63) + rnd(1024),
          .target = rnd(2) || nodes < 2 ? HOST : (a + 1) % nodes },
    };

    shuffle_entries(e, 2);
    return submit(d, e, 2, desc, len);
}

/*
 * Claims + pages > max_pages, and nothing else wrong: max_pages is lowered
 * to a little above the domain's pages for the attempt, and the set claims
 * one page more than that allows, host-wide (zero node entries may come
 * with it), which free memory always has.
 */
static int try_over_max(struct dom *d, char *desc, size_t len)
{
    uint64_t tot = dom_tot(d->domid), room = rnd(64);
    memory_claim_t e[3] = { { .pages = room + 1, .target = HOST },
                            { .pages = 0, .target = rnd(nodes) } };
    unsigned int nr = 1 + rnd(2);
    int rc, err;

    if ( xc_domain_setmaxmem(xch, d->domid,
                             (tot + room) * (XC_PAGE_SIZE / 1024)) )
    {
        check(CAT_DOMAIN, false, "lower max_pages of d%u: %s", d->domid,
              errno_name(errno));
        return NOT_NOW;
    }
    shuffle_entries(e, nr);
    rc = submit(d, e, nr, desc, len);
    err = errno;
    snprintf(desc + strlen(desc), len - strlen(desc),
             " (max_pages %" PRIu64 ", %" PRIu64 " pages held)",
             tot + room, tot);
    check(CAT_DOMAIN,
          !xc_domain_setmaxmem(xch, d->domid, dom_max * (XC_PAGE_SIZE / 1024)),
          "restore max_pages of d%u: %s", d->domid, errno_name(errno));
    errno = err;
    return rc;
}

/* More than a node has at all (its span), with max_pages far above. */
static int try_over_node(struct dom *d, char *desc, size_t len)
{
    unsigned int node = rnd(nodes);
    memory_claim_t e[2] = {
        { .pages = node_size[node] + 1 + rnd(1024), .target = node },
        small_entry(HOST) };
    unsigned int nr = 1 + rnd(2);

    shuffle_entries(e, nr);
    return submit(d, e, nr, desc, len);
}

/* More than the host has at all, host-wide or spread over the nodes. */
static int try_over_host(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[CLAIM_MAX_NODES + 1];
    unsigned int n, nr = 0;

    if ( rnd(2) )
        e[nr++] = (memory_claim_t){ .pages = host_pages + 1 + rnd(1024),
                                    .target = HOST };
    else
    {
        /* Each node within its span, the host-wide part makes it too much. */
        for ( n = 0; n < nodes; n++ )
            e[nr++] = (memory_claim_t){ .pages = node_size[n] / 4,
                                        .target = n };
        e[nr++] = (memory_claim_t){ .pages = host_pages + 1, .target = HOST };
    }
    shuffle_entries(e, nr);
    return submit(d, e, nr, desc, len);
}

/* A second non-zero legacy claim while the domain holds claims. */
static int try_legacy_second(struct dom *d, char *desc, size_t len)
{
    struct cset held;
    uint64_t target;
    char text[256];

    if ( cset_get(d->domid, &held) || !cset_total(&held) )
        return NOT_NOW;
    target = dom_tot(d->domid) + 1 + rnd(64);
    snprintf(desc, len, "legacy %" PRIu64 " over %s", target,
             cset_str(&held, text, sizeof(text)));
    if ( rnd(2) )
        return xc_domain_claim_pages(xch, d->domid, target);
    return claim_set(d->domid, 1,
                     &(memory_claim_t){ .pages = target, .target = LEGACY });
}

/* A legacy target not above the pages the domain already has. */
static int try_legacy_low(struct dom *d, char *desc, size_t len)
{
    uint64_t tot = dom_tot(d->domid), target;

    if ( !tot )
        return NOT_NOW;
    target = 1 + rnd(tot);
    snprintf(desc, len, "legacy %" PRIu64 " with %" PRIu64 " pages held",
             target, tot);
    return xc_domain_claim_pages(xch, d->domid, target);
}

static int try_legacy_over_max(struct dom *d, char *desc, size_t len)
{
    uint64_t target = dom_max + 1 + rnd(1024);

    snprintf(desc, len, "legacy %" PRIu64 " above max_pages %" PRIu64,
             target, dom_max);
    return claim_set(d->domid, 1,
                     &(memory_claim_t){ .pages = target, .target = LEGACY });
}

/* An unknown mode, through the raw domctl. */
static int try_bad_mode(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[1] = { small_entry(HOST) };
    uint32_t nr = 1, mode = 2 + rnd(1000);

    snprintf(desc, len, "mode %u", mode);
    return claim_memory_op(d->domid, mode, &nr, e, NULL);
}

/* A handle nothing maps, through the raw domctl. */
static int try_bad_handle(struct dom *d, char *desc, size_t len)
{
    memory_claim_t e[1] = { small_entry(HOST) };
    uint32_t nr = 1;

    snprintf(desc, len, "SET with an unmapped handle");
    return claim_memory_op(d->domid, XEN_DOMCTL_CLAIM_MEMORY_SET, &nr, e,
                           (void *)0x1000);
}

/* Each kind of invalid set, and the errno domctl.h gives for it. */
static const struct invalid_kind {
    const char *name;
    int err;
    int (*attempt)(struct dom *d, char *desc, size_t len);
} invalid_kinds[] = {
    { "dup-node", EINVAL, try_dup_node },
    { "dup-host", EINVAL, try_dup_host },
    { "absent-node", ENOENT, try_offline_node },
    { "node>=MAX", ENOENT, try_huge_node },
    { "selector", EINVAL, try_bad_selector },
    { "cmd", EINVAL, try_cmd },
    { "legacy-mixed", EINVAL, try_legacy_mixed },
    { "too-many", E2BIG, try_too_many },
    { "empty", EINVAL, try_empty },
    { "overflow", EINVAL, try_overflow },
    { "over-max", EINVAL, try_over_max },
    { "over-node", ENOMEM, try_over_node },
    { "over-host", ENOMEM, try_over_host },
    { "legacy-2nd", EINVAL, try_legacy_second },
    { "legacy-low", EINVAL, try_legacy_low },
    { "legacy-max", EINVAL, try_legacy_over_max },
    { "mode", EOPNOTSUPP, try_bad_mode },
    { "handle", EFAULT, try_bad_handle },
};
#define NR_INVALID (sizeof(invalid_kinds) / sizeof(invalid_kinds[0]))
_Static_assert(NR_INVALID <= sizeof(((struct stats *)0)->invalid) /
                             sizeof(unsigned long), "struct stats too small");

/* An invalid set: refused with its errno, the claims as they were. */
static void op_set_invalid(struct dom *d)
{
    unsigned int k = rnd(NR_INVALID);
    const struct invalid_kind *kind = &invalid_kinds[k];
    struct cset before, after;
    char desc[384], s1[256], s2[256];
    unsigned long seq;
    bool quiet;
    int rc, err;

    seq = window_start();
    if ( cset_get(d->domid, &before) )
    {
        check(CAT_GET, false, "GET d%u: %s", d->domid, errno_name(errno));
        return;
    }
    desc[0] = '\0';
    rc = kind->attempt(d, desc, sizeof(desc));
    err = errno;
    if ( rc == NOT_NOW )
        return;
    my->invalid[k]++;
    count_op(OP_SET_INVALID, rc, err);
    if ( cset_get(d->domid, &after) )
    {
        check(CAT_GET, false, "GET d%u: %s", d->domid, errno_name(errno));
        return;
    }
    quiet = window_quiet(seq);
    check(CAT_INVALID, rc && err == kind->err,
          "%s: %s on d%u: expected %s, got %s", kind->name, desc, d->domid,
          errno_name(kind->err), rc ? errno_name(err) : "success");
    check(CAT_INVALID, cset_matches(&after, &before, quiet),
          "%s: %s on d%u changed the claims: %s before, %s after",
          kind->name, desc, d->domid, cset_str(&before, s1, sizeof(s1)),
          cset_str(&after, s2, sizeof(s2)));
}

/* ---- legacy claims, releases, GET ---- */

/* A zero-page set in one of its forms: always succeeds, leaves nothing. */
static void op_release(struct dom *d)
{
    memory_claim_t e[CLAIM_MAX_NODES + 1];
    unsigned int order[CLAIM_MAX_NODES], nr = 0, i, k;
    struct cset after;
    char s1[256], s2[256];
    int rc, err;

    switch ( rnd(4) )
    {
    case 0:
        e[nr++] = (memory_claim_t){ .pages = 0, .target = HOST };
        break;
    case 1:
        for ( i = 0; i < nodes; i++ )
            order[i] = i;
        shuffle(order, nodes);
        k = 1 + rnd(nodes);
        for ( i = 0; i < k; i++ )
            e[nr++] = (memory_claim_t){ .pages = 0, .target = order[i] };
        if ( rnd(2) )
            e[nr++] = (memory_claim_t){ .pages = 0, .target = HOST };
        shuffle_entries(e, nr);
        break;
    case 2:
        e[nr++] = (memory_claim_t){ .pages = 0, .target = LEGACY };
        break;
    default:
        break;                  /* XENMEM_claim_pages(0) */
    }
    rc = nr ? claim_set(d->domid, nr, e)
            : xc_domain_claim_pages(xch, d->domid, 0);
    err = errno;
    count_op(OP_RELEASE, rc, err);
    if ( cset_get(d->domid, &after) )
    {
        check(CAT_GET, false, "GET d%u: %s", d->domid, errno_name(errno));
        return;
    }
    greedy_drop(d);
    check(CAT_RELEASE, rc == 0 && !cset_total(&after),
          "release %s on d%u: %s, claims left: %s",
          nr ? set_str(e, nr, s1, sizeof(s1)) : "XENMEM_claim_pages(0)",
          d->domid, errno_name(rc ? err : 0), cset_str(&after, s2, sizeof(s2)));
}

/*
 * A legacy claim on a domain that holds none (released first): the
 * target is the domain's total, the claim what it lacks, host-wide.
 */
static void op_legacy(struct dom *d)
{
    struct cset before, after, want = { .host = 0 };
    uint64_t tot, target;
    unsigned long seq;
    char s1[256];
    bool quiet;
    int rc, err;

    if ( cset_get(d->domid, &before) )
        return;
    if ( cset_total(&before) )
        op_release(d);
    tot = dom_tot(d->domid);
    target = tot + 1 + rnd(fair_share(host_unclaimed()) / 2 + 1);
    seq = window_start();
    if ( rnd(2) )
        rc = xc_domain_claim_pages(xch, d->domid, target);
    else
        rc = claim_set(d->domid, 1,
                       &(memory_claim_t){ .pages = target, .target = LEGACY });
    err = errno;
    count_op(OP_LEGACY, rc, err);
    if ( cset_get(d->domid, &after) )
        return;
    quiet = window_quiet(seq);
    if ( rc == 0 )
        want.host = target - tot;
    check(CAT_LEGACY, rc == 0 || err == ENOMEM,
          "legacy claim of %" PRIu64 " on d%u holding %" PRIu64 ": %s",
          target, d->domid, tot, errno_name(err));
    check(CAT_LEGACY, cset_matches(&after, &want, quiet),
          "legacy claim of %" PRIu64 " on d%u holding %" PRIu64
          " (%s): GET returns %s", target, d->domid, tot,
          errno_name(rc ? err : 0), cset_str(&after, s1, sizeof(s1)));
}

/*
 * GET into fewer entries than the set has: -ERANGE, the number needed,
 * nothing written. And GET against getdomaininfo's outstanding_pages.
 */
static void op_get(struct dom *d)
{
    memory_claim_t e[CLAIM_MAX_NODES + 1];
    unsigned char *bytes = (unsigned char *)e;
    uint64_t tot, claim;
    struct cset full;
    uint32_t have, room, nr;
    unsigned long seq = window_start();
    size_t i;
    bool untouched = true, quiet;
    int rc, err;

    if ( cset_get(d->domid, &full) )
        return;
    domain_pages(d->domid, &tot, &claim);
    have = 0;
    for ( i = 0; i < nodes; i++ )
        have += !!full.node[i];
    have += !!full.host;
    if ( !have )
    {
        check(CAT_GET, !claim || !window_quiet(seq),
              "d%u: GET has no claims, getdomaininfo %" PRIu64, d->domid,
              claim);
        return;
    }
    room = rnd(have);
    nr = room;
    memset(e, 0xa5, sizeof(e));
    rc = xc_domain_get_claims(xch, d->domid, &nr, room ? e : NULL);
    err = errno;
    count_op(OP_GET_SHORT, rc, err);
    for ( i = 0; i < sizeof(e); i++ )
        untouched = untouched && bytes[i] == 0xa5;
    quiet = window_quiet(seq);
    if ( !quiet )
        return;                 /* a recall may have shrunk the set */
    check(CAT_GET, cset_total(&full) == claim,
          "d%u: GET adds up to %" PRIu64 ", getdomaininfo says %" PRIu64,
          d->domid, cset_total(&full), claim);
    check(CAT_GET, rc && err == ERANGE && nr == have && untouched,
          "GET of %u entries into room for %u on d%u: %s, nr_entries %u, "
          "buffer %s", have, room, d->domid, errno_name(rc ? err : 0), nr,
          untouched ? "untouched" : "written");
}

/* ---- populate ---- */

/*
 * Whether @after is @before less @got pages allocated on @node (-1: left
 * to Xen): the claim on the allocation's node goes first, then the
 * host-wide claim, then claims on other nodes (which of those first, the
 * ABI leaves to Xen). Without a node only the total can be predicted.
 * When claims may have been recalled meanwhile (!@quiet), each figure
 * may only be lower than predicted.
 */
static bool redeemed_in_order(const struct cset *before,
                              const struct cset *after, int node,
                              uint64_t got, bool quiet)
{
    struct cset want = *before;
    uint64_t left = got, take, others = 0, others_after = 0;
    unsigned int n;

    if ( !cset_within(after, before) )
        return false;
    if ( node < 0 )
    {
        take = cset_total(before) - min_u64(got, cset_total(before));
        return quiet ? cset_total(after) == take : cset_total(after) <= take;
    }
    take = min_u64(left, want.node[node]);
    want.node[node] -= take;
    left -= take;
    take = min_u64(left, want.host);
    want.host -= take;
    left -= take;
    for ( n = 0; n < nodes; n++ )
        if ( n != (unsigned int)node )
        {
            others += want.node[n];
            others_after += after->node[n];
        }
    others -= min_u64(left, others);
    if ( quiet )
        return after->node[node] == want.node[node] &&
               after->host == want.host && others_after == others;
    return after->node[node] <= want.node[node] && after->host <= want.host &&
           others_after <= others;
}

/* Mostly a node the domain has a claim on, so that claims get redeemed. */
static int pick_populate_node(const struct cset *s)
{
    unsigned int claimed[CLAIM_MAX_NODES], nr = 0, n;
    unsigned int r = rnd(100);

    for ( n = 0; n < nodes; n++ )
        if ( s->node[n] )
            claimed[nr++] = n;
    if ( r < 60 && nr )
        return claimed[rnd(nr)];
    if ( r < 85 )
        return rnd(nodes);
    return -1;
}

static void op_populate(struct dom *d)
{
    struct cset before, after;
    uint64_t tot0, tot1, asked;
    unsigned int order = 0;
    unsigned long seq;
    char s1[256], s2[256];
    xen_pfn_t gpfn;
    bool quiet;
    int node, rc, err;

    if ( cset_get(d->domid, &before) )
        return;
    tot0 = dom_tot(d->domid);
    if ( tot0 >= WORKER_PAGE_CAP )
    {
        dom_destroy(d);
        return;
    }
    node = pick_populate_node(&before);
    if ( !rnd(10) )
        order = 9;              /* one 2 MiB extent */
    asked = order ? 1ULL << order : 1 + rnd(512);
    seq = window_start();
    if ( order )
    {
        gpfn = d->next_gpfn;
        rc = xc_domain_populate_physmap_exact(xch, d->domid, 1, order,
                                              node < 0 ? 0
                                              : XENMEMF_exact_node(node),
                                              &gpfn);
    }
    else
        rc = populate(d->domid, d->next_gpfn, asked, node, NULL);
    err = errno;
    d->next_gpfn += asked;
    count_op(OP_POPULATE, rc, err);
    tot1 = dom_tot(d->domid);
    if ( cset_get(d->domid, &after) )
        return;
    quiet = window_quiet(seq);
    my->pages_asked += asked;
    my->pages_got += tot1 - tot0;
    /* libxenctrl reports an allocation Xen refused (in part) as EBUSY. */
    check(CAT_POPULATE, rc ? err == EBUSY && tot1 - tot0 < asked
                           : tot1 - tot0 == asked,
          "populate %" PRIu64 " pages (order %u) on node %d of d%u: %s, "
          "%" PRIu64 " allocated", asked, order, node, d->domid,
          errno_name(rc ? err : 0), tot1 - tot0);
    check(CAT_POPULATE,
          redeemed_in_order(&before, &after, node, tot1 - tot0, quiet),
          "%" PRIu64 " pages allocated on node %d of d%u took claims %s -> %s",
          tot1 - tot0, node, d->domid, cset_str(&before, s1, sizeof(s1)),
          cset_str(&after, s2, sizeof(s2)));
}

/* ---- the processes ---- */

static void worker_loop(void)
{
    struct dom d = { 0 };
    unsigned int r;

    while ( !stopping() )
    {
        barrier_point();
        ops_begin();
        r = rnd(100);
        if ( !d.domid )
            dom_create(&d);
        else if ( r < 22 )
            op_set_valid(&d, false);
        else if ( r < 25 )
            op_set_valid(&d, true);
        else if ( r < 47 )
            op_set_invalid(&d);
        else if ( r < 52 )
            op_legacy(&d);
        else if ( r < 60 )
            op_release(&d);
        else if ( r < 68 )
            op_get(&d);
        else if ( r < 96 )
            op_populate(&d);
        else
            dom_destroy(&d);
        ops_end();
    }
    if ( d.domid )
        dom_destroy(&d);
}

/*
 * A domain that never claims allocates a chunk, anywhere or on a node:
 * a refusal (protected memory) is counted, not a failure. Returns whether
 * it was refused, so that the caller pauses and Xen's log of failed
 * allocations stays short.
 */
static bool noclaim_step(struct dom *d)
{
    uint64_t tot0, tot1, asked = 16 + rnd(241);
    int node = (int)rnd(nodes + 1) - 1, rc, err;
    struct cset s;

    if ( !d->domid )
    {
        dom_create(d);
        return false;
    }
    tot0 = dom_tot(d->domid);
    if ( tot0 >= NOCLAIM_PAGE_CAP )
    {
        dom_destroy(d);
        return false;
    }
    rc = populate(d->domid, d->next_gpfn, asked, node, NULL);
    err = errno;
    d->next_gpfn += asked;
    count_op(OP_NOCLAIM, rc, err);
    tot1 = dom_tot(d->domid);
    check(CAT_NOCLAIM, rc ? err == EBUSY && tot1 - tot0 < asked
                          : tot1 - tot0 == asked,
          "populate %" PRIu64 " pages on node %d of unclaiming d%u: %s, "
          "%" PRIu64 " allocated", asked, node, d->domid,
          errno_name(rc ? err : 0), tot1 - tot0);
    if ( !cset_get(d->domid, &s) )
        check(CAT_NOCLAIM, !cset_total(&s),
              "d%u never claimed, but has claims", d->domid);
    return rc != 0;
}

static void noclaim_loop(void)
{
    struct dom d = { 0 };
    bool refused;

    while ( !stopping() )
    {
        barrier_point();
        ops_begin();
        refused = noclaim_step(&d);
        ops_end();
        if ( refused )
            sleep_ms(20 + rnd(80));
    }
    if ( d.domid )
        dom_destroy(&d);
}

/*
 * Populate up to OFFLINE_BATCH pages on @node for the helper @h; their
 * MFNs (a PV domain names its pages by MFN) land in @mfn. Returns how
 * many it got.
 */
static unsigned int grab_pages(struct dom *h, unsigned int node,
                               xen_pfn_t *mfn)
{
    unsigned int i;
    int got;

    for ( i = 0; i < OFFLINE_BATCH; i++ )
        mfn[i] = i;
    got = xc_domain_populate_physmap(xch, h->domid, OFFLINE_BATCH, 0,
                                     XENMEMF_exact_node(node), mfn);
    /* Counted like libxenctrl counts a short populate: EBUSY. */
    count_op(OP_HARVEST, got < OFFLINE_BATCH, got < 0 ? errno : EBUSY);
    return got > 0 ? got : 0;
}

static unsigned int offline_status_kind(uint32_t status)
{
    if ( status & PG_OFFLINE_OFFLINED )
        return ST_OFFLINED;
    if ( status & PG_OFFLINE_PENDING )
        return ST_PENDING;
    if ( status & PG_OFFLINE_FAILED )
        return ST_FAILED;
    return ST_OTHER;
}

/*
 * Offline @mfn, which was free a moment ago. Returns the kind of status:
 * ST_OFFLINED, or another if it was not free after all (Xen marks it and
 * it goes offline when freed, recalling claims then), or NR_ST if Xen
 * refused and left the page alone.
 */
static unsigned int offline_one(unsigned long mfn, unsigned int node)
{
    uint32_t status = 0;
    int rc = xc_mark_page_offline(xch, mfn, mfn, &status), err = errno;
    unsigned int kind = offline_status_kind(status);

    count_op(OP_OFFLINE, rc, err);
    my->offline_status[kind]++;
    /*
     * Xen refuses pages of its own image (freed init memory, which is in
     * the heap), with EPERM; Xen itself may have taken the page meanwhile
     * (then pending); anything else is wrong.
     */
    check(CAT_OFFLINE, rc == 0 ||
          (err == EPERM && (status & PG_OFFLINE_XENPAGE)),
          "offline free page %#lx (node %u): %s (status %#x)", mfn, node,
          errno_name(rc ? err : 0), status);
    return rc ? NR_ST : kind;
}

/* Online @mfn again; it must come back, neither offline nor pending. */
static bool online_one(unsigned long mfn)
{
    uint32_t status = 0, query = 0;
    int rc = xc_mark_page_online(xch, mfn, mfn, &status), err = errno;

    count_op(OP_ONLINE, rc, err);
    check(CAT_OFFLINE, rc == 0, "online %#lx: %s (status %#x)", mfn,
          errno_name(err), status);
    if ( rc )
        return false;
    rc = xc_query_page_offline_status(xch, mfn, mfn, &query);
    check(CAT_OFFLINE, rc == 0 &&
          !(query & (PG_OFFLINE_STATUS_OFFLINED |
                     PG_OFFLINE_STATUS_OFFLINE_PENDING)),
          "%#lx after online: query %s, status %#x", mfn,
          errno_name(rc ? errno : 0), query);
    return rc == 0;
}

/*
 * The claiming helper @c claims every unclaimed page of @node, so that
 * the pages about to go offline there are claimed and Xen has to recall.
 */
static void claim_node_full(struct dom *c, unsigned int node)
{
    xc_node_meminfo_t mi[CLAIM_MAX_NODES];
    memory_claim_t e;
    int rc;

    read_meminfo(mi);
    e = (memory_claim_t){ .pages = node_unclaimed(mi, node), .target = node };
    if ( !e.pages )
        return;
    rc = claim_set(c->domid, 1, &e);
    count_op(OP_SET_GREEDY, rc, errno);
}

/*
 * Once @offlined free pages of @node (above any DMA zone, so not node 0)
 * went offline, Xen must have recalled the claims that no longer fit, and
 * only those: the node's claims fit its free memory, and shrank by at
 * most one page per page offlined (before each, they fitted). Xen may
 * free pages of its own meanwhile (a destroyed domain's last pages go in
 * an RCU callback), so the exact figure cannot be predicted from here.
 */
static void check_recall(unsigned int node, const xc_node_meminfo_t *before,
                         unsigned int offlined)
{
    xc_node_meminfo_t after[CLAIM_MAX_NODES];
    uint64_t was = before[node].claimed, is;

    read_meminfo(after);
    is = after[node].claimed;
    if ( is <= was )
        my->recalled += was - is;
    check(CAT_OFFLINE, is <= after[node].free && is <= was &&
                       was - is <= offlined,
          "node %u: %" PRIu64 " claimed, %" PRIu64 " free before offlining "
          "%u pages, %" PRIu64 " claimed, %" PRIu64 " free after", node, was,
          (uint64_t)before[node].free, offlined, is,
          (uint64_t)after[node].free);
}

/*
 * One round: take pages of a node (not node 0, whose DMA zone node claims
 * do not count on), and with every other process between operations
 * (ops_lock held exclusively, see there) free them, sometimes have the
 * claiming helper claim the whole node, offline some of them and check
 * the recall. The pages stay offline for a moment while the builders
 * carry on, then come back online.
 */
static void offline_round(struct dom *h, struct dom *c)
{
    unsigned int node = nodes > 1 ? 1 + rnd(nodes - 1) : 0, got, k, i;
    xc_node_meminfo_t before[CLAIM_MAX_NODES];
    xen_pfn_t mfn[OFFLINE_BATCH];
    unsigned int kind, offlined = 0;
    bool clean = true;
    int rc;

    ops_begin();
    got = grab_pages(h, node, mfn);
    ops_end();
    if ( !got )
        return;

    pthread_rwlock_wrlock(&shm->ops_lock);
    rc = xc_domain_decrease_reservation_exact(xch, h->domid, got, 0, mfn);
    check(CAT_OFFLINE, rc == 0, "free %u pages of the offliner's d%u: %s",
          got, h->domid, errno_name(errno));
    if ( node && rnd(2) )
        claim_node_full(c, node);
    read_meminfo(before);
    k = min_u64(1 + rnd(got), OFFLINE_BATCH - shm->nr_offline);
    for ( i = 0; i < k; i++ )
    {
        shm->offline_mfn[shm->nr_offline++] = mfn[i];
        kind = offline_one(mfn[i], node);
        offlined += kind == ST_OFFLINED;
        clean = clean && (kind == ST_OFFLINED || kind == NR_ST);
    }
    /* A page that was not free may go offline later, recalling then. */
    if ( !clean && !(window_start() & 1) )
        __atomic_add_fetch(&shm->offline_seq, 1, __ATOMIC_SEQ_CST);
    if ( node )
        check_recall(node, before, offlined);
    pthread_rwlock_unlock(&shm->ops_lock);

    sleep_ms(rnd(40));
    for ( i = 0; i < shm->nr_offline; i++ )
        if ( online_one(shm->offline_mfn[i]) )
            shm->offline_mfn[i] = 0;
    for ( k = 0, i = 0; i < shm->nr_offline; i++ )
        if ( shm->offline_mfn[i] )
            shm->offline_mfn[k++] = shm->offline_mfn[i];
    shm->nr_offline = k;
    if ( !k && (window_start() & 1) )
        __atomic_add_fetch(&shm->offline_seq, 1, __ATOMIC_SEQ_CST);
    ops_begin();
    rc = claim_set(c->domid, 1, &(memory_claim_t){ .target = HOST });
    count_op(OP_RELEASE, rc, errno);
    ops_end();
}

static void offliner_loop(void)
{
    struct dom h = { .idx = 0 }, c = { .idx = 1 };

    while ( !stopping() )
    {
        barrier_point();
        if ( !h.domid || !c.domid )
        {
            ops_begin();
            dom_create(h.domid ? &c : &h);
            ops_end();
            continue;
        }
        offline_round(&h, &c);
        sleep_ms(20 + rnd(150));
    }
    ops_begin();
    if ( h.domid )
        dom_destroy(&h);
    if ( c.domid )
        dom_destroy(&c);
    ops_end();
}

/* ---- the parent: barrier, checks, clean-up, report ---- */

static pid_t pids[NR_SLOTS];
static unsigned int nr_procs;
static unsigned int quiescent_points;

static unsigned int slot_of(unsigned int i)
{
    if ( i < nr_workers )
        return i;
    return i == nr_workers ? SLOT_NOCLAIM : SLOT_OFFLINER;
}

/* A child that ended before the parent said so is a failure. */
static bool children_alive(void)
{
    unsigned int i;
    int status;

    for ( i = 0; i < nr_procs; i++ )
        if ( pids[i] > 0 && waitpid(pids[i], &status, WNOHANG) == pids[i] )
        {
            check(CAT_QUIESCENT, false,
                  "process %u (pid %d) ended early: %s %d",
                  slot_of(i), pids[i],
                  WIFEXITED(status) ? "exit" : "signal",
                  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
            pids[i] = 0;
            return false;
        }
    return true;
}

static void barrier_release(void)
{
    double until = now() + 60;
    unsigned int i;

    __atomic_store_n(&shm->pause, 0, __ATOMIC_SEQ_CST);
    for ( i = 0; i < nr_procs; i++ )
        sem_post(&shm->resume);
    /* Wait until all are out, so that none takes another's turn later. */
    while ( __atomic_load_n(&shm->left, __ATOMIC_SEQ_CST) <
            __atomic_load_n(&shm->arrived, __ATOMIC_SEQ_CST) && now() < until )
        sleep_ms(5);
}

/* Stop every process at the barrier; false if one does not come. */
static bool barrier_stop_all(void)
{
    double until = now() + 120;

    __atomic_store_n(&shm->arrived, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&shm->left, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&shm->pause, 1, __ATOMIC_SEQ_CST);
    while ( __atomic_load_n(&shm->arrived, __ATOMIC_SEQ_CST) < (int)nr_procs )
    {
        if ( !children_alive() || now() > until )
        {
            check(CAT_QUIESCENT, false,
                  "only %d of %u processes reached the barrier",
                  __atomic_load_n(&shm->arrived, __ATOMIC_SEQ_CST), nr_procs);
            barrier_release();
            return false;
        }
        sleep_ms(5);
    }
    return true;
}

/*
 * With nothing moving: the claims GET returns for every domain, added up
 * per node and host-wide, must be what numa_meminfo says is claimed on
 * each node and what physinfo says is outstanding; each domain's GET must
 * add up to its getdomaininfo outstanding_pages; and claims must fit in
 * free memory.
 */
static void check_consistency(const char *when)
{
    static xc_domaininfo_t info[MAX_DOMAINS];
    xc_node_meminfo_t mi[CLAIM_MAX_NODES];
    uint64_t node_sum[CLAIM_MAX_NODES] = { 0 }, host_sum = 0, total;
    unsigned int n, doms = 0, failed = my->fails[CAT_QUIESCENT];
    char figures[512];
    size_t used = 0;
    xc_physinfo_t pi;
    struct cset s;
    int nr, i;

    count_op(OP_CHECK, 0, 0);
    nr = xc_domain_getinfolist(xch, 0, MAX_DOMAINS, info);
    check(CAT_QUIESCENT, nr > 0, "%s: list domains: %s", when,
          errno_name(errno));
    for ( i = 0; i < nr; i++ )
    {
        if ( cset_get(info[i].domain, &s) )
        {
            /* A dying domain may vanish meanwhile; its claims are gone. */
            check(CAT_QUIESCENT,
                  errno == ESRCH && (info[i].flags & XEN_DOMINF_dying),
                  "%s: GET d%u: %s", when, info[i].domain, errno_name(errno));
            continue;
        }
        doms++;
        check(CAT_QUIESCENT, cset_total(&s) == info[i].outstanding_pages,
              "%s: d%u: GET adds up to %" PRIu64 ", getdomaininfo says %"
              PRIu64, when, info[i].domain, cset_total(&s),
              (uint64_t)info[i].outstanding_pages);
        for ( n = 0; n < nodes; n++ )
            node_sum[n] += s.node[n];
        host_sum += s.host;
    }
    read_meminfo(mi);
    pi = physinfo();
    total = host_sum;
    for ( n = 0; n < nodes; n++ )
    {
        total += node_sum[n];
        check(CAT_QUIESCENT, node_sum[n] == mi[n].claimed,
              "%s: node %u: domains' claims add up to %" PRIu64
              ", numa_meminfo says %" PRIu64 " claimed", when, n, node_sum[n],
              (uint64_t)mi[n].claimed);
        check(CAT_QUIESCENT, mi[n].claimed <= mi[n].free,
              "%s: node %u: %" PRIu64 " claimed > %" PRIu64 " free", when, n,
              (uint64_t)mi[n].claimed, (uint64_t)mi[n].free);
        used = append(figures, sizeof(figures), used, "%s%" PRIu64,
                      n ? "/" : "", node_sum[n]);
    }
    check(CAT_QUIESCENT, total == pi.outstanding_pages,
          "%s: domains claim %" PRIu64 " (nodes %s, host-wide %" PRIu64
          "), physinfo says %" PRIu64 " outstanding", when, total, figures,
          host_sum, (uint64_t)pi.outstanding_pages);
    check(CAT_QUIESCENT, pi.outstanding_pages <= pi.free_pages,
          "%s: %" PRIu64 " outstanding > %" PRIu64 " free", when,
          (uint64_t)pi.outstanding_pages, (uint64_t)pi.free_pages);
    quiescent_points++;
    if ( my->fails[CAT_QUIESCENT] != failed )
        return;
    printf("claim-stress: quiescent point %u (%s): %u domains, node claims %s,"
           " host-wide %" PRIu64 ", outstanding %" PRIu64 ": agree\n",
           quiescent_points, when, doms, figures, host_sum,
           (uint64_t)pi.outstanding_pages);
}

/* Stop everyone, wait for them (kill those that hang). */
static void stop_children(void)
{
    double until = now() + 180;
    unsigned int i, left;
    int status;

    __atomic_store_n(&shm->stop, 1, __ATOMIC_SEQ_CST);
    do {
        left = 0;
        for ( i = 0; i < nr_procs; i++ )
        {
            if ( pids[i] <= 0 )
                continue;
            if ( waitpid(pids[i], &status, WNOHANG) == pids[i] )
            {
                check(CAT_DOMAIN, WIFEXITED(status) && !WEXITSTATUS(status),
                      "process %u ended with status %#x", slot_of(i), status);
                pids[i] = 0;
            }
            else
                left++;
        }
        if ( left )
            sleep_ms(20);
    } while ( left && now() < until );
    for ( i = 0; i < nr_procs; i++ )
        if ( pids[i] > 0 )
        {
            check(CAT_DOMAIN, false, "process %u did not stop: killed",
                  slot_of(i));
            kill(pids[i], SIGKILL);
            waitpid(pids[i], &status, 0);
        }
}

/* What killed or failed processes left: their domains, offline pages. */
static void clean_up(void)
{
    unsigned int s, j, i;
    uint32_t status;

    for ( s = 0; s < NR_SLOTS; s++ )
        for ( j = 0; j < 2; j++ )
            if ( shm->domid[s][j] )
            {
                check(CAT_FINAL, !xc_domain_destroy(xch, shm->domid[s][j]),
                      "destroy d%u left by process %u: %s", shm->domid[s][j],
                      s, errno_name(errno));
                shm->domid[s][j] = 0;
            }
    for ( i = 0; i < shm->nr_offline; i++ )
        check(CAT_FINAL,
              !xc_mark_page_online(xch, shm->offline_mfn[i],
                                   shm->offline_mfn[i], &status),
              "online %#lx left offline: %s", shm->offline_mfn[i],
              errno_name(errno));
    shm->nr_offline = 0;
}

/* Once every domain built here is gone, no claim may be left anywhere. */
static void check_final(void)
{
    xc_node_meminfo_t mi[CLAIM_MAX_NODES];
    xc_physinfo_t pi;
    unsigned int n;

    check_consistency("after the run");
    pi = physinfo();
    check(CAT_FINAL, pi.outstanding_pages == 0,
          "physinfo: %" PRIu64 " pages still outstanding",
          (uint64_t)pi.outstanding_pages);
    read_meminfo(mi);
    for ( n = 0; n < nodes; n++ )
        check(CAT_FINAL, mi[n].claimed == 0,
              "node %u: %" PRIu64 " pages still claimed", n,
              (uint64_t)mi[n].claimed);
}

static unsigned long sum_ops(unsigned int op, unsigned int e)
{
    unsigned long total = 0;
    unsigned int s;

    for ( s = 0; s < NR_SLOTS; s++ )
        total += shm->stats[s].ops[op][e];
    return total;
}

/* A line a minute, which the scripts show while a long run goes on. */
static void progress(double start, double seconds)
{
    unsigned long total = 0;
    unsigned int op, e;

    for ( op = 0; op < NR_OPS; op++ )
        for ( e = 0; e <= NR_ERRNO; e++ )
            total += sum_ops(op, e);
    printf("CLAIMTEST: PHASE claim-stress: %.0f s of %.0f, %lu operations, "
           "%u quiescent points\n", now() - start, seconds, total,
           quiescent_points);
}

static void run(double seconds, double interval)
{
    double start = now(), end = start + seconds;
    double next = start + interval / 2 + rnd(interval), report = start + 60;

    while ( now() < end )
    {
        sleep_ms(100);
        if ( !children_alive() )
            break;
        if ( now() >= report && now() < end )
        {
            progress(start, seconds);
            report += 60;
        }
        if ( now() < next )
            continue;
        if ( !barrier_stop_all() )
            break;
        check_consistency("during the run");
        barrier_release();
        next = now() + interval / 2 + rnd(interval);
    }
}

#define SUM(field) ({                                                     \
    unsigned long t_ = 0;                                                 \
    unsigned int s_;                                                      \
    for ( s_ = 0; s_ < NR_SLOTS; s_++ )                                   \
        t_ += shm->stats[s_].field;                                       \
    t_;                                                                   \
})

/* One line per operation: how many ran, and how many ended with which errno. */
static void print_ops(void)
{
    unsigned int op, e;
    unsigned long total, n;
    char line[512];
    size_t used;

    for ( op = 0; op < NR_OPS; op++ )
    {
        total = 0;
        used = 0;
        line[0] = '\0';
        for ( e = 0; e <= NR_ERRNO; e++ )
        {
            if ( !(n = sum_ops(op, e)) )
                continue;
            total += n;
            used = append(line, sizeof(line), used, "%s%s %lu",
                          used ? ", " : "",
                          e == NR_ERRNO ? "other" : errno_name(e), n);
        }
        printf("claim-stress: %-17s %7lu%s%s%s\n", op_name[op], total,
               total ? " (" : "", line, total ? ")" : "");
    }
}

static void print_details(void)
{
    char line[768];
    size_t used = 0;
    unsigned int k;

    for ( k = 0; k < NR_INVALID; k++ )
        used = append(line, sizeof(line), used, "%s%s %lu", k ? ", " : "",
                      invalid_kinds[k].name, SUM(invalid[k]));
    printf("claim-stress: invalid sets by kind: %s\n", line);
    for ( used = 0, k = 0; k < NR_ST; k++ )
        used = append(line, sizeof(line), used, "%s%s %lu", k ? ", " : "",
                      st_name[k], SUM(offline_status[k]));
    printf("claim-stress: offline results: %s\n", line);
    printf("claim-stress: offlining recalled %lu claimed pages\n",
           SUM(recalled));
    printf("claim-stress: pages: %lu asked by builders, %lu allocated; "
           "checks exact %lu, with offlining in the window %lu\n",
           SUM(pages_asked), SUM(pages_got), SUM(exact), SUM(relaxed));
}

/* One result line per kind of check. */
static void report(void)
{
    unsigned long checks, fails;
    unsigned int c;

    for ( c = 0; c < NR_CATS; c++ )
    {
        checks = SUM(checks[c]);
        fails = SUM(fails[c]);
        test_result(!fails, "%s: %lu checks, %lu failed", cat_name[c],
                    checks, fails);
    }
}

static void start_child(unsigned int i, unsigned int slot, void (*loop)(void),
                        uint64_t seed)
{
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if ( pid < 0 )
    {
        perror("fork");
        exit(100);
    }
    if ( pid )
    {
        pids[i] = pid;
        return;
    }
    /* A child never outlives the parent, even one that was killed. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    my_slot = slot;
    my = &shm->stats[slot];
    rng = seed ^ (0x9e3779b97f4a7c15ULL * (slot + 1));
    claimlib_open();
    loop();
    fflush(stdout);
    _exit(0);
}

/* Shared between processes; writers first, so the offliner gets its turn. */
static int init_ops_lock(void)
{
    pthread_rwlockattr_t attr;
    int rc = pthread_rwlockattr_init(&attr);

    rc = rc ?: pthread_rwlockattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    rc = rc ?: pthread_rwlockattr_setkind_np(
                   &attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    rc = rc ?: pthread_rwlock_init(&shm->ops_lock, &attr);
    errno = rc;
    return rc;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: claim-stress [-s SECONDS] [-w WORKERS] [-i INTERVAL] "
            "[-r SEED]\n"
            "  -s  how long to run (default 60)\n"
            "  -w  builder processes, 1-%u (default 3)\n"
            "  -i  seconds between quiescent checks, about (default 5)\n"
            "  -r  seed of the random choices (default: from the clock)\n",
            MAX_WORKERS);
    return 2;
}

static bool parse_uint(const char *s, unsigned long long lo,
                       unsigned long long hi, unsigned long long *out)
{
    char *end;

    if ( *s < '0' || *s > '9' )
        return false;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return !errno && !*end && *out >= lo && *out <= hi;
}

/* The host's shape, read once before the children start. */
static void read_host(void)
{
    xc_node_meminfo_t mi[CLAIM_MAX_NODES];
    xc_physinfo_t pi;
    unsigned int n;

    claimlib_open();
    pi = physinfo();
    nodes = pi.nr_nodes;
    if ( nodes < 1 || nodes > CLAIM_MAX_NODES )
    {
        fprintf(stderr, "the host reports %u NUMA nodes\n", nodes);
        exit(100);
    }
    host_pages = pi.total_pages;
    /* Far above what any set here claims but an "over max_pages" one. */
    dom_max = 2 * host_pages;
    read_meminfo(mi);
    for ( n = 0; n < nodes; n++ )
        node_size[n] = mi[n].size;
    /* The children open their own: libxencall's buffers are per process. */
    xc_interface_close(xch);
    xencall_close(xcall);
}

int main(int argc, char **argv)
{
    unsigned long long seconds = 60, interval = 5, workers = 3, seed;
    unsigned int i;
    int opt;

    test_init(argv[0]);
    seed = (unsigned long long)time(NULL) ^
           ((unsigned long long)getpid() << 32);
    while ( (opt = getopt(argc, argv, "s:w:i:r:h")) != -1 )
    {
        bool ok;

        switch ( opt )
        {
        case 's': ok = parse_uint(optarg, 1, 7 * 86400, &seconds); break;
        case 'w': ok = parse_uint(optarg, 1, MAX_WORKERS, &workers); break;
        case 'i': ok = parse_uint(optarg, 1, 3600, &interval); break;
        case 'r': ok = parse_uint(optarg, 0, ~0ULL, &seed); break;
        default: ok = false; break;
        }
        if ( !ok )
            return usage();
    }
    if ( optind != argc )
        return usage();
    nr_workers = workers;
    rng = seed | 1;

    shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if ( shm == MAP_FAILED || sem_init(&shm->resume, 1, 0) ||
         init_ops_lock() )
    {
        perror("shared memory");
        return 100;
    }
    my_slot = SLOT_PARENT;
    my = &shm->stats[SLOT_PARENT];
    read_host();
    printf("claim-stress: %llu s, %u builders, %u nodes, %" PRIu64
           " pages, seed %llu\n", seconds, nr_workers, nodes, host_pages, seed);

    for ( i = 0; i < nr_workers; i++ )
        start_child(i, i, worker_loop, seed);
    start_child(nr_workers, SLOT_NOCLAIM, noclaim_loop, seed);
    start_child(nr_workers + 1, SLOT_OFFLINER, offliner_loop, seed);
    nr_procs = nr_workers + 2;
    claimlib_open();

    run(seconds, interval);
    stop_children();
    clean_up();
    check_final();

    print_ops();
    print_details();
    report();
    test_result(quiescent_points > 1, "%u quiescent points checked",
                quiescent_points);
    /* Every failure above printed a FAIL line of this process's. */
    return test_exit();
}
