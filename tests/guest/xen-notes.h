/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen ELF notes the domain builder requires of a 64-bit PV kernel,
 * shared by the test bed's stub kernels. The includer defines VIRT_BASE,
 * _start and hypercall_page.
 */

/* One Xen ELF note: name "Xen", type @type, the data that follows. */
        .macro  xen_note type, data:vararg
        .pushsection .note.Xen, "a", @note
        .balign 4
        .long   4
        .long   2f - 1f
        .long   \type
        .asciz  "Xen"
1:      \data
2:      .balign 4
        .popsection
        .endm

        xen_note 6, .asciz "linux"              /* XEN_ELFNOTE_GUEST_OS */
        xen_note 5, .asciz "xen-3.0"            /* XEN_ELFNOTE_XEN_VERSION */
        xen_note 8, .asciz "generic"            /* XEN_ELFNOTE_LOADER */
        xen_note 3, .quad VIRT_BASE             /* XEN_ELFNOTE_VIRT_BASE */
        xen_note 4, .quad 0                     /* XEN_ELFNOTE_PADDR_OFFSET */
        xen_note 1, .quad _start                /* XEN_ELFNOTE_ENTRY */
        xen_note 2, .quad hypercall_page        /* XEN_ELFNOTE_HYPERCALL_PAGE */
