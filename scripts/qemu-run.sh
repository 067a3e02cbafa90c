#!/usr/bin/env bash
# Boot the built Xen on an emulated NUMA host under QEMU (TCG), run
# scenarios in dom0, power off, and judge the serial log.
#
#   qemu-run.sh BOOT        BOOT names tests/boots/BOOT.conf
# Any setting of the conf can be overridden from the environment, e.g.
#   NODES=4 NODE_MB=1024 SCENARIOS="nodes" qemu-run.sh adhoc
# Writes build/qemu/BOOT.log (serial console) and build/qemu/BOOT.result
# ("passed failed skipped"); exits non-zero on any failure.
#
# A boot whose dom0 has not started its /init DOM0_UP_TIMEOUT seconds
# (300) after QEMU started is stopped, and so is one that reaches
# TIMEOUT: before QEMU is killed, Xen is asked through the serial
# console to dump its CPUs, run queues, domains and claims into the log.
# A boot stopped because dom0 never reached /init (nothing of the
# series' own tests has run yet) is booted once more; the first log is
# kept as BOOT.hung.log, its end is printed, and build/qemu/BOOT.retried
# records it for make check's summary.
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/qemu
# The settings a boot's conf makes; the environment overrides each one.
SETTINGS=(NODES NODE_MB SCENARIOS TIMEOUT SCENARIO_TIMEOUT XEN_ARGS HV CPUS_PER_NODE DOM0_ARGS
          DOM0_UP_TIMEOUT)
declare -A OVERRIDE
for v in "${SETTINGS[@]}"; do
    [ -z "${!v:-}" ] || OVERRIDE[$v]=${!v}
done

# Lines that mean Xen or dom0 went wrong, whatever the scenarios said.
CRASH_RE='Panic on CPU|Xen BUG at|Xen WARN at|Assertion .* failed|FATAL TRAP|FATAL PAGE FAULT|Kernel panic|BUG: |Oops|general protection fault|WARNING: CPU: '

load_conf() {
    local name=$1 v
    NODES=2 NODE_MB=2048 SCENARIOS="" TIMEOUT=600 SCENARIO_TIMEOUT=300
    XEN_ARGS="" HV=hv-debug CPUS_PER_NODE="" DOM0_ARGS="" DOM0_UP_TIMEOUT=300
    if [ -f "$TOP/tests/boots/$name.conf" ]; then
        # shellcheck disable=SC1090
        . "$TOP/tests/boots/$name.conf"
    fi
    for v in "${!OVERRIDE[@]}"; do
        printf -v "$v" '%s' "${OVERRIDE[$v]}"
    done
    [ -n "$CPUS_PER_NODE" ] || CPUS_PER_NODE=$(( NODES <= 2 ? 2 : 1 ))
}

# The QEMU command line: q35, one RAM backend and one NUMA node per
# node, the hypervisor as a multiboot kernel, dom0 kernel and initramfs as
# modules. No -no-reboot exit is missed: Xen reboots on panic, which
# ends QEMU.
qemu_cmd() {
    local n cpus=$((NODES * CPUS_PER_NODE)) first last xen=$BUILD/$HV/xen
    local dom0_args
    dom0_args="console=hvc0 earlyprintk=xen scenarios=$(echo $SCENARIOS | tr ' ' ':')"
    dom0_args+=" expect_nodes=$NODES expect_node_mb=$NODE_MB scenario_timeout=$SCENARIO_TIMEOUT"
    # Settings of scenarios (name=value, read with arg in dom0).
    [ -z "$DOM0_ARGS" ] || dom0_args+=" $DOM0_ARGS"
    QEMU=(qemu-system-x86_64 -accel tcg -machine q35 -cpu qemu64,+svm
          -smp "$cpus" -m "$((NODES * NODE_MB))M")
    for ((n = 0; n < NODES; n++)); do
        first=$((n * CPUS_PER_NODE)); last=$((first + CPUS_PER_NODE - 1))
        QEMU+=(-object "memory-backend-ram,id=m$n,size=${NODE_MB}M"
               -numa "node,nodeid=$n,cpus=$first-$last,memdev=m$n")
    done
    QEMU+=(-display none -serial stdio -monitor none -no-reboot
           -kernel "$xen"
           -append "console=com1 dom0_mem=512M,max:512M dom0_max_vcpus=2 loglvl=all guest_loglvl=all $XEN_ARGS"
           -initrd "$BUILD/dom0/vmlinuz $dom0_args,$BUILD/dom0/initrd.gz")
}

count() { grep -c -E "$1" "$LOG" || true; }

