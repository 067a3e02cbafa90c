#!/usr/bin/env bash
# make export: the tree's commits since the base -> patches/ and
# patches/series, and cover-letter.txt -> patches/0000-cover-letter.patch
# (not in patches/series: it holds no change). Patches whose content did
# not change are not rewritten.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

main() {
    local new=$WORK name kept=0 changed=0 added=0 removed=0
    [ -d "$TREE/.git" ] || die "no tree under build/ (make tree)"
    if [ -n "$(tree_dirty)" ]; then
        tree_dirty >&2
        die "build/xen has uncommitted edits: commit them (git -C build/xen commit) first"
    fi
    if ! series_hygiene >"$WORK/hygiene"; then
        sed 's/^/  /' "$WORK/hygiene" >&2
        die "the series is not fit to export (fix the commits in build/xen)"
    fi
    new=$WORK/new
    format_series "$new"
    (cd "$new" && ls -1 -- *.patch 2>/dev/null || true) >"$WORK/series"
    format_cover "$new"
    mkdir -p "$PATCHES"
    for name in "$new"/*.patch; do
        [ -e "$name" ] || continue
        if cmp -s "$name" "$PATCHES/${name##*/}"; then
            kept=$((kept + 1))
            continue
        fi
        [ -e "$PATCHES/${name##*/}" ] && changed=$((changed + 1)) || added=$((added + 1))
        cp "$name" "$PATCHES/"
    done
    for name in "$PATCHES"/*.patch; do
        [ -e "$name" ] || continue
        if [ ! -e "$new/${name##*/}" ]; then
            rm "$name"
            removed=$((removed + 1))
        fi
    done
    cp "$WORK/series" "$SERIES_LIST"
    tree_sums >"$SYNCED"
    log "patches/: $kept unchanged, $changed changed, $added new, $removed removed ($(wc -l <"$SERIES_LIST") in the series)"
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
main "$@"
