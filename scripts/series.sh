# shellcheck shell=bash
# The link between the tree under build/ and patches/: both directions
# go through format_series so that a patch file and the commit it came
# from compare byte for byte.

SERIES_LIST=$PATCHES/series
SYNCED=$BUILD/xen.synced     # "sha256 name" of the patches the tree last matched

# format_series DIR: write the tree's commits since the base to DIR the way
# patches/ holds them. --zero-commit, -N and --no-signature drop what would
# change in every patch when a single one changes (commit ids, "n/m", the
# git version), so unchanged patches stay byte-identical.
format_series() {
    local dir=$1
    mkdir -p "$dir"
    tgit format-patch -q --zero-commit -N --no-signature --no-stat \
        -o "$dir" base..HEAD >/dev/null
}

# series_sums DIR [LIST]: "sha256 name" of each patch, in series order.
# LIST defaults to DIR/series; without one, all *.patch files sorted.
series_sums() {
    local dir=$1 list=${2:-$1/series} name
    if [ -f "$list" ]; then
        while read -r name; do
            case "$name" in ''|'#'*) continue ;; esac
            printf '%s %s\n' "$(sha256sum <"$dir/$name" | cut -d' ' -f1)" "$name"
        done <"$list"
    else
        for name in "$dir"/*.patch; do
            [ -e "$name" ] || continue
            printf '%s %s\n' "$(sha256sum <"$name" | cut -d' ' -f1)" "${name##*/}"
        done
    fi
}

# tree_sums: "sha256 name" of the tree's commits as they would be exported.
tree_sums() {
    local tmp
    tmp=$(mktemp -d)
    format_series "$tmp"
    series_sums "$tmp" /dev/null/none
    rm -rf "$tmp"
}

# tree_dirty: the tracked files of the tree that differ from HEAD.
tree_dirty() {
    tgit status --porcelain --untracked-files=no
}

# series_hygiene: print one line for each thing in the tree's commits that
# a maintainer could not apply as it is: a binary file, a file the tree's
# .gitignore ignores (a build product), a commit not authored or not
# signed off by the project identity of base.conf. Returns 1 if any.
series_hygiene() {
    local commit subject file bad=0 signoff
    signoff="Signed-off-by: $BASE_COMMIT_NAME <$BASE_COMMIT_EMAIL>"
    for commit in $(tgit rev-list --reverse base..HEAD); do
        subject=$(tgit log -1 --format=%s "$commit")
        if [ "$(tgit log -1 --format='%an <%ae>' "$commit")" != \
             "$BASE_COMMIT_NAME <$BASE_COMMIT_EMAIL>" ]; then
            echo "$subject: author is not the project identity"
            bad=1
        fi
        if ! tgit log -1 --format=%B "$commit" | grep -qxF "$signoff"; then
            echo "$subject: no '$signoff'"
            bad=1
        fi
        # numstat shows "-<TAB>-" for a binary file.
        while IFS=$'\t' read -r _ _ file; do
            echo "$subject: binary file $file"
            bad=1
        done < <(tgit diff --numstat "$commit^" "$commit" | grep -P '^-\t-\t' || true)
        while read -r file; do
            echo "$subject: adds $file, which .gitignore ignores (a generated file)"
            bad=1
        done < <(tgit diff --name-only --diff-filter=A "$commit^" "$commit" |
                 tgit check-ignore --no-index --stdin || true)
    done
    return "$bad"
}

