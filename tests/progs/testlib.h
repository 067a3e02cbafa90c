/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Result reporting for the test bed's C programs, in the line format that
 * tests/scenarios/lib.sh uses and scripts/qemu-run.sh counts:
 *   CLAIMTEST: PASS <prog>: <what>
 *   CLAIMTEST: FAIL <prog>: <what>: expected <x>, got <y>
 * main() returns the number of failed checks (capped), so the scenario
 * running the program fails too.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *test_name = "prog";
static unsigned int test_failed;

static void test_init(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');

    test_name = slash ? slash + 1 : argv0;
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static void __attribute__((format(printf, 2, 3)))
test_result(int ok, const char *fmt, ...)
{
    va_list ap;

    printf("CLAIMTEST: %s %s: ", ok ? "PASS" : "FAIL", test_name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    if ( !ok )
        test_failed++;
}

#define CHECK_EQ(what, expected, got) do {                                \
    unsigned long long e_ = (expected), g_ = (got);                       \
    if ( e_ == g_ )                                                       \
        test_result(1, "%s (%llu)", (what), g_);                          \
    else                                                                  \
        test_result(0, "%s: expected %llu, got %llu", (what), e_, g_);    \
} while ( 0 )

/* A libxenctrl call's result: rc 0 expected, or -1 with errno err. */
#define CHECK_RC(what, err, rc) do {                                      \
    int r_ = (rc), e_ = (r_ < 0) ? errno : 0;                             \
    if ( (err) == 0 ? r_ == 0 : (r_ < 0 && e_ == (err)) )                 \
        test_result(1, "%s (rc %d, errno %d)", (what), r_, e_);           \
    else                                                                  \
        test_result(0, "%s: expected errno %d, got rc %d errno %d (%s)",  \
                    (what), (err), r_, e_, strerror(e_));                 \
} while ( 0 )

static int test_exit(void)
{
    return test_failed > 100 ? 100 : (int)test_failed;
}

#endif /* TESTLIB_H */
