#!/usr/bin/env bash
# make cppcheck: no new cppcheck finding in the hypervisor's C files that
# the series changes. Each file is checked as the base has it and as the
# series leaves it, with the same settings (no Xen headers; the macros
# cppcheck cannot parse are given in scripts/cppcheck/macros.h). A
# finding is new when its file, id and message occur more often after
# the series than before; line numbers do not count, since the series
# moves code. Prints the new findings and "cppcheck: N passed, N failed".
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/cppcheck
OPTS=(--quiet --enable=warning,style,performance,portability --std=c11
      --platform=unix64 -D__GNUC__=12 -D__x86_64__ -D__XEN__ -DCONFIG_NUMA
      --include="$TOP/scripts/cppcheck/macros.h"
      --suppress=missingInclude --suppress=missingIncludeSystem
      --template='{file}:{line}: {severity}:{id}: {message}')

# findings REV: cppcheck of the changed files as REV has them, to OUT/REV.txt
findings() {
    local rev=$1 dir=$OUT/$1 f
    rm -rf "$dir"
    mkdir -p "$dir"
    for f in $FILES; do
        mkdir -p "$dir/$(dirname "$f")"
        tgit show "$rev:$f" >"$dir/$f" 2>/dev/null || continue
        (cd "$dir" && cppcheck "${OPTS[@]}" "$f") 2>>"$OUT/$rev.txt"
    done
    [ -f "$OUT/$rev.txt" ] || : >"$OUT/$rev.txt"
}

main() {
    local passed=0 failed=0 f new
    need_packages cppcheck
    [ -d "$TREE/.git" ] || die "no tree: run make tree first"
    FILES=$(tgit diff --name-only base HEAD -- xen | grep '\.c$' || true)
    mkdir -p "$OUT"
    rm -f "$OUT/base.txt" "$OUT/HEAD.txt"
    findings base
    findings HEAD
    for f in $FILES; do
        # Count each "file: severity:id: message" on both sides.
        new=$(awk -v f="$f" '
            { key = $0; sub(/:[0-9]+: /, ": ", key) }
            index($0, f ":") != 1 { next }
            FILENAME ~ /base.txt$/ { base[key]++; next }
            { if (++seen[key] > base[key]) print }' "$OUT/base.txt" "$OUT/HEAD.txt")
        if [ -z "$new" ]; then
            echo "PASS cppcheck: no new finding in $f ($(grep -c "^$f:" "$OUT/HEAD.txt" || true) after the series, $(grep -c "^$f:" "$OUT/base.txt" || true) before)"
            passed=$((passed + 1))
        else
            echo "FAIL cppcheck: new in $f:"
            echo "$new" | sed 's/^/  /'
            failed=$((failed + 1))
        fi
    done
    echo "cppcheck: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

main "$@"
