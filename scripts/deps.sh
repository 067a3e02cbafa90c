#!/usr/bin/env bash
# Install the Debian packages that building, booting and testing need.
# A no-op when they are all present. With "src", also make sure apt can
# fetch source packages (the base of the series is one).
. "$(dirname "$0")/lib.sh"

# What Xen 4.17's tools need (Debian's Build-Depends for xen, less what
# only Debian's packaging, the firmware or the docs use), then the test bed.
BUILD_PACKAGES=(
    build-essential git bison flex pkg-config file dpkg-dev gcc-multilib
    python3-dev acpica-tools uuid-dev zlib1g-dev liblzma-dev libzstd-dev libbz2-dev
    libaio-dev libglib2.0-dev libncurses-dev libpixman-1-dev libyajl-dev
    libext2fs-dev ocaml ocaml-findlib checkpolicy
)
TESTBED_PACKAGES=(qemu-system-x86 busybox-static cpio xz-utils)
# The claims unit harness's fuzzer (libFuzzer) and the benchmark.
TEST_PACKAGES=(clang libclang-rt-14-dev valgrind)

# Add deb-src entries mirroring the machine's own deb entries (same URIs
# and suites), so no archive host name lives in this repository.
ensure_deb_src() {
    local list=/etc/apt/sources.list.d/xen-claims-src.sources f
    [ -e "$list" ] && return 0
    if apt-cache showsrc "$BASE_PACKAGE" 2>/dev/null | grep -q "^Version: $BASE_VERSION\$"; then
        return 0
    fi
    log "adding deb-src entries derived from the machine's apt sources"
    {
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -e "$f" ] || continue
            awk 'BEGIN { RS = ""; ORS = "\n\n" }
                 /(^|\n)Types:[^\n]*deb([ \n]|$)/ {
                     sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f"
        done
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -e "$f" ] || continue
            awk '$1 == "deb" { $1 = ""; printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:", $2, $3;
                               for (i = 4; i <= NF; i++) printf " %s", $i; printf "\n\n" }' "$f"
        done
    } >"$list"
    [ -s "$list" ] || { rm -f "$list"; die "no deb entries found to derive deb-src from"; }
    APT_UPDATED=
    apt_update_once
}

main() {
    mkdir -p "$BUILD"
    need_packages "${BUILD_PACKAGES[@]}" "${TESTBED_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    if [ "${1:-}" = src ]; then
        ensure_deb_src
    fi
}

main "$@"
