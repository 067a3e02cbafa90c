# shellcheck shell=bash
# Shared by every script: paths, logging, timing, package installation.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# SERIES chooses the series: empty for the 4.17 queue (base.conf,
# patches/, cover-letter.txt, built under build/), or the name of a
# folder holding a second one (e.g. master/: its own base.conf, patches/
# and cover-letter.txt, built under build/NAME/). The top base.conf
# holds the project identity that every series shares; a series'
# base.conf adds or overrides the base.
SERIES=${SERIES:-}
if [ -n "$SERIES" ]; then
    SERIES_DIR=$TOP/$SERIES
    [ -f "$SERIES_DIR/base.conf" ] ||
        { printf 'error: SERIES=%s: no %s/base.conf\n' "$SERIES" "$SERIES" >&2; exit 1; }
    BUILD=${BUILD:-$TOP/build/$SERIES}
    DL=${DL:-$TOP/build/dl}  # the kernel download is the same for all
else
    SERIES_DIR=$TOP
    BUILD=${BUILD:-$TOP/build}
    DL=${DL:-$BUILD/dl}      # downloads (source package, kernel)
fi
export SERIES
TREE=$BUILD/xen              # git tree: base commit + series
PATCHES=${PATCHES:-$SERIES_DIR/patches}
COVER=$SERIES_DIR/cover-letter.txt
# shellcheck source=../base.conf
. "$TOP/base.conf"
if [ "$SERIES_DIR" != "$TOP" ]; then
    # shellcheck disable=SC1091
    . "$SERIES_DIR/base.conf"
fi

# What the tools need beyond a PV dom0 in a test bed is left out: stub
# domains, the PV shim (a second hypervisor build), SeaBIOS, the docs, Go
# bindings and xentop. PYTHON is Debian's: pyenv's may come first in PATH.
TOOLS_CONFIGURE=(
    --prefix=/usr --disable-stubdom --disable-pvshim --disable-seabios
    --disable-docs --disable-golang --disable-monitors
    --with-system-qemu=/usr/bin/qemu-system-i386 --with-xenstored=xenstored
    PYTHON=/usr/bin/python3
)

# configure_tools [DIR]: ./configure the tools of DIR (build/xen) once;
# the tools build and the claims harness (whose Makefile uses
# tools/Rules.mk) need it.
configure_tools() {
    local dir=${1:-$TREE}
    [ -f "$dir/config/Tools.mk" ] && return 0
    (cd "$dir" && ./configure "${TOOLS_CONFIGURE[@]}") >"$BUILD/tools-configure.log" 2>&1 ||
        die "tools configure of ${dir#"$TOP"/} failed; see $BUILD/tools-configure.log"
}

# tree_has_tools_part [DIR]: whether DIR's (build/xen's) built tools
# carry the series' tools patches, or only the hypervisor part's
# headers with 4.17's own libraries (make series-check builds such a
# tree: see scripts/series-check.sh).
tree_has_tools_part() {
    grep -q 'xc_domain_claim_memory' "${1:-$TREE}/dist/install/usr/include/xenctrl.h"
}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# check_number NAME VALUE LOW HIGH: VALUE must be a whole number in [LOW,
# HIGH]; otherwise say so and stop before anything runs.
check_number() {
    [[ "$2" =~ ^[0-9]{1,9}$ ]] && [ "$((10#$2))" -ge "$3" ] &&
        [ "$((10#$2))" -le "$4" ] ||
        die "$1 must be a whole number from $3 to $4, not '$2'"
}

# usage_from_header: the calling script's "#   " and "#     " header
# lines (its usage), on stderr; exit 2.
usage_from_header() {
    sed -n 's/^#   //p; s/^#     /  /p' "$0" >&2
    exit 2
}

