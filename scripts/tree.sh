#!/usr/bin/env bash
# make tree: bring build/xen to "pinned base + patches/series"
# (SERIES=master: build/master/xen, master/patches/series).
#
# The first run unpacks the base (downloading it if needed) into a git
# repository with one base commit, tagged "base". Later runs keep the
# commits that still match the series and apply only the rest, so files
# of unchanged patches keep their timestamps and the build stays warm.
# Work in the tree that patches/ does not hold is never thrown away
# unless FORCE=1.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

# Download the source package and check it against base.conf.
fetch_base() {
    local sum name
    mkdir -p "$DL"
    while read -r sum name; do
        [ -n "$sum" ] || continue
        if [ ! -f "$DL/$name" ] || ! echo "$sum  $DL/$name" | sha256sum -c --quiet - 2>/dev/null; then
            bash "$TOP/scripts/deps.sh" src
            (cd "$DL" && apt-get source -q --download-only \
                "$BASE_PACKAGE=$BASE_VERSION" >"$BUILD/apt-source.log" 2>&1) ||
                { tail -n 20 "$BUILD/apt-source.log" >&2; die "apt-get source failed"; }
            break
        fi
    done <<<"$BASE_FILES"
    while read -r sum name; do
        [ -n "$sum" ] || continue
        echo "$sum  $DL/$name" | sha256sum -c --quiet - ||
            die "$name does not match the sha256 pinned in base.conf"
    done <<<"$BASE_FILES"
}

