#!/usr/bin/env bash
# make docs-check: build the docs (scripts/docs.sh), then load every page
# of the series that has diagrams in headless Chromium, with no network,
# and fail unless mermaid.js drew each diagram as an SVG. A diagram with a
# syntax error is drawn too, as mermaid's error picture, so that fails as
# well. The overview page's diagram is also saved as a screenshot,
# build/docs/screenshot.png, for a person to look at. scripts/names-check.sh
# checks that the names the docs give exist in the tree.
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/docs
HTML=$OUT/html
SHOT_PAGE=designs/claims/overview.html
# Chromium runs the page's scripts on virtual time: enough for mermaid to
# load its bundle and lay out the diagrams, without a real wait.
BUDGET_MS=20000

# chromium ARGS...: headless, no network (every host name fails to
# resolve), a throw-away profile. As root Chromium needs --no-sandbox.
chromium_run() {
    local profile rc=0 sandbox=()
    [ "$(id -u)" -ne 0 ] || sandbox=(--no-sandbox)
    profile=$(mktemp -d)
    chromium --headless --disable-gpu --no-first-run "${sandbox[@]}" \
        --disable-background-networking --host-resolver-rules='MAP * ~NOTFOUND' \
        --user-data-dir="$profile" --virtual-time-budget=$BUDGET_MS \
        "$@" 2>>"$OUT/chromium.log" || rc=$?
    rm -rf "$profile"
    return "$rc"
}

# check_dom FILE: every element of class "mermaid" holds an <svg> that
# mermaid drew (it names the diagram type in aria-roledescription) and
# that is not its error picture. Prints the diagrams' types.
check_dom() {
    python3 - "$1" <<'EOF'
import sys
from html.parser import HTMLParser

class Diagrams(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []         # open tags: (tag, inside a diagram?)
        self.found = []         # one entry per diagram: its svg's type
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        inside = bool(self.stack) and self.stack[-1][1]
        if 'mermaid' in (attrs.get('class') or '').split():
            self.found.append(None)
            inside = True
        elif tag == 'svg' and inside and self.found[-1] is None:
            self.found[-1] = attrs.get('aria-roledescription', '')
        if tag not in ('br', 'img', 'meta', 'link', 'input', 'hr'):
            self.stack.append((tag, inside))
    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

p = Diagrams()
p.feed(open(sys.argv[1], encoding='utf-8').read())
bad = [t for t in p.found if not t or t == 'error']
print(' '.join(str(t) for t in p.found))
sys.exit(1 if not p.found or bad else 0)
EOF
}

# check_page PAGE: load PAGE (relative to the HTML output), check its DOM.
check_page() {
    local page=$1 dom types
    dom=$OUT/dom/${page//\//_}
    mkdir -p "$OUT/dom"
    chromium_run --dump-dom "file://$HTML/$page" >"$dom" ||
        die "chromium could not load $page; see ${OUT#"$TOP"/}/chromium.log"
    if types=$(check_dom "$dom"); then
        echo "PASS docs: $page: diagrams drawn ($types)"
    else
        echo "FAIL docs: $page: diagrams not drawn (found: ${types:-none}); DOM in ${dom#"$TOP"/}"
        return 1
    fi
}

# names_check [--self-test]: scripts/names-check.sh; its PASS and FAIL
# lines count as the docs' own.
names_check() {
    local out
    out=$(bash "$TOP/scripts/names-check.sh" "$@" || true)
    grep -E '^(PASS|FAIL) ' <<<"$out" || true
    passed=$((passed + $(grep -c '^PASS ' <<<"$out" || true)))
    failed=$((failed + $(grep -c '^FAIL ' <<<"$out" || true)))
}

main() {
    local page failed=0 passed=0
    bash "$TOP/scripts/docs.sh"
    # Every name the docs give is in the tree; a made-up one fails.
    timed "names in the docs" names_check
    timed "names check, self-test" names_check --self-test
    need_packages chromium fonts-dejavu-core
    : >"$OUT/chromium.log"
    # The series' pages that have diagrams.
    while read -r page; do
        if timed "chromium: ${page}" check_page "$page"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done < <(cd "$HTML" && grep -l 'class="mermaid' designs/claims/*.html guest-guide/*/*.html)
    [ $((passed + failed)) -gt 0 ] || die "no page with diagrams in ${HTML#"$TOP"/}"
    # The whole overview page, down to the end of the build's sequence
    # diagram. Not scrolled to the diagram's heading: headless Chromium
    # captures a blank window when the page scrolls to a fragment and the
    # diagram is drawn afterwards.
    rm -f "$OUT/screenshot.png"
    timed "chromium: screenshot" chromium_run --window-size=1100,3000 \
        --hide-scrollbars --screenshot="$OUT/screenshot.png" \
        "file://$HTML/$SHOT_PAGE" >/dev/null
    if [ -s "$OUT/screenshot.png" ]; then
        echo "PASS docs: screenshot ${OUT#"$TOP"/}/screenshot.png"
        passed=$((passed + 1))
    else
        echo "FAIL docs: no screenshot"
        failed=$((failed + 1))
    fi
    echo "docs: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

main "$@"