# Judge the log: scenario results plus everything that must not happen.
judge() {
    local rc=$1 passed failed skipped problems=() s seen
    passed=$(count '^CLAIMTEST: PASS ')
    failed=$(count '^CLAIMTEST: FAIL ')
    skipped=$(count '^CLAIMTEST: SKIP ')
    [ "$rc" -ne 124 ] || problems+=("timed out after ${TIMEOUT}s (QEMU killed)")
    [ "$rc" -ne 125 ] ||
        problems+=("dom0 had not started its /init after ${DOM0_UP_TIMEOUT}s (QEMU killed; Xen's dump is in the log)")
    if grep -q -E "$CRASH_RE" "$LOG"; then
        problems+=("crash or warning in the log: $(grep -m1 -E "$CRASH_RE" "$LOG" | tr -d '\r')")
    fi
    # 4.17 says "SRAT: Node N PXM", master "NUMA: Node N PXM".
    seen=$(grep -o -E '(SRAT|NUMA): Node [0-9]+ PXM' "$LOG" | sed 's/^[A-Z]*: //' |
           sort -u | wc -l || true)
    [ "$seen" -eq "$NODES" ] || problems+=("Xen found $seen NUMA node(s) in SRAT, expected $NODES")
    grep -q '^CLAIMTEST: SERVICES-UP' "$LOG" ||
        problems+=("dom0 did not bring up the Xen services: $(grep -m1 'SETUP-FAILED' "$LOG" || echo 'no sign of dom0 /init')")
    for s in $SCENARIOS; do
        if ! grep -q "^CLAIMTEST: END $s rc=" "$LOG"; then
            problems+=("scenario $s did not finish")
        elif ! grep -q "^CLAIMTEST: END $s rc=0" "$LOG"; then
            problems+=("scenario $s: $(grep "^CLAIMTEST: END $s rc=" "$LOG")")
        fi
    done
    grep -q '^CLAIMTEST: DOM0-DONE' "$LOG" || problems+=("dom0 did not reach the end of its scenarios")
    # A problem the scenarios did not count is one failure more.
    failed=$((failed + ${#problems[@]}))
    echo "$passed $failed $skipped" >"$OUT/$BOOT.result"
    grep -E '^CLAIMTEST: (FAIL|SKIP)' "$LOG" | sed 's/^CLAIMTEST: /  /' >&2 || true
    for s in "${problems[@]}"; do printf '  FAIL boot %s: %s\n' "$BOOT" "$s" >&2; done
    # What the boot's own checks could not say: the end of its log.
    if [ "${#problems[@]}" -gt 0 ]; then
        echo "  the end of ${LOG#"$TOP"/}:" >&2
        tail -n 40 "$LOG" | sed 's/^/  | /' >&2
    fi
    log "boot $BOOT: $passed passed, $failed failed, $skipped skipped (log: ${LOG#"$TOP"/})"
    [ "$failed" -eq 0 ]
}

# Keys Xen's serial console takes: three CTRL-A switch its input from
# dom0 to Xen; then d (CPUs' registers and stacks), r (run queues), q
# (domains), 0 (dom0's vCPUs) and k (claims, added by the series).
XEN_DUMP_KEYS='\001\001\001drq0k'

# run_qemu: QEMU in the background with its serial input on a FIFO, so
# that Xen can be asked for a dump before a stuck boot is killed. Sets
# RC: QEMU's status, 124 at TIMEOUT, 125 when dom0 did not start /init
# in DOM0_UP_TIMEOUT seconds.
run_qemu() {
    local fifo=$OUT/$BOOT.in keys pid start now up=0 why=""
    rm -f "$fifo"
    mkfifo "$fifo"
    # Opened read-write, so that neither side blocks on open and QEMU
    # sees no end of input while we hold it.
    exec {keys}<>"$fifo"
    "${QEMU[@]}" <"$fifo" >"$LOG" 2>&1 &
    pid=$!
    start=$(date +%s)
    while kill -0 "$pid" 2>/dev/null; do
        sleep 2
        now=$(( $(date +%s) - start ))
        [ "$up" -eq 1 ] || ! grep -q '^CLAIMTEST: SERVICES-UP' "$LOG" || up=1
        if [ "$now" -ge "$TIMEOUT" ]; then
            why=124
        elif [ "$up" -eq 0 ] && [ "$now" -ge "$DOM0_UP_TIMEOUT" ]; then
            why=125
        fi
        [ -z "$why" ] || break
    done
    if [ -n "$why" ]; then
        printf '%b' "$XEN_DUMP_KEYS" >&"$keys"
        sleep 8
        kill -KILL "$pid" 2>/dev/null || true
    fi
    RC=0
    # (Without the braces bash reports the kill it was asked for.)
    { wait "$pid" || RC=$?; } 2>/dev/null
    exec {keys}>&-
    rm -f "$fifo"
    [ -z "$why" ] || RC=$why
}

# boot_once: one boot, its log made plain text, its status in RC.
boot_once() {
    local start
    log "boot $BOOT: $NODES node(s) x $NODE_MB MiB, $HV, scenarios: ${SCENARIOS:-none} (timeout ${TIMEOUT}s)"
    start=$(date +%s)
    run_qemu
    # The serial console ends lines with CR LF.
    sed -i 's/\r$//' "$LOG"
    log "boot $BOOT: QEMU ended (status $RC) after $(( $(date +%s) - start ))s"
}

main() {
    BOOT=${1:?usage: qemu-run.sh BOOT}
    load_conf "$BOOT"
    for f in "$BUILD/$HV/xen" "$BUILD/dom0/vmlinuz" "$BUILD/dom0/initrd.gz"; do
        [ -f "$f" ] || die "$f is missing (make build initramfs)"
    done
    mkdir -p "$OUT"
    LOG=$OUT/$BOOT.log
    rm -f "$OUT/$BOOT.retried" "$OUT/$BOOT.hung.log"
    qemu_cmd
    boot_once
    if [ "$RC" -eq 125 ]; then
        mv "$LOG" "$OUT/$BOOT.hung.log"
        {
            echo "  RETRY boot $BOOT: dom0 had not started its /init after ${DOM0_UP_TIMEOUT}s;"
            echo "  the end of its log (${OUT#"$TOP"/}/$BOOT.hung.log) follows, then one more boot."
            tail -n 60 "$OUT/$BOOT.hung.log" | sed 's/^/  | /'
        } >&2
        echo "dom0 had not started its /init after ${DOM0_UP_TIMEOUT}s (${OUT#"$TOP"/}/$BOOT.hung.log)" \
            >"$OUT/$BOOT.retried"
        boot_once
    fi
    judge "$RC"
}

main "$@"
