#!/usr/bin/env bash
# The test bed's own failure paths, each of which must end in a clear
# failure (non-zero exit and a message that says what went wrong), never
# a hang or a pass:
#   - a patch that does not apply
#   - work in the tree that patches/ does not hold (export-check)
#   - a Xen that panics while booting
#   - a scenario that hangs (dom0's per-scenario timeout)
#   - a boot that overruns (the host's hard timeout kills QEMU)
#   - a dom0 that never starts its /init (Xen dumps its state, the boot
#     is tried once more, and still fails)
# Prints one PASS/FAIL line each and "selftest: N passed, N failed".
#   selftest.sh [tree|qemu|all]   the first needs no QEMU (default: all)
. "$(dirname "$0")/lib.sh"

PASSED=0 FAILED=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# verdict OK LINE: count one result and print it; a failure shows the
# end of the command's output.
verdict() {
    if [ "$1" = 1 ]; then
        echo "PASS selftest: $2"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL selftest: $2"
        tail -n 15 "$WORK/out" | sed 's/^/    /'
        FAILED=$((FAILED + 1))
    fi
}

# expect_failure WHAT PATTERN CMD...: CMD must exit non-zero and print
# PATTERN (an extended regex).
expect_failure() {
    local what=$1 pattern=$2 rc=0
    shift 2
    "$@" >"$WORK/out" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ] && grep -q -E "$pattern" "$WORK/out"; then
        verdict 1 "$what (exit $rc: $(grep -m1 -E "$pattern" "$WORK/out" | sed 's/^ *//'))"
    else
        verdict 0 "$what: expected a failure saying /$pattern/, got exit $rc:"
    fi
}

# check WHAT CMD...: CMD must succeed.
check() {
    local what=$1
    shift
    if "$@" >"$WORK/out" 2>&1; then verdict 1 "$what"; else verdict 0 "$what:"; fi
}

# A tree cloned from build/xen at the base and a series whose second
# patch cannot apply; the tree must stay at the first patch, clean.
patch_does_not_apply() {
    local b=$WORK/build p=$WORK/patches
    mkdir -p "$b" "$p"
    git clone -q --shared "$TREE" "$b/xen"
    git -C "$b/xen" checkout -q -B main base
    : >"$b/xen.synced"
    echo selftest >"$b/xen/selftest.txt"
    git -C "$b/xen" add selftest.txt
    git -C "$b/xen" -c user.name=t -c user.email=t@t.invalid commit -q \
        -m "selftest: a first patch that applies"
    git -C "$b/xen" format-patch -q --zero-commit -N --no-signature --no-stat -o "$p" base..HEAD
    git -C "$b/xen" reset -q --hard base
    cat >"$p/0002-selftest-stale.patch" <<'PATCH'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: selftest <t@t.invalid>
Date: Thu, 1 Jan 2025 00:00:00 +0000
Subject: [PATCH] selftest: a patch against lines the base does not have

---
diff --git a/xen/common/page_alloc.c b/xen/common/page_alloc.c
--- a/xen/common/page_alloc.c
+++ b/xen/common/page_alloc.c
@@ -1,3 +1,3 @@
-this line is not in page_alloc.c
+nor is this one
 and this one is not either
 so the patch cannot apply
PATCH
    (cd "$p" && ls -1 -- *.patch) >"$p/series"
    expect_failure "a patch that does not apply names the patch and the file" \
        '0002-selftest-stale.patch does not apply' \
        env BUILD="$b" PATCHES="$p" bash "$TOP/scripts/tree.sh"
    cp "$WORK/out" "$WORK/tree-out"
    check "the message names the file that failed" \
        grep -q 'xen/common/page_alloc.c' "$WORK/tree-out"
    check "the tree is left clean at the last patch that applied" \
        test "$(git -C "$b/xen" log -1 --format=%s)" = "selftest: a first patch that applies" \
             -a -z "$(git -C "$b/xen" status --porcelain --untracked-files=no)" \
             -a ! -d "$b/xen/.git/rebase-apply"
}

qemu_failures() {
    # No IOMMU is emulated, so iommu=force makes Xen panic during boot.
    timed "selftest: Xen panics" expect_failure "a Xen panic ends the boot as a failure" \
        'crash or warning in the log: .*Panic on CPU' \
        env XEN_ARGS="iommu=force" SCENARIOS="nodes" TIMEOUT=120 \
        bash "$TOP/scripts/qemu-run.sh" selftest-panic
    timed "selftest: scenario hangs" expect_failure "a hanging scenario is stopped by its timeout" \
        'FAIL selftest-hang: timed out after 10s' \
        env SCENARIOS="selftest-hang" SCENARIO_TIMEOUT=10 TIMEOUT=120 \
        bash "$TOP/scripts/qemu-run.sh" selftest-hang
    timed "selftest: boot overruns" expect_failure "a boot that overruns is killed by the hard timeout" \
        'timed out after 20s \(QEMU killed\)' \
        env SCENARIOS="selftest-hang" SCENARIO_TIMEOUT=600 TIMEOUT=20 \
        bash "$TOP/scripts/qemu-run.sh" selftest-timeout
    # dom0 finds no rdinit in its initramfs and waits for ever for a root
    # device that does not exist: a dom0 that never starts /init.
    timed "selftest: dom0 never up" expect_failure \
        "a dom0 that does not reach /init is booted twice, then fails" \
        "FAIL boot selftest-dom0-up: dom0 had not started its /init after 40s" \
        env SCENARIOS="nodes" DOM0_ARGS="rdinit=/none root=/dev/none rootwait" \
        DOM0_UP_TIMEOUT=40 TIMEOUT=120 \
        bash "$TOP/scripts/qemu-run.sh" selftest-dom0-up
    check "the first boot's log is kept and holds Xen's dump of its CPUs" \
        grep -q "'d' pressed" "$BUILD/qemu/selftest-dom0-up.hung.log"
    check "and the second boot was dumped too" \
        grep -q "'d' pressed" "$BUILD/qemu/selftest-dom0-up.log"
    check "the retry is recorded for make check's summary" \
        test -s "$BUILD/qemu/selftest-dom0-up.retried"
}