# build_option NAME ARGS...: the options of a script whose only option
# is --no-build (and --help). Sets BUILD_FIRST to 0 with --no-build, else
# 1; any other option stops the script with its usage.
build_option() {
    local name=$1
    shift
    BUILD_FIRST=1
    while [ $# -gt 0 ]; do
        case "$1" in
            --no-build) BUILD_FIRST=0; shift ;;
            -h|--help) usage_from_header ;;
            *) echo "$name: unknown option '$1'" >&2; usage_from_header ;;
        esac
    done
}

# timed NAME CMD...: run CMD, then say how long NAME took.
timed() {
    local name=$1 start rc=0
    shift
    start=$(date +%s)
    log "$name ..."
    "$@" || rc=$?
    log "$name: $([ "$rc" -eq 0 ] && echo done || echo "FAILED ($rc)") in $(( $(date +%s) - start )) s"
    return "$rc"
}

# need_packages PKG...: apt-get install the ones that are missing.
need_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >"$BUILD/apt.log" 2>&1 ||
        { tail -n 20 "$BUILD/apt.log" >&2; die "apt-get install failed"; }
}

APT_UPDATED=
apt_update_once() {
    [ -n "$APT_UPDATED" ] && return 0
    mkdir -p "$BUILD"
    apt-get update -q >"$BUILD/apt-update.log" 2>&1 ||
        { tail -n 20 "$BUILD/apt-update.log" >&2; die "apt-get update failed"; }
    APT_UPDATED=1
}

# git in the tree, with the project identity so commits made by the
# scripts (base, git am) never depend on the machine's git config.
tgit() {
    git -C "$TREE" -c user.name="$BASE_COMMIT_NAME" \
        -c user.email="$BASE_COMMIT_EMAIL" "$@"
}

# build_for_boot: what a QEMU boot needs, built or brought up to date:
# the tree, the debug hypervisor, the tools and dom0's initramfs.
build_for_boot() {
    timed "tree" bash "$TOP/scripts/tree.sh" &&
        timed "build" bash "$TOP/scripts/build.sh" hv-debug tools &&
        timed "dom0 initramfs" bash "$TOP/scripts/initramfs.sh" ||
        die "the build failed (see above): nothing was booted"
}

# need_built HINT: stop with HINT unless what a boot needs is there.
need_built() {
    local f
    for f in hv-debug/xen dom0/vmlinuz dom0/initrd.gz; do
        [ -f "$BUILD/$f" ] || die "build/$f is missing: $1"
    done
}

# boot_with_progress BOOT: scripts/qemu-run.sh BOOT (settings from the
# environment), printing the boot's phases as dom0 reaches them (its
# SERVICES-UP, BEGIN and PHASE lines) and a line every 20 s in between,
# so that a long boot is never silent. Returns qemu-run.sh's status.
boot_with_progress() {
    local boot=$1 log=$BUILD/qemu/$1.log start pid seen=0 lines quiet=0 rc=0
    local phases l
    mkdir -p "$BUILD/qemu"
    rm -f "$log"
    start=$(date +%s)
    bash "$TOP/scripts/qemu-run.sh" "$boot" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 2
        quiet=$((quiet + 2))
        lines=0
        [ ! -f "$log" ] || lines=$(grep -a -c '' "$log" || true)
        if [ "$lines" -gt "$seen" ]; then
            phases=$(sed -n "$((seen + 1)),${lines}p" "$log" | tr -d '\r' |
                sed -n 's/^CLAIMTEST: SERVICES-UP.*/dom0 is up/p;
                        s/^CLAIMTEST: BEGIN \(.*\)/scenario \1/p;
                        s/^CLAIMTEST: PHASE //p')
            seen=$lines
            while IFS= read -r l; do
                [ -n "$l" ] || continue
                log "+$(( $(date +%s) - start ))s $l"
                quiet=0
            done <<<"$phases"
        fi
        if [ "$quiet" -ge 20 ]; then
            log "+$(( $(date +%s) - start ))s boot $boot still running"
            quiet=0
        fi
    done
    wait "$pid" || rc=$?
    return "$rc"
}
