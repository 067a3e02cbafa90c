# libxl places and claims one builder at a time under an flock()ed file
# (/var/run/xen/numa-claims.lock), held for a few hypercalls. Issue 14: a
# builder killed at any moment never blocks later builds, and leaves no
# claim once its domain is destroyed.
#  1. While another process holds the lock, xl create waits before it
#     claims; killing the holder with SIGKILL lets the build go on.
#  2. xl create of a PV guest with Debian's kernel (seconds between its
#     claim and its populate under TCG), killed with SIGKILL after 0 to 6
#     seconds: after each kill a new build succeeds, and destroying the
#     killed build's domain leaves no claim on the host.
. /tests/scenarios/lib.sh

NODES=$(arg expect_nodes)
LAST=$((NODES - 1))
LOCK=/var/run/xen/numa-claims.lock

# pv_cfg NAME MB KERNEL: a PV guest bound to the last node, /tmp/NAME.cfg.
pv_cfg() {
    {
        echo "name = \"$1\""
        echo "type = \"pv\""
        echo "kernel = \"$3\""
        echo "memory = $2"
        echo "vcpus = 1"
        echo "cpus_soft = \"node:$LAST\""
    } >"/tmp/$1.cfg"
}

# destroy_all: destroys every domain but dom0.
destroy_all() {
    local id
    for id in $(xl list | awk 'NR > 2 { print $2 }'); do
        xl destroy "$id" >/dev/null 2>&1
    done
}

held_lock() {
    local holder builder waited=0 claimed rc
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=1\n' >/etc/xen/xl.conf
    mkdir -p /var/run/xen
    # -o: only flock holds the lock, not the sleep it runs.
    /tests/bin/flock -o "$LOCK" sleep 600 &
    holder=$!
    sleep 1
    pv_cfg lock-wait 64 /guest/pv-stub
    xl -vvv create -p /tmp/lock-wait.cfg >/tmp/lock-wait.log 2>&1 &
    builder=$!
    # The build waits for the lock: its domain exists, but no claim yet.
    sleep 5
    check_eq "while another process holds the lock, xl create waits before it claims" \
        "0 running" "$(grep -c 'claimed [0-9]* pages: ' /tmp/lock-wait.log) \
$(kill -0 "$builder" 2>/dev/null && echo running)"
    kill -9 "$holder"
    while kill -0 "$builder" 2>/dev/null && [ "$waited" -lt 60 ]; do
        sleep 1
        waited=$((waited + 1))
    done
    rc=0
    wait "$builder" || rc=$?
    claimed=$(sed -n 's/.*claimed \([0-9]* pages: .*\)$/\1/p' /tmp/lock-wait.log)
    check_eq "killing the holder lets the build finish (status)" 0 "$rc"
    check_eq "and claim its node" "16384 pages: $LAST:16384" "$claimed"
    destroy_all
    check_eq "no claim left (MiB)" 0 "$(host_outstanding_mb)"
}

killed_builds() {
    local delay pid n=0 left held=0
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=1\n' >/etc/xen/xl.conf
    pv_cfg lock-next 64 /guest/pv-stub
    for delay in 0 1 2 3 4 6; do
        n=$((n + 1))
        pv_cfg "lock-kill$n" 256 /guest/vmlinuz
        xl -vvv create -p "/tmp/lock-kill$n.cfg" >"/tmp/lock-kill$n.log" 2>&1 &
        pid=$!
        sleep "$delay"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        echo "    | killed after $delay s; its log ended with:"
        tail -n 1 "/tmp/lock-kill$n.log" | cut -c1-120 | sed 's/^/    |   /'
        # A later build takes the lock at once (timeout: it must not hang).
        if timeout 120 xl create -p /tmp/lock-next.cfg >/tmp/lock-next.log 2>&1; then
            pass "a build after one killed after $delay s succeeds"
        else
            fail "a build after one killed after $delay s: status $?"
            tail -n 5 /tmp/lock-next.log | sed 's/^/    | /'
        fi
        # What the killed build's domain still holds (the new build's
        # claim is released): a kill after the claim leaves it there.
        left=$(host_outstanding_mb)
        echo "    | claims outstanding before destroy: $left MiB"
        [ "$left" -eq 0 ] || held=$((held + 1))
        destroy_all
        check_eq "no claim left once the killed build's domain is destroyed (MiB)" \
            0 "$(host_outstanding_mb)"
    done
    check_range "kills that hit a build holding its claim" 1 6 "$held"
}

held_lock
killed_builds
finish