# series_style: one line per added line that breaks the tree's style, as
# "subject: file:line: what". Added lines only: the base is as it is.
#   - trailing white space, anywhere;
#   - longer than 80 columns, in C sources and headers, unless the line
#     is a string literal (CODING_STYLE: printk() messages stay whole);
#   - a tab, in C sources and headers of xen/ (Xen indents with spaces);
#   - `if (x)` instead of `if ( x )` (also for, while, switch), in C of
#     xen/, where CODING_STYLE asks for spaces inside the parentheses.
# Returns 1 if any.
series_style() {
    local commit subject bad=0
    for commit in $(tgit rev-list --reverse base..HEAD); do
        subject=$(tgit log -1 --format=%s "$commit")
        tgit diff -U0 --no-color "$commit^" "$commit" | awk -v subject="$subject" '
            /^\+\+\+ / { file = substr($0, 7); next }
            /^@@ / { split($3, a, /[+,]/); line = a[2]; next }
            /^\+/ {
                text = substr($0, 2)
                c = (file ~ /\.[ch]$/)
                hv = c && file ~ /^xen\//
                if (text ~ /[ \t]+$/)
                    printf "%s: %s:%d: trailing white space\n", subject, file, line
                # CODING_STYLE keeps user-visible strings whole, for grep.
                if (c && length(text) > 80 && text !~ /^[ \t]*"/)
                    printf "%s: %s:%d: %d columns\n", subject, file, line, length(text)
                if (hv && text ~ /\t/)
                    printf "%s: %s:%d: tab\n", subject, file, line
                if (hv && text ~ /(^|[^a-z_0-9])(if|for|while|switch) ?\([^ ]/ && text !~ /^ *(\*|\/\*|\/\/)/)
                    printf "%s: %s:%d: no spaces inside ( ): %s\n", subject, file, line, text
                line++
            }'
    done >"$BUILD/style.log"
    cat "$BUILD/style.log"
    [ -s "$BUILD/style.log" ] && bad=1
    return "$bad"
}

# format_cover DIR: DIR/0000-cover-letter.patch from cover-letter.txt,
# whose first line is the subject and whose @SHORTLOG@ and @DIFFSTAT@
# lines become the numbered patch list and the series' diffstat. Signed
# off by the project identity like every file of patches/; make post
# writes the mailed form, whose cover letter carries none. The date is
# the newest commit's, so an unchanged series gives the same file.
# cover_body: cover-letter.txt after its subject line (and the blank
# line that follows it), as format_cover and make post use it.
cover_body() {
    tail -n +2 "$COVER" | sed '1{/^$/d}'
}

format_cover() {
    local dir=$1 text=$COVER total date
    [ -f "$text" ] || return 0
    total=$(tgit rev-list --count base..HEAD)
    date=$(tgit log -1 --format=%aD HEAD)
    {
        echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
        echo "From: $BASE_COMMIT_NAME <$BASE_COMMIT_EMAIL>"
        echo "Date: $date"
        printf 'Subject: [PATCH %s/%s] %s\n\n' "$(printf '%0*d' ${#total} 0)" "$total" \
            "$(head -n 1 "$text")"
        cover_body | while IFS= read -r line; do
            case "$line" in
                @SHORTLOG@)
                    tgit log --reverse --format=%s base..HEAD |
                        awk -v w=${#total} '{ printf "  %0*d/%d %s\n", w, NR, n, $0 }' n="$total" ;;
                @DIFFSTAT@)
                    tgit diff --stat=72 base HEAD | sed 's/^/ /' ;;
                *) printf '%s\n' "$line" ;;
            esac
        done
        printf '\nSigned-off-by: %s <%s>\n' "$BASE_COMMIT_NAME" "$BASE_COMMIT_EMAIL"
    } >"$dir/0000-cover-letter.patch"
}

# commit_part COMMIT: the part of the series a commit belongs to, by the
# files it touches: 1 the hypervisor (xen/ only), 2 the claims harness
# (tools/tests/ only), 3 the tools (anything under tools/, with the man
# pages and examples that go with it), 4 the docs (docs/, MAINTAINERS and
# CHANGELOG.md only); 0 for a commit that fits none (it mixes parts).
commit_part() {
    local files
    files=$(tgit diff --name-only "$1^" "$1")
    if ! grep -qv '^xen/' <<<"$files"; then
        echo 1
    elif ! grep -qv '^tools/tests/' <<<"$files"; then
        echo 2
    elif grep -q '^tools/' <<<"$files" && ! grep -q '^xen/' <<<"$files"; then
        echo 3
    elif ! grep -qvE '^(docs/|MAINTAINERS$|CHANGELOG\.md$)' <<<"$files"; then
        echo 4
    else
        echo 0
    fi
}

PART_NAMES=("mixed" "hypervisor" "claims harness" "tools" "docs")

# series_order: one line for each commit out of the order a reviewer
# reads the series in: the hypervisor (its standalone fixes first), the
# claims harness, the tools, the docs; and for each commit that mixes
# parts. Returns 1 if any.
series_order() {
    local commit part last=1 bad=0 subject
    for commit in $(tgit rev-list --reverse base..HEAD); do
        part=$(commit_part "$commit")
        subject=$(tgit log -1 --format=%s "$commit")
        if [ "$part" = 0 ]; then
            echo "$subject: touches more than one part (hypervisor, harness, tools, docs)"
            bad=1
        elif [ "$part" -lt "$last" ]; then
            echo "$subject: a ${PART_NAMES[$part]} patch after the ${PART_NAMES[$last]} patches"
            bad=1
        else
            last=$part
        fi
    done
    return "$bad"
}

# hypervisor_part_end: the number of commits (from the base) that make the
# hypervisor part of the series with its harness.
hypervisor_part_end() {
    local commit n=0 end=0
    for commit in $(tgit rev-list --reverse base..HEAD); do
        n=$((n + 1))
        case "$(commit_part "$commit")" in 1|2) end=$n ;; *) break ;; esac
    done
    echo "$end"
}
