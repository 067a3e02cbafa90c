/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A libxl client written against Xen 4.17's libxl API only, to show that
 * the series keeps libxenlight.so.4.17's ABI: scripts/progs.sh builds it
 * twice, against 4.17's libxl headers and against the series' headers,
 * both linked with the series' libxenlight, and the libxl-abi scenario
 * runs both and compares what they print.
 *
 *   libxl-abi KERNEL MEMORY_MIB
 *
 * It reads the host's NUMA nodes (libxl_numainfo, an array whose stride
 * is the struct's size), creates a paused PV domain from a
 * libxl_domain_config built here (claim_mode on, so that libxl stakes a
 * claim and reads fields after it in libxl_domain_build_info), reads the
 * domain and its configuration back, and destroys it. Every line it
 * prints is the same from one run to the next (sizes, never free
 * memory or domain ids); it ends with "N passed, N failed" and exits
 * with the number of failures.
 *
 * The layout check (every struct of 4.17's libxl, field by field) is
 * scripts/abi-headers.sh's, on the build machine.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <xentoollog.h>

#define DOMAIN_NAME "libxl-abi"
/* DOMID_FIRST_RESERVED of xen/xen.h, which libxl.h does not include. */
#define FIRST_RESERVED_DOMID 0x7ff0u

static unsigned int passed, failed;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    if (ok)
        passed++;
    else
        failed++;
}

/* Each node's size and distances; its free memory only as a check. */
static void check_numainfo(libxl_ctx *ctx)
{
    libxl_numainfo *info;
    int nr, i, j, online = 0;
    int sane = 1;

    info = libxl_get_numainfo(ctx, &nr);
    check(info != NULL, "libxl_get_numainfo()");
    if (!info)
        return;
    printf("nodes: %d\n", nr);
    for (i = 0; i < nr; i++) {
        if (info[i].size == LIBXL_NUMAINFO_INVALID_ENTRY) {
            printf("node %d: not online\n", i);
            continue;
        }
        online++;
        printf("node %d: size %" PRIu64 " MiB, distances", i,
               info[i].size >> 20);
        for (j = 0; j < info[i].num_dists; j++)
            printf("%s%" PRIu32, j ? "," : " ", info[i].dists[j]);
        printf("\n");
        if (info[i].free > info[i].size || info[i].num_dists != nr)
            sane = 0;
        /* A node is nearer to itself than to any other node. */
        for (j = 0; j < info[i].num_dists; j++)
            if (j != i && info[i].dists[j] <= info[i].dists[i])
                sane = 0;
    }
    check(online > 0, "at least one node online");
    check(sane, "every node: free <= size, a distance to each node, "
          "nearest to itself");
    libxl_numainfo_list_free(info, nr);
}

/* A PV domain of @mib MiB, one vcpu, built from @kernel; claim_mode on. */
static void build_config(libxl_ctx *ctx, libxl_domain_config *config,
                         const char *kernel, unsigned long mib)
{
    libxl_domain_create_info *c_info = &config->c_info;
    libxl_domain_build_info *b_info = &config->b_info;

    libxl_domain_config_init(config);

    libxl_domain_create_info_init(c_info);
    c_info->type = LIBXL_DOMAIN_TYPE_PV;
    c_info->name = strdup(DOMAIN_NAME);

    libxl_domain_build_info_init_type(b_info, LIBXL_DOMAIN_TYPE_PV);
    b_info->max_vcpus = 1;
    if (libxl_cpu_bitmap_alloc(ctx, &b_info->avail_vcpus, 1) == 0)
        libxl_bitmap_set(&b_info->avail_vcpus, 0);
    b_info->max_memkb = mib * 1024;
    b_info->target_memkb = mib * 1024;
    libxl_defbool_set(&b_info->claim_mode, true);
    b_info->kernel = strdup(kernel);
    b_info->cmdline = strdup("console=hvc0");

    config->on_poweroff = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    config->on_reboot = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    config->on_crash = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
}