# Unpack the base without Debian's patches, drop debian/, commit it.
make_base_tree() {
    local dsc tmp
    dsc=$(awk '$2 ~ /\.dsc$/ { print $2 }' <<<"$BASE_FILES")
    tmp=$BUILD/xen.unpack
    rm -rf "$tmp"
    dpkg-source -q -x --skip-patches "$DL/$dsc" "$tmp" >/dev/null 2>&1 ||
        die "dpkg-source could not unpack $dsc"
    rm -rf "$tmp/debian"
    # dpkg-source leaves a link to the orig tarball beside the tree.
    rm -f "$BUILD"/*.orig.tar.*
    git -C "$tmp" init -q -b main
    git -C "$tmp" add -A -f
    GIT_AUTHOR_DATE=$BASE_COMMIT_DATE GIT_COMMITTER_DATE=$BASE_COMMIT_DATE \
        git -C "$tmp" -c user.name="$BASE_COMMIT_NAME" \
        -c user.email="$BASE_COMMIT_EMAIL" \
        commit -q -m "Xen $BASE_VERSION (Debian source package, without Debian's patches)"
    git -C "$tmp" tag base
    mv "$tmp" "$TREE"
    : >"$SYNCED"
    log "base commit $(tgit rev-parse --short base)"
}

# A series whose base.conf pins a commit of upstream Xen (BASE_GIT_COMMIT)
# takes its base from a clone the caller names, XEN_GIT: nothing is
# downloaded. The tree shares the clone's objects (git clone --shared),
# so that clone must stay where it is.
need_xen_git() {
    [ -n "${XEN_GIT:-}" ] ||
        die "XEN_GIT is not set: name a clone of xen.git that holds $BASE_GIT_COMMIT"
    git -C "$XEN_GIT" rev-parse --git-dir >/dev/null 2>&1 ||
        die "XEN_GIT=$XEN_GIT is not a git repository"
    git -C "$XEN_GIT" cat-file -e "$BASE_GIT_COMMIT^{commit}" 2>/dev/null ||
        die "XEN_GIT=$XEN_GIT does not hold the pinned commit $BASE_GIT_COMMIT ($BASE_GIT_DATE)"
}

clone_base_tree() {
    local tmp=$BUILD/xen.clone
    need_xen_git
    mkdir -p "$BUILD"
    rm -rf "$tmp"
    git clone -q --shared --no-checkout "$XEN_GIT" "$tmp" ||
        die "git clone of $XEN_GIT failed"
    git -C "$tmp" checkout -q -b main "$BASE_GIT_COMMIT"
    git -C "$tmp" tag base
    mv "$tmp" "$TREE"
    : >"$SYNCED"
    log "base commit $(tgit rev-parse --short base) ($BASE_GIT_DATE), from $XEN_GIT"
}

# Number of leading lines two files have in common.
common_prefix() {
    local n=0 a b
    while true; do
        IFS= read -r a <&3 || break
        IFS= read -r b <&4 || break
        [ "$a" = "$b" ] || break
        n=$((n + 1))
    done 3<"$1" 4<"$2"
    echo "$n"
}

# Apply patches from position FIRST (1-based) of the series with git am.
apply_from() {
    local first=$1 i=0 name applied=()
    while read -r name; do
        case "$name" in ''|'#'*) continue ;; esac
        i=$((i + 1))
        [ "$i" -ge "$first" ] || continue
        [ -f "$PATCHES/$name" ] || die "patches/series names $name, which does not exist"
        if ! tgit am -q --keep-cr "$PATCHES/$name" >"$BUILD/am.log" 2>&1; then
            tgit am --abort >/dev/null 2>&1 || true
            record_sync
            printf 'error: patch %s does not apply to the tree.\n' "$name" >&2
            grep -E '^(error|warning): ' "$BUILD/am.log" | sed 's/^/  /' >&2 || true
            printf 'The tree stays at the patch before it (%s).\n' \
                "$(tgit log -1 --format=%s)" >&2
            printf 'To resolve: cd build/xen && git am -3 ../../patches/%s, fix, git am --continue,\n' "$name" >&2
            printf 'then apply the rest of the series or run make export.\n' >&2
            exit 1
        fi
        applied+=("$name")
    done <"$SERIES_LIST"
    log "applied ${#applied[@]} patch(es)"
    record_sync
}

# Remember which patches the tree matches now (those applied so far).
record_sync() {
    tree_sums >"$SYNCED"
}

main() {
    local want=$WORK/want have=$WORK/have keep total target
    [ -f "$SERIES_LIST" ] || die "patches/series is missing"
    if [ ! -d "$TREE/.git" ] && [ -n "${BASE_GIT_COMMIT:-}" ]; then
        clone_base_tree
    elif [ ! -d "$TREE/.git" ]; then
        fetch_base
        make_base_tree
    fi
    if [ -n "${BASE_GIT_COMMIT:-}" ] &&
       [ "$(tgit rev-parse 'base^{commit}')" != "$BASE_GIT_COMMIT" ]; then
        die "${TREE#"$TOP"/} is based on $(tgit rev-parse --short base), not the pinned $BASE_GIT_COMMIT: remove it and run make tree again"
    fi
    # Build outputs that Xen's own .gitignore misses, so that export-check
    # can treat any other untracked file as work not yet committed.
    printf '%s\n' '*.egg-info/' >"$TREE/.git/info/exclude"
    # Commits made by hand in the tree carry the project identity too.
    git -C "$TREE" config user.name "$BASE_COMMIT_NAME"
    git -C "$TREE" config user.email "$BASE_COMMIT_EMAIL"
    series_sums "$PATCHES" >"$want"
    tree_sums >"$have"
    if [ "${FORCE:-0}" != 1 ]; then
        if [ -n "$(tree_dirty)" ]; then
            die "build/xen has uncommitted edits; commit and run 'make export' (or FORCE=1 make tree to drop them)"
        fi
        if ! cmp -s "$have" "${SYNCED}"; then
            die "build/xen has commits that patches/ does not; run 'make export' (or FORCE=1 make tree to drop them)"
        fi
    fi
    keep=$(common_prefix "$have" "$want")
    total=$(wc -l <"$want")
    if [ "$keep" -eq "$(wc -l <"$have")" ] && [ "$keep" -eq "$total" ]; then
        log "tree is up to date: base + $total patch(es)"
        return 0
    fi
    log "keeping $keep commit(s), applying $((total - keep)) of $total"
    # One reset straight to the last kept commit: files that only kept
    # patches touch are not rewritten.
    target=base
    if [ "$keep" -gt 0 ]; then
        target=$(tgit rev-list --reverse base..HEAD | sed -n "${keep}p")
    fi
    tgit reset -q --hard "$target"
    apply_from $((keep + 1))
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
main "$@"
