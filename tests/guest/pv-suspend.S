/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 64-bit PV "kernel" that suspends itself as soon as it runs, so that
 * the test bed can save a domain (xl save) and restore it (xl restore)
 * without booting a real kernel under TCG.
 *
 * What the save code in libxenguest reads from a suspended PV guest, and
 * what this stub therefore leaves behind before SCHEDOP_shutdown:
 *  - shared_info's arch.max_pfn, arch.p2m_cr3 and arch.p2m_vaddr: the
 *    guest's p2m as a linear list (the one the domain builder handed over
 *    in start_info.mfn_list), reached through its own page tables;
 *  - start_info's xenstore and console frames as pfns, not mfns;
 *  - rdx: the mfn of start_info (the "suspend record" the restore side
 *    writes the new store and console frames into);
 *  - page tables that map only the guest's own frames: shared_info is
 *    mapped only while its fields are written.
 * The toolstack's suspend request (xenstore control/shutdown) is not read
 * here: whoever saves the domain acknowledges it on the guest's behalf.
 * Run again after a restore, the stub powers the domain off.
 */
#define VIRT_BASE       0xffffffff80000000
#define PAGE_SHIFT      12

/* start_info (xen/include/public/xen.h), 64-bit layout */
#define SI_NR_PAGES     32
#define SI_SHARED_INFO  40
#define SI_STORE_MFN    56
#define SI_CONSOLE_MFN  72
#define SI_PT_BASE      88
#define SI_MFN_LIST     104

/* shared_info's arch_shared_info (arch-x86/xen.h), 64-bit layout */
#define SH_MAX_PFN      3088
#define SH_P2M_CR3      3112
#define SH_P2M_VADDR    3120

#define HYPERCALL_update_va_mapping     14
#define HYPERCALL_sched_op              29
#define SCHEDOP_shutdown                2
#define SHUTDOWN_poweroff               0
#define SHUTDOWN_suspend                2
#define UVMF_INVLPG                     2
/* Present, writable, accessed, dirty. */
#define PTE_FLAGS                       0x63

#define hypercall(nr)   call hypercall_page + (nr) * 32

        .text
        .globl _start
_start:
        /* rsi: start_info, as the domain builder left it. */
        mov     %rsi, %rbx
        mov     SI_MFN_LIST(%rbx), %r12         /* p2m: mfn of each pfn */
        mov     SI_NR_PAGES(%rbx), %r13

        /* Map shared_info over the page reserved for it. */
        lea     shared_info(%rip), %rdi
        mov     SI_SHARED_INFO(%rbx), %rsi      /* a machine address */
        or      $PTE_FLAGS, %rsi
        mov     $UVMF_INVLPG, %edx
        hypercall(HYPERCALL_update_va_mapping)
        test    %rax, %rax
        jnz     fatal

        /* Where the save code finds the p2m. */
        lea     shared_info(%rip), %r14
        mov     %r13, SH_MAX_PFN(%r14)
        mov     %r12, SH_P2M_VADDR(%r14)
        mov     SI_PT_BASE(%rbx), %rax
        call    va_to_mfn
        shl     $PAGE_SHIFT, %rax
        mov     %rax, SH_P2M_CR3(%r14)

        /* Put the guest's own frame back under the page. */
        lea     shared_info(%rip), %rax
        call    va_to_mfn
        shl     $PAGE_SHIFT, %rax
        or      $PTE_FLAGS, %rax
        mov     %rax, %rsi
        lea     shared_info(%rip), %rdi
        mov     $UVMF_INVLPG, %edx
        hypercall(HYPERCALL_update_va_mapping)
        test    %rax, %rax
        jnz     fatal

        /* The suspend record names its xenstore and console frames by pfn. */
        mov     SI_STORE_MFN(%rbx), %rax
        call    mfn_to_pfn
        mov     %rax, SI_STORE_MFN(%rbx)
        mov     SI_CONSOLE_MFN(%rbx), %rax
        call    mfn_to_pfn
        mov     %rax, SI_CONSOLE_MFN(%rbx)

        /* Suspend, the suspend record's mfn in rdx. */
        mov     %rbx, %rax
        call    va_to_mfn
        mov     %rax, %rdx
        mov     $SCHEDOP_shutdown, %edi
        lea     shutdown_suspend(%rip), %rsi
        hypercall(HYPERCALL_sched_op)

        /*
         * Running again: restored (or the suspend was cancelled). Power
         * off, so that whoever unpaused the domain sees that it ran.
         */
        mov     $SCHEDOP_shutdown, %edi
        lea     shutdown_poweroff(%rip), %rsi
        hypercall(HYPERCALL_sched_op)
        jmp     fatal

/* rax: a virtual address of the initial mapping -> rax: its mfn. */
va_to_mfn:
        movabs  $VIRT_BASE, %rcx
        sub     %rcx, %rax
        shr     $PAGE_SHIFT, %rax
        mov     (%r12,%rax,8), %rax
        ret

/* rax: an mfn of the guest -> rax: its pfn, found in the p2m. */
mfn_to_pfn:
        xor     %ecx, %ecx
1:      cmp     %rax, (%r12,%rcx,8)
        je      2f
        inc     %rcx
        cmp     %r13, %rcx
        jb      1b
        jmp     fatal
2:      mov     %rcx, %rax
        ret

/* No trap table: Xen crashes the domain, which the test sees. */
fatal:
        ud2

        .balign 8
shutdown_suspend:
        .long   SHUTDOWN_suspend
shutdown_poweroff:
        .long   SHUTDOWN_poweroff

        .balign 4096
hypercall_page:
        .fill   4096, 1, 0xcc

/* shared_info is mapped here while the stub writes it. */
        .balign 4096
shared_info:
        .fill   4096, 1, 0

#include "xen-notes.h"
