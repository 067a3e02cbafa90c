#!/usr/bin/env bash
# make docs: Xen's Sphinx documentation from build/xen/docs, with the
# claim sets design and the guest guide's claim pages, into
# build/docs/html.
#
# Warnings located in the pages the series adds or edits fail the build.
# Xen 4.17's own pages have warnings of their own (10 with Sphinx 5.3),
# which are counted but do not fail it, so -W cannot be used.
#
# Mermaid diagrams are drawn by mermaid.js in the reader's browser.
# sphinxcontrib-mermaid 0.7.1 (bookworm) would load it from a CDN, which
# these machines cannot reach: mermaid_version is set empty (no CDN
# script) and mermaid's prebuilt bundle, taken from the npm registry, is
# served from the HTML output's _static/ instead.
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/docs
HTML=$OUT/html
# mermaid's npm tarball; the sha256 pins it like base.conf pins the base.
MERMAID_VERSION=12.3.0
MERMAID_SHA256=be0684e8d20bfc874df12c0f04927a5c482f57f2200eec54cca52a4583fd4040
MERMAID_DIR=$OUT/mermaid-$MERMAID_VERSION
MERMAID_INIT="document.addEventListener('DOMContentLoaded', function () {
    mermaid.initialize({ startOnLoad: true });
});"
# The pages the series adds or edits, relative to docs/ (a trailing /
# means every page below it): warnings there are errors.
OWN_PAGES=(index.rst guest-guide/index.rst guest-guide/dom/ guest-guide/mem/
           designs/claims/)

# mermaid.min.js of MERMAID_VERSION into MERMAID_DIR. npm pack fetches the
# package's tarball alone: the bundle needs none of the ~100 packages an
# npm install would bring in.
fetch_mermaid() {
    local tgz=$DL/mermaid-$MERMAID_VERSION.tgz
    [ -f "$MERMAID_DIR/mermaid.min.js" ] && return 0
    command -v npm >/dev/null || need_packages npm
    mkdir -p "$DL"
    if [ ! -f "$tgz" ]; then
        (cd "$DL" && npm pack --silent "mermaid@$MERMAID_VERSION") \
            >"$OUT/npm.log" 2>&1 ||
            { tail -n 20 "$OUT/npm.log" >&2; die "npm pack mermaid@$MERMAID_VERSION failed"; }
    fi
    echo "$MERMAID_SHA256  $tgz" | sha256sum -c --quiet - ||
        { rm -f "$tgz"; die "mermaid-$MERMAID_VERSION.tgz: sha256 mismatch"; }
    rm -rf "$MERMAID_DIR.tmp" && mkdir -p "$MERMAID_DIR.tmp"
    tar -xzf "$tgz" -C "$MERMAID_DIR.tmp" --strip-components=2 \
        package/dist/mermaid.min.js
    rm -rf "$MERMAID_DIR" && mv "$MERMAID_DIR.tmp" "$MERMAID_DIR"
}

# Sphinx, HTML only. -E reads every page again, so that a warning in a
# page is reported on every run, not only when the page changed (a full
# build takes seconds). The doctrees live beside the output, so that
# nothing is written into build/xen. The -D settings make the diagrams
# offline: no CDN script, the local bundle in _static/ on every page, and
# the initialisation deferred to DOMContentLoaded, since Sphinx places
# html_js_files (priority 800) after the extension's inline script (500).
sphinx_html() {
    sphinx-build -b html -q -E -d "$OUT/doctrees" -w "$OUT/warnings.log" \
        -D mermaid_version= \
        -D html_static_path="$MERMAID_DIR" \
        -D html_js_files=mermaid.min.js \
        -D mermaid_init_js="$MERMAID_INIT" \
        "$TREE/docs" "$HTML" >"$OUT/sphinx.log" 2>&1 ||
        { tail -n 20 "$OUT/sphinx.log" >&2; die "sphinx-build failed; see ${OUT#"$TOP"/}/sphinx.log"; }
}

# Fail on any warning located in OWN_PAGES, and on warnings about the
# diagrams wherever they are; count the rest.
check_warnings() {
    local page own=() n_own n_all
    for page in "${OWN_PAGES[@]}"; do
        own+=(-e "^$TREE/docs/$page")
    done
    grep -E "${own[@]}" -e 'mermaid' "$OUT/warnings.log" >"$OUT/warnings-own.log" || true
    n_own=$(grep -c 'WARNING\|ERROR\|SEVERE' "$OUT/warnings-own.log" || true)
    n_all=$(grep -c 'WARNING\|ERROR\|SEVERE' "$OUT/warnings.log" || true)
    log "sphinx warnings: $n_own in the series' pages, $((n_all - n_own)) in Xen's own pages"
    if [ "$n_own" -ne 0 ]; then
        cat "$OUT/warnings-own.log" >&2
        die "warnings in the series' documentation"
    fi
}

main() {
    [ -f "$TREE/docs/conf.py" ] || die "no build/xen/docs/conf.py (make tree)"
    mkdir -p "$OUT"
    need_packages python3-sphinx python3-sphinx-rtd-theme \
        python3-sphinxcontrib-mermaid
    timed "mermaid $MERMAID_VERSION" fetch_mermaid
    timed "sphinx-build into ${HTML#"$TOP"/}" sphinx_html
    check_warnings
    # The diagrams must not depend on anything outside the output.
    if grep -rlE '<script[^>]+src="(https?:)?//' "$HTML" --include='*.html' >"$OUT/remote.log"; then
        die "pages load scripts from the network: $(head -n 3 "$OUT/remote.log" | tr '\n' ' ')"
    fi
    log "docs: ${HTML#"$TOP"/}/index.html"
}

main "$@"