/* What libxl stored of the domain's configuration, read back. */
static void check_retrieved(libxl_ctx *ctx, uint32_t domid,
                            const char *kernel, unsigned long mib)
{
    libxl_domain_config got;
    int rc;

    libxl_domain_config_init(&got);
    rc = libxl_retrieve_domain_configuration(ctx, domid, &got, NULL);
    check(rc == 0, "libxl_retrieve_domain_configuration()");
    if (!rc) {
        check(got.c_info.type == LIBXL_DOMAIN_TYPE_PV &&
              got.c_info.name && !strcmp(got.c_info.name, DOMAIN_NAME),
              "retrieved: type PV, the name given");
        check(got.b_info.max_vcpus == 1 &&
              got.b_info.max_memkb == mib * 1024 &&
              got.b_info.target_memkb == mib * 1024,
              "retrieved: 1 vcpu, max and target memory as given");
        check(got.b_info.kernel && !strcmp(got.b_info.kernel, kernel) &&
              got.b_info.cmdline &&
              !strcmp(got.b_info.cmdline, "console=hvc0"),
              "retrieved: kernel and cmdline as given");
        check(libxl_defbool_val(got.b_info.claim_mode),
              "retrieved: claim_mode on");
    }
    libxl_domain_config_dispose(&got);
}

static void check_domain(libxl_ctx *ctx, const char *kernel,
                         unsigned long mib)
{
    libxl_domain_config config;
    libxl_dominfo info;
    uint32_t domid = 0;
    int rc, ok;

    build_config(ctx, &config, kernel, mib);
    rc = libxl_domain_create_new(ctx, &config, &domid, NULL, NULL);
    ok = rc == 0 && domid != 0 && domid < FIRST_RESERVED_DOMID;
    check(ok, "libxl_domain_create_new() of a paused PV domain");
    libxl_domain_config_dispose(&config);
    if (!ok)
        return;

    libxl_dominfo_init(&info);
    rc = libxl_domain_info(ctx, &info, domid);
    check(rc == 0, "libxl_domain_info()");
    if (!rc) {
        printf("domain: max_memkb %" PRIu64 ", current_memkb %" PRIu64
               ", vcpus %u, paused %d\n", info.max_memkb,
               info.current_memkb, info.vcpu_max_id + 1, info.paused);
        check(info.paused, "the domain is paused");
        check(info.current_memkb + 4096 >= mib * 1024 &&
              info.current_memkb <= info.max_memkb,
              "current memory: about what was asked, at most max");
        check(info.outstanding_memkb == 0, "no claim left after the build");
    }
    libxl_dominfo_dispose(&info);

    check_retrieved(ctx, domid, kernel, mib);

    rc = libxl_domain_destroy(ctx, domid, NULL);
    check(rc == 0, "libxl_domain_destroy()");
}

int main(int argc, char **argv)
{
    xentoollog_logger_stdiostream *logger;
    libxl_ctx *ctx = NULL;
    unsigned long mib;
    char *end;

    if (argc != 3) {
        fprintf(stderr, "usage: %s KERNEL MEMORY_MIB\n", argv[0]);
        return 2;
    }
    mib = strtoul(argv[2], &end, 10);
    if (*end || !mib || mib > 65536) {
        fprintf(stderr, "%s: bad memory size '%s'\n", argv[0], argv[2]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    logger = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!logger)
        return 2;
    check(libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                          (xentoollog_logger *)logger) == 0,
          "libxl_ctx_alloc()");
    if (ctx) {
        check_numainfo(ctx);
        check_domain(ctx, argv[1], mib);
        libxl_ctx_free(ctx);
    }
    xtl_logger_destroy((xentoollog_logger *)logger);

    printf("%u passed, %u failed\n", passed, failed);
    return failed > 125 ? 125 : failed;
}
