#!/usr/bin/env bash
# make build: the hypervisor twice (debug for tests, release for benchmarks)
# and the tools (OCaml Xenctrl included) from build/xen.
#
# The hypervisor is built out of tree (O=) so both configurations share
# one source tree and each rebuilds only what changed. The tools build in
# the tree and install into build/xen/dist/install.
#   build.sh [hv-debug|hv-release|tools|configure]...   (default: the
#   first three; configure only runs the tools' ./configure)
. "$(dirname "$0")/lib.sh"

# build_hypervisor NAME DEBUG(y|n): build/NAME/xen, configured from
# defconfig with CONFIG_DEBUG set as asked. The debug build also has
# Flask with its default policy built in, but keeps the dummy XSM module
# as the default: boots select Flask with "xsm=flask flask=enforcing".
build_hypervisor() {
    local out=$BUILD/$1 debug=$2 want extra=()
    want="defconfig+DEBUG=$debug"
    if [ "$debug" = y ]; then
        extra=(CONFIG_XSM=y CONFIG_XSM_FLASK=y CONFIG_XSM_FLASK_POLICY=y
               CONFIG_XSM_DUMMY_DEFAULT=y)
        # What a series' base.conf adds (master: shadow paging, which its
        # defconfig leaves out and HVM/PVH guests need under TCG).
        # shellcheck disable=SC2206
        extra+=(${HV_DEBUG_CONFIG:-})
        want+="+${extra[*]}"
    fi
    mkdir -p "$out"
    if [ "$(cat "$out/.config-source" 2>/dev/null)" != "$want" ]; then
        make -s -C "$TREE/xen" O="$out" defconfig >"$out/build.log" 2>&1
        sed -i '/^CONFIG_DEBUG=\|^# CONFIG_DEBUG is not set/d' "$out/.config"
        if [ "$debug" = y ]; then
            echo 'CONFIG_DEBUG=y' >>"$out/.config"
        else
            echo '# CONFIG_DEBUG is not set' >>"$out/.config"
        fi
        printf '%s\n' "${extra[@]}" >>"$out/.config"
        make -s -C "$TREE/xen" O="$out" olddefconfig >>"$out/build.log" 2>&1
        echo "$want" >"$out/.config-source"
    fi
    if ! make -C "$TREE/xen" O="$out" -j"${JOBS:-2}" >>"$out/build.log" 2>&1; then
        grep -E 'error|Error' "$out/build.log" | head -n 20 >&2
        die "hypervisor build ($1) failed; see $out/build.log"
    fi
    if grep -qx 'CONFIG_DEBUG=y' "$out/.config"; then
        [ "$debug" = y ] || die "$1: CONFIG_DEBUG=y in a release build"
    else
        [ "$debug" = n ] || die "$1: CONFIG_DEBUG is not set in a debug build"
    fi
    for want in "${extra[@]}"; do
        grep -qx "$want" "$out/.config" || die "$1: $want did not stick"
    done
}

# Scanner and parser sources that Xen commits and the tools build makes
# again with the machine's flex and bison. Master's come from other
# versions than Debian's, so a build would leave them edited, and make
# tree refuses a tree with edits: they are put back as committed.
REGENERATED=(tools/libs/util/libxlu_cfg_l.c tools/libs/util/libxlu_cfg_l.h
             tools/libs/util/libxlu_cfg_y.c tools/libs/util/libxlu_cfg_y.h
             tools/libs/util/libxlu_disk_l.c tools/libs/util/libxlu_disk_l.h)

build_tools() {
    local log=$BUILD/tools-build.log f
    configure_tools
    if ! make -C "$TREE" -j"${JOBS:-2}" dist-tools PYTHON=/usr/bin/python3 >"$log" 2>&1; then
        grep -E 'error|Error' "$log" | head -n 20 >&2
        die "tools build failed; see $log"
    fi
    for f in "${REGENERATED[@]}"; do
        tgit diff --quiet -- "$f" 2>/dev/null || tgit checkout -q -- "$f"
    done
}

main() {
    local what
    [ $# -gt 0 ] || set -- hv-debug hv-release tools
    bash "$TOP/scripts/deps.sh"
    [ -d "$TREE/.git" ] || die "no tree: run make tree first"
    for what in "$@"; do
        case "$what" in
            hv-debug)   timed "hypervisor (debug)" build_hypervisor hv-debug y ;;
            hv-release) timed "hypervisor (release)" build_hypervisor hv-release n ;;
            tools)      timed "tools" build_tools ;;
            configure)  timed "tools configure" configure_tools ;;
            *) die "unknown build target $what" ;;
        esac
    done
}

main "$@"
