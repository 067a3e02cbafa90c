#!/usr/bin/env bash
# make initramfs: dom0's kernel and initramfs for the test bed.
#   build/dom0/vmlinuz      Debian's kernel (also the test guests' kernel;
#                           the storm's placement domains get
#                           tests/guest/pv-stub, xl-restore's
#                           tests/guest/pv-suspend)
#   build/dom0/vmlinux      the same kernel decompressed: the boot storm's
#                           guests, many of which are built at once (each
#                           build of the compressed one holds its ~66 MB
#                           unpacked copy in dom0)
#   build/dom0/initrd.gz    busybox, the Xen modules dom0 needs, the tools
#                           built in build/xen, test programs, scenarios
# Debian's kernel package is downloaded and unpacked with dpkg -x; nothing
# is installed into the machine's /boot.
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/dom0
INST=$TREE/dist/install
KMODS="xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc"
# Tools dom0 runs, and the tests the tools build installs (on dom0's PATH
# in /usr/lib/xen/bin); found under $INST.
TOOLS="usr/sbin/xl usr/sbin/xenstored usr/sbin/xenconsoled usr/sbin/xen-hptool
       usr/lib/xen/bin/xen-init-dom0 usr/lib/xen/bin/test-xenctrl-claims
       usr/lib/xen/bin/libxl-save-helper usr/bin/xenstore-read usr/bin/xenstore-write"
# Tests that only some trees' tools build (master's own claims test):
# copied when they are there.
OPTIONAL_TOOLS="usr/lib/xen/tests/test-mem-claim"

# Debian's current 6.1 kernel image package, unpacked under $DL/kernel.
fetch_kernel() {
    local pkg deb
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
          awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    if [ -z "$pkg" ]; then
        apt_update_once
        pkg=$(apt-cache depends linux-image-amd64 |
              awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    fi
    [ -n "$pkg" ] || die "cannot find Debian's linux-image package"
    if [ ! -f "$DL/kernel/.unpacked-$pkg" ]; then
        rm -rf "$DL/kernel" && mkdir -p "$DL/kernel"
        (cd "$DL" && rm -f ./linux-image-*.deb &&
            apt-get download -q "$pkg" >"$BUILD/kernel-download.log" 2>&1) ||
            die "downloading $pkg failed; see $BUILD/kernel-download.log"
        deb=$(ls "$DL"/"$pkg"_*.deb)
        dpkg -x "$deb" "$DL/kernel"
        touch "$DL/kernel/.unpacked-$pkg"
    fi
    KVER=${pkg#linux-image-}
    log "kernel $KVER ($(ls "$DL"/"$pkg"_*.deb | sed 's/.*_\(.*\)_amd64.deb/\1/'))"
}

# copy_with_libs ROOT FILE DEST: FILE into ROOT/DEST and the shared
# libraries it needs (the built ones first) into ROOT/lib/x86_64-linux-gnu.
copy_with_libs() {
    local root=$1 file=$2 dest=$3 lib
    install -D -m 755 "$file" "$root/$dest"
    for lib in $(LD_LIBRARY_PATH=$INST/usr/lib ldd "$file" |
                 awk '$2 == "=>" && $3 ~ /^\// { print $3 }'); do
        [ -e "$root/lib/x86_64-linux-gnu/${lib##*/}" ] ||
            cp -L "$lib" "$root/lib/x86_64-linux-gnu/"
    done
}

# extract_vmlinux BZIMAGE: the ELF kernel inside BZIMAGE (Debian
# compresses it with xz) into build/dom0/vmlinux, as the kernel tree's
# scripts/extract-vmlinux does: decompress from the first xz header on
# (xz complains about the bytes after the stream; the ELF check below is
# what counts).
extract_vmlinux() {
    local at
    [ "$OUT/vmlinux" -nt "$1" ] && return 0
    at=$(LC_ALL=C grep -a -o -b -m1 -P '\xfd7zXZ\x00' "$1" | head -n 1 | cut -d: -f1)
    [ -n "$at" ] || die "no xz stream in $1"
    tail -c "+$((at + 1))" "$1" | xz -dcq >"$OUT/vmlinux.new" 2>/dev/null || true
    [ "$(head -c 4 "$OUT/vmlinux.new" | od -An -c | tr -d ' ')" = '177ELF' ] ||
        die "unpacking the kernel inside $OUT/vmlinuz did not give an ELF file"
    mv "$OUT/vmlinux.new" "$OUT/vmlinux"
}

build_progs() {
    bash "$TOP/scripts/progs.sh"
}

assemble() {
    local root=$OUT/root m t f
    rm -rf "$root"
    mkdir -p "$root"/{bin,sbin,etc/xen,lib/modules,lib64,lib/x86_64-linux-gnu,tests/bin,tests/scenarios,guest,proc,sys,dev}
    cp /bin/busybox "$root/bin/busybox"
    ln -s busybox "$root/bin/sh"
    mkdir -p "$root/var" && ln -s ../run "$root/var/run"
    for m in $KMODS; do
        f=$(find "$DL/kernel/lib/modules/$KVER" -name "$m.ko")
        [ -n "$f" ] || die "module $m not in the kernel package"
        cp "$f" "$root/lib/modules/"
    done
    for t in $TOOLS; do
        # The OCaml test comes with the tools patches.
        [ -x "$INST/$t" ] || ! tree_has_tools_part || die "$t was not built (run make build)"
        [ -x "$INST/$t" ] || continue
        copy_with_libs "$root" "$INST/$t" "$t"
    done
    for t in $OPTIONAL_TOOLS; do
        [ ! -x "$INST/$t" ] || copy_with_libs "$root" "$INST/$t" "$t"
    done
    for f in "$BUILD"/progs/*; do
        [ -x "$f" ] && copy_with_libs "$root" "$f" "tests/bin/${f##*/}"
    done
    # util-linux's flock(1), to hold libxl's placement lock in a test.
    copy_with_libs "$root" /usr/bin/flock tests/bin/flock
    cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
    # glibc dlopen()s libgcc_s for pthread_cancel; ldd does not show it.
    cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$root/lib/x86_64-linux-gnu/"
    cp "$TOP"/tests/scenarios/*.sh "$root/tests/scenarios/"
    cp "$TOP"/tests/scenarios/*.cfg "$root/tests/scenarios/" 2>/dev/null || true
    install -m 755 "$TOP/tests/dom0/init" "$root/init"
    printf 'autoballoon="off"\nclaim_mode=1\n' >"$root/etc/xen/xl.conf"
    cp "$OUT/vmlinuz" "$root/guest/vmlinuz"
    cp "$OUT/vmlinux" "$root/guest/vmlinux"
    # Domains built only to count their pages: a stub kernel will do.
    # xl-restore's domain runs just long enough to suspend itself.
    for g in pv-stub pv-suspend; do
        gcc -c -o "$OUT/$g.o" "$TOP/tests/guest/$g.S"
        ld -T "$TOP/tests/guest/pv-stub.lds" -o "$root/guest/$g" "$OUT/$g.o"
    done
    (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$OUT/initrd.gz.new"
    mv "$OUT/initrd.gz.new" "$OUT/initrd.gz"
    log "initrd $(du -h "$OUT/initrd.gz" | cut -f1)"
}

main() {
    bash "$TOP/scripts/deps.sh"
    mkdir -p "$OUT"
    fetch_kernel
    cp "$DL/kernel/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
    timed "vmlinux" extract_vmlinux "$DL/kernel/boot/vmlinuz-$KVER"
    timed "test programs" build_progs
    timed "initramfs" assemble
}

main "$@"
