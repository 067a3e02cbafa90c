/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 64-bit PV "kernel" that is never run: just enough ELF for the domain
 * builder (the Xen ELF notes it requires, an entry point and a hypercall
 * page), so that the test bed can build many PV domains at once with
 * `xl create -p` without dom0 loading and unpacking a real kernel for
 * each of them. Only where the domains' memory goes is measured.
 */
#define VIRT_BASE 0xffffffff80000000

        .text
        .globl _start
_start:
        jmp     _start

        .balign 4096
hypercall_page:
        .fill   4096, 1, 0xcc

#include "xen-notes.h"
