#!/usr/bin/env bash
# make stress: claim sets under load on the debug hypervisor, on 4 nodes
# of 1 GiB with 4 vCPUs (tests/boots/stress.conf). tests/progs/
# claim-stress runs its builders, a domain allocating without claims and
# offline/online of free pages for STRESS_SECONDS, comparing per-domain
# claims, per-node claimed pages and the host's outstanding pages at
# quiescent points; then Xen's 'k' key checks its invariants and no claim
# may be left. Any Xen ASSERT/BUG/WARN fails the boot. Prints how many
# operations of each kind ran, with their errnos; the serial console
# stays in build/qemu/stress.log.
#
#   [STRESS_SECONDS=N] [STRESS_WORKERS=N] stress.sh [--no-build]
#     STRESS_SECONDS=N  how long the builders run (10-86400; default 600)
#     STRESS_WORKERS=N  builder processes (1-16; default 3)
#     --no-build        use what is built; fail if something is missing
. "$(dirname "$0")/lib.sh"

LOG=$BUILD/qemu/stress.log

# What the boot needs, built or not: nothing is booted without it.

# The program's figures, as it printed them at the end of the run.
summary() {
    echo
    echo "== claim-stress: operations run (with their errnos), and checks"
    grep -a '^claim-stress: ' "$LOG" | grep -v 'quiescent point' |
        sed 's/^claim-stress: /  /' ||
        echo "  (none: the run did not finish, see ${LOG#"$TOP"/})"
    grep -a -E '^CLAIMTEST: (PASS|FAIL) claim-stress' "$LOG" |
        sed 's/^CLAIMTEST: /  /' || true
}

main() {
    local seconds=${STRESS_SECONDS:-600} workers=${STRESS_WORKERS:-3}
    local do_build rc=0
    build_option stress "$@"
    do_build=$BUILD_FIRST
    check_number STRESS_SECONDS "$seconds" 10 86400
    check_number STRESS_WORKERS "$workers" 1 16
    seconds=$((10#$seconds)) workers=$((10#$workers))
    if [ "$do_build" = 1 ]; then
        build_for_boot
    else
        need_built "run make stress without --no-build"
    fi
    log "stress: $seconds s with $workers builders (the boot adds ~2 min)"
    TIMEOUT=$((seconds + 900)) SCENARIO_TIMEOUT=$((seconds + 600)) \
        DOM0_ARGS="stress_seconds=$seconds stress_workers=$workers" \
        boot_with_progress stress || rc=$?
    [ -f "$LOG" ] && summary
    [ "$rc" -eq 0 ] || log "make stress failed: see ${LOG#"$TOP"/}"
    return "$rc"
}

main "$@"
