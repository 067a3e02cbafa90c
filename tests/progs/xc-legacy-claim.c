/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PV domain built with libxenctrl alone, and the legacy claim
 * (XENMEM_claim_pages through xc_domain_claim_pages()) followed through
 * its life: staked, redeemed as memory is populated, refused when a
 * second one is asked for, released by a zero claim and by destroy.
 * The host's outstanding claims (physinfo) must move with the domain's.
 *
 * usage: xc-legacy-claim [max_mb]   (default 64)
 */
#include <unistd.h>

#include "claimlib.h"
#include "testlib.h"

int main(int argc, char **argv)
{
    unsigned long max_mb = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
    uint64_t max_pages = max_mb << (20 - XC_PAGE_SHIFT);
    uint64_t target = max_pages / 2, chunk = target / 4;
    uint64_t outstanding0, free0, base, tot, claim;
    uint32_t domid;
    int i;

    test_init(argv[0]);
    claimlib_open();
    outstanding0 = host_outstanding();
    free0 = host_free();

    CHECK_RC("create a PV domain with libxenctrl", 0,
             create_pv_domain(&domid, max_pages));
    domain_pages(domid, &base, &claim);
    CHECK_EQ("new domain has no claim", 0, claim);

    /* Legacy semantics: the argument is the domain's total target. */
    CHECK_RC("stake a legacy claim", 0,
             xc_domain_claim_pages(xch, domid, base + target));
    domain_pages(domid, &tot, &claim);
    CHECK_EQ("domain's claim is target minus allocated", target, claim);
    CHECK_EQ("host outstanding grew by the claim", outstanding0 + target,
             host_outstanding());

    CHECK_RC("a second non-zero claim is refused", EINVAL,
             xc_domain_claim_pages(xch, domid, base + target + 1));
    CHECK_RC("a claim above max_pages is refused", EINVAL,
             xc_domain_claim_pages(xch, domid, max_pages + 1));
    domain_pages(domid, &tot, &claim);
    CHECK_EQ("refused claims leave the claim alone", target, claim);

    for ( i = 1; i <= 4; i++ )
    {
        char what[64];

        CHECK_RC("populate a quarter of the claim", 0,
                 populate(domid, (i - 1) * chunk, chunk, -1, NULL));
        domain_pages(domid, &tot, &claim);
        snprintf(what, sizeof(what), "claim after populating %d/4", i);
        CHECK_EQ(what, target - i * chunk, claim);
        snprintf(what, sizeof(what), "host outstanding after %d/4", i);
        CHECK_EQ(what, outstanding0 + target - i * chunk, host_outstanding());
    }
    CHECK_EQ("domain holds what it populated", base + 4 * chunk, tot);
    CHECK_RC("populate beyond the claim, within max_pages", 0,
             populate(domid, 4 * chunk, chunk, -1, NULL));
    domain_pages(domid, &tot, &claim);
    CHECK_EQ("claim stays at zero", 0, claim);

    CHECK_RC("a claim not above the allocation is refused", EINVAL,
             xc_domain_claim_pages(xch, domid, tot));
    CHECK_RC("stake a new claim once the first is used up", 0,
             xc_domain_claim_pages(xch, domid, tot + chunk));
    CHECK_EQ("host outstanding has the new claim", outstanding0 + chunk,
             host_outstanding());
    CHECK_RC("a zero claim releases it", 0,
             xc_domain_claim_pages(xch, domid, 0));
    CHECK_EQ("host outstanding back to where it was", outstanding0,
             host_outstanding());

    CHECK_RC("stake a claim again", 0,
             xc_domain_claim_pages(xch, domid, tot + chunk));
    CHECK_RC("destroy the domain", 0, xc_domain_destroy(xch, domid));
    CHECK_EQ("destroy released the claim", outstanding0, host_outstanding());
    /* Freed pages may wait for the scrubber; give it a few seconds. */
    for ( i = 0; i < 50 && host_free() + 64 < free0; i++ )
        usleep(100000);
    test_result(host_free() + 64 >= free0,
                "destroy gave the memory back (free %llu pages, before %llu)",
                (unsigned long long)host_free(), (unsigned long long)free0);

    return test_exit();
}
