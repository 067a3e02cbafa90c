#!/usr/bin/env bash
# make export-check: fail, naming what is missing, when the tree under
# build/ holds commits or edits that patches/ does not. Cheap: no build.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/series.sh"

main() {
    local problems=0 tree_list series_list line
    if [ ! -d "$TREE/.git" ]; then
        log "no tree under build/: nothing to export"
        return 0
    fi
    if [ -n "$(tree_dirty)" ]; then
        echo "uncommitted edits in build/xen:"
        tree_dirty | sed 's/^/  /'
        problems=1
    fi
    line=$(tgit status --porcelain | grep '^??' || true)
    if [ -n "$line" ]; then
        echo "files in build/xen that git does not track (git add them, or delete them):"
        echo "$line" | sed 's/^?? /  /'
        problems=1
    fi
    tree_list=$(tree_sums)
    series_list=$(series_sums "$PATCHES")
    if [ "$tree_list" != "$series_list" ]; then
        echo "the tree's commits and patches/ differ:"
        diff <(echo "$series_list" | awk 'NF { print $2, substr($1, 1, 12) }') \
             <(echo "$tree_list" | awk 'NF { print $2, substr($1, 1, 12) }') |
            sed -n 's/^< /  only in patches\/: /p; s/^> /  only in the tree: /p'
        problems=1
    fi
    if [ "$problems" -ne 0 ]; then
        echo "run 'make export' (or FORCE=1 make tree to drop the tree's work)"
        return 1
    fi
    log "patches/ holds everything in build/xen ($(echo "$series_list" | grep -c . || true) patch(es))"
}

main "$@"
