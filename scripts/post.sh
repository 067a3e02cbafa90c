#!/usr/bin/env bash
# make post [SERIES=master] [POST_VERSION=N]: the series as it would be
# mailed to xen-devel, written to $BUILD/post/ and not sent. patches/
# keeps the byte-stable form (no numbers, no diffstat) so that an
# unchanged patch stays unchanged in git; this is the form a maintainer
# reads and applies:
#   - numbered "[PATCH vN nn/NN]" subjects, each with its diffstat;
#   - "RFC PATCH" for the 4.17 queue, which is posted for design review
#     only (a feature never goes to a stable branch);
#   - the cover letter's subject and text from cover-letter.txt, git's
#     shortlog and diffstat after it, and no Signed-off-by;
#   - To: xen-devel, Cc: what the tree's scripts/get_maintainer.pl names
#     for each patch (the cover letter Cc's them all);
#   - a base-commit trailer in the cover letter when the base is an
#     upstream commit (master);
#     the 4.17 queue's base is Debian's source package, which the cover
#     letter names instead.
# Fails if a file lacks any of these.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

LIST=xen-devel@lists.xenproject.org
V=${POST_VERSION:-1}
OUT=$BUILD/post

# cover_text: cover-letter.txt's body for git's cover letter: its
# @SHORTLOG@ and @DIFFSTAT@ lines dropped, as git writes both itself.
cover_text() {
    cover_body | grep -v -x -e '@SHORTLOG@' -e '@DIFFSTAT@'
}

# fill_cover FILE: put cover-letter.txt's subject and text in place of
# git's placeholders.
fill_cover() {
    python3 - "$1" "$(head -n 1 "$COVER")" "$(cover_text)" <<'EOF'
import sys
path, subject, body = sys.argv[1:4]
text = open(path).read()
for mark in ("*** SUBJECT HERE ***", "*** BLURB HERE ***"):
    if text.count(mark) != 1:
        sys.exit(f"post: {path}: git's cover letter has no single '{mark}'")
text = text.replace("*** SUBJECT HERE ***", subject)
text = text.replace("*** BLURB HERE ***", body.rstrip("\n"))
open(path, "w").write(text)
EOF
}

# add_cc FILE ADDRESS...: Cc: lines after the patch's To: line.
add_cc() {
    local file=$1
    shift
    [ $# -gt 0 ] || return 0
    python3 - "$file" "$@" <<'EOF'
import sys
path, cc = sys.argv[1], sys.argv[2:]
lines = open(path).read().split("\n")
at = next(i for i, l in enumerate(lines) if l.startswith("To: ")) + 1
lines[at:at] = ["Cc: " + a for a in cc]
open(path, "w").write("\n".join(lines))
EOF
}

# maintainers FILE: the people get_maintainer.pl names for a patch, one
# a line, the list itself left out (it is the To:).
maintainers() {
    (cd "$TREE" && perl scripts/get_maintainer.pl --no-roles --no-rolestats \
        --no-git --no-git-fallback "$1" 2>/dev/null) | grep -v -F "$LIST" || true
}

# check_post: every file has what the header says, or post fails.
check_post() {
    local f total n=0 bad=0
    total=$(tgit rev-list --count base..HEAD)
    for f in "$OUT"/*.patch; do
        n=$((n + 1))
        grep -q "^Subject: \[$PREFIX v$V [0-9]*/$total\]" "$f" ||
            { echo "post: $(basename "$f"): no numbered [$PREFIX v$V nn/$total] subject"; bad=1; }
        grep -q "^To: $LIST" "$f" || { echo "post: $(basename "$f"): no To: $LIST"; bad=1; }
        grep -q -E '^ [0-9]+ files? changed' "$f" ||
            { echo "post: $(basename "$f"): no diffstat"; bad=1; }
    done
    f=$(ls "$OUT"/*0000-cover-letter.patch)
    if [ -n "${BASE_GIT_COMMIT:-}" ]; then
        grep -q "^base-commit: $BASE_GIT_COMMIT" "$f" ||
            { echo "post: the cover letter has no base-commit $BASE_GIT_COMMIT"; bad=1; }
    fi
    ! grep -q -e '\*\*\* SUBJECT HERE' -e '\*\*\* BLURB HERE' -e '^Signed-off-by:' "$f" ||
        { echo "post: the cover letter keeps a placeholder or a Signed-off-by"; bad=1; }
    [ "$n" -eq $((total + 1)) ] ||
        { echo "post: $n files for $total patches and a cover letter"; bad=1; }
    return "$bad"
}

main() {
    local base_opt=() f cc all=()
    [ -d "$TREE/.git" ] || die "no ${TREE#"$TOP"/} (make tree${SERIES:+ SERIES=$SERIES})"
    [ -z "$(tree_dirty)" ] || die "${TREE#"$TOP"/} has uncommitted changes"
    if [ -n "${BASE_GIT_COMMIT:-}" ]; then
        PREFIX=PATCH
        base_opt=(--base="$BASE_GIT_COMMIT")
    else
        PREFIX="RFC PATCH"
    fi
    rm -rf "$OUT"
    mkdir -p "$OUT"
    tgit -c core.abbrev=12 format-patch -q -o "$OUT" -v"$V" --numbered \
        --cover-letter --subject-prefix="$PREFIX" --to="$LIST" \
        "${base_opt[@]}" base..HEAD ||
        die "git format-patch failed"
    fill_cover "$(ls "$OUT"/*0000-cover-letter.patch)"
    for f in "$OUT"/*.patch; do
        case "$f" in *0000-cover-letter.patch) continue ;; esac
        mapfile -t cc < <(maintainers "$f")
        add_cc "$f" "${cc[@]}"
        all+=("${cc[@]}")
    done
    mapfile -t all < <(printf '%s\n' "${all[@]}" | sed '/^$/d' | sort -u)
    add_cc "$(ls "$OUT"/*0000-cover-letter.patch)" "${all[@]}"
    check_post || die "the posting in ${OUT#"$TOP"/} is incomplete"
    log "post: $(ls "$OUT" | wc -l) files in ${OUT#"$TOP"/} ([$PREFIX v$V], To: $LIST, ${#all[@]} Cc), not sent"
}

main "$@"