# clone_at_base BUILD PATCHES: a build dir whose tree is build/xen's
# clone at the base, and an empty series, as make tree would leave them.
clone_at_base() {
    mkdir -p "$1" "$2"
    : >"$2/series"
    git clone -q --shared "$TREE" "$1/xen"
    git -C "$1/xen" checkout -q -B main base
    : >"$1/xen.synced"
}

# project_commit DIR MESSAGE: commit as the series' commits are made:
# the project identity of base.conf, signed off.
project_commit() {
    git -C "$1" -c user.name="$BASE_COMMIT_NAME" \
        -c user.email="$BASE_COMMIT_EMAIL" commit -q -s -m "$2"
}

# export must refuse a series a maintainer could not apply: a commit that
# adds a binary file, one that adds a file .gitignore ignores, one that
# is not signed off. Each is tried alone and named in the refusal.
export_refuses_unfit() {
    local b=$WORK/unfit-build p=$WORK/unfit-patches
    local -a env=(env BUILD="$b" PATCHES="$p")
    clone_at_base "$b" "$p"

    printf '\177ELF\0\0\1' >"$b/xen/selftest-binary"
    git -C "$b/xen" add selftest-binary
    project_commit "$b/xen" "selftest: a binary"
    expect_failure "export refuses a binary file" \
        'selftest: a binary: binary file selftest-binary' \
        "${env[@]}" bash "$TOP/scripts/export.sh"

    git -C "$b/xen" reset -q --hard base
    echo 'int x;' >"$b/xen/selftest.o"
    git -C "$b/xen" add -f selftest.o
    project_commit "$b/xen" "selftest: a build product"
    expect_failure "export refuses a file the tree ignores" \
        'adds selftest.o, which .gitignore ignores' \
        "${env[@]}" bash "$TOP/scripts/export.sh"

    git -C "$b/xen" reset -q --hard base
    echo text >"$b/xen/selftest.txt"
    git -C "$b/xen" add selftest.txt
    git -C "$b/xen" -c user.name="$BASE_COMMIT_NAME" \
        -c user.email="$BASE_COMMIT_EMAIL" commit -q -m "selftest: unsigned"
    expect_failure "export refuses a commit without Signed-off-by" \
        "selftest: unsigned: no 'Signed-off-by: $BASE_COMMIT_NAME" \
        "${env[@]}" bash "$TOP/scripts/export.sh"
    check "a refused export writes nothing" test ! -s "$p/series"
}

# export-check must notice an unexported commit and an uncommitted edit,
# and be satisfied after make export; export must not rewrite unchanged
# patches.
export_round_trip() {
    local b=$WORK/export-build p=$WORK/export-patches
    local -a env=(env BUILD="$b" PATCHES="$p")
    clone_at_base "$b" "$p"
    echo one >"$b/xen/selftest-1.txt"
    git -C "$b/xen" add selftest-1.txt
    project_commit "$b/xen" "selftest: one"
    expect_failure "export-check names an unexported commit" \
        'only in the tree: 0001-selftest-one.patch' \
        "${env[@]}" bash "$TOP/scripts/export-check.sh"
    check "export writes it" "${env[@]}" bash "$TOP/scripts/export.sh"
    check "export-check passes after export" "${env[@]}" bash "$TOP/scripts/export-check.sh"
    touch -d '2000-01-01' "$p/0001-selftest-one.patch"
    echo two >"$b/xen/selftest-2.txt"
    git -C "$b/xen" add selftest-2.txt
    project_commit "$b/xen" "selftest: two"
    check "a second export adds the new patch" "${env[@]}" bash "$TOP/scripts/export.sh"
    check "and leaves the unchanged one alone" \
        test "$(stat -c %Y "$p/0001-selftest-one.patch")" = "$(date -d 2000-01-01 +%s)"
    check "export writes the cover letter with both patches listed" \
        grep -q '^  2/2 selftest: two$' "$p/0000-cover-letter.patch"
    check "and signs it off as the project" \
        grep -qxF "Signed-off-by: $BASE_COMMIT_NAME <$BASE_COMMIT_EMAIL>" "$p/0000-cover-letter.patch"
    check "and keeps it out of patches/series" \
        test "$(cat "$p/series")" = "$(printf '0001-selftest-one.patch\n0002-selftest-two.patch')"
    echo edit >>"$b/xen/selftest-1.txt"
    expect_failure "export-check names an uncommitted edit" \
        'M selftest-1.txt' "${env[@]}" bash "$TOP/scripts/export-check.sh"
    git -C "$b/xen" checkout -q selftest-1.txt
    check "make tree sees nothing to do" "${env[@]}" bash "$TOP/scripts/tree.sh"
}

main() {
    local group=${1:-all}
    case "$group" in tree|qemu|all) ;; *) die "usage: selftest.sh [tree|qemu|all]" ;; esac
    [ "$group" = qemu ] || timed "selftest: patch that does not apply" patch_does_not_apply
    [ "$group" = qemu ] || timed "selftest: export round trip" export_round_trip
    [ "$group" = qemu ] || timed "selftest: export refuses an unfit series" export_refuses_unfit
    [ "$group" = tree ] || qemu_failures
    echo "selftest: $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

main "$@"
