# xl save and xl restore of a PV domain. The guest is tests/guest/
# pv-suspend, a stub that suspends itself once unpaused, leaving what the
# save code reads from a suspended PV guest; dom0 acknowledges libxl's
# suspend request in xenstore on its behalf (the stub has no xenbus).
# The domain is built on one node and saved; the restore, its vCPU
# soft-affine to another node, stakes a claim on that node before the
# stream populates the memory and releases what is left afterwards, and
# every page lands on the node. Then: host-wide claims (numa_claims=0), a
# claim too large to stake (the restore goes on without one), a restore
# that fails midway (its claim goes back), and a migration to this host,
# whose receiving side takes the restore path.
. /tests/scenarios/lib.sh

last=$(( $(arg expect_nodes) - 1 ))
from=$((last - 1))
to=$last
mem=64
pages=$((mem * 256))
image=/tmp/xl-restore.save

# write_cfg FILE NODE MEMORY: the stub domain, soft-affine to NODE.
write_cfg() {
    cat >"$1" <<CFG
name = "suspender"
type = "pv"
kernel = "/guest/pv-suspend"
memory = $3
vcpus = 1
cpus_soft = "node:$2"
on_poweroff = "destroy"
on_crash = "preserve"
CFG
}

# set_numa_claims 0|1: xl.conf's numa_claims.
set_numa_claims() {
    printf 'autoballoon="off"\nclaim_mode=1\nnuma_claims=%s\n' "$1" >/etc/xen/xl.conf
}

# ack_suspend DOMID: the guest's side of libxl's suspend request, as a
# xenbus driver answers it: wait for control/shutdown to read "suspend",
# then clear it. Gives up after 60 s.
ack_suspend() {
    local path="/local/domain/$1/control/shutdown" i=0
    while [ "$(xenstore-read "$path" 2>/dev/null)" != suspend ]; do
        i=$((i + 1))
        [ "$i" -lt 300 ] || return 1
        sleep 0.2
    done
    xenstore-write "$path" ""
}

# domain_state DOMID: xl list's state flags (e.g. ---s--).
domain_state() { xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }

# show_log FILE: the end of an xl log, in the boot log.
show_log() { tail -n 25 "$1" | sed 's/^/    | /'; }

# log_line FILE PATTERN: number of the first line of FILE matching PATTERN.
log_line() { grep -n "$2" "$1" | head -n 1 | cut -d: -f1; }

# restore_to NAME CFG LOG: xl -vvv restore -p CFG $image; the log in LOG.
restore_to() {
    if xl -vvv restore -p "$2" "$image" >"$3" 2>&1; then
        pass "$1"
    else
        fail "$1: xl restore failed"
        show_log "$3"
        return 1
    fi
}

# placement DOMID NODE TOTAL: all TOTAL pages of DOMID on NODE, as Xen's
# page lists and xc_domain_get_node_pages() have them.
placement() {
    local total on_node
    domain_node_pages "$1" >/tmp/placement.txt
    sed 's/^/    | node /' /tmp/placement.txt
    total=$(awk '{ s += $2 } END { print s + 0 }' /tmp/placement.txt)
    on_node=$(awk -v n="$2" '$1 == n { print $2 }' /tmp/placement.txt)
    check_eq "restored domain's pages (as saved)" "$3" "$total"
    check_eq "restored domain's pages on node $2" "$3" "${on_node:-0}"
    claimctl node-pages "$1" >/tmp/node-pages.txt
    check_eq "xc_domain_get_node_pages() agrees with Xen's page lists" \
        "$(awk '$2 > 0' /tmp/placement.txt | sort)" \
        "$(awk '$2 > 0' /tmp/node-pages.txt | sort)"
}

# destroy_restored DOMID
destroy_restored() {
    run "xl destroy (restored domain $1)" xl destroy "$1"
    sleep 1
}

set_numa_claims 1
free_before=$(host_free_mb)

# suspended_stub: build the stub on node $from (id in $id, its pages in
# /tmp/saved-pages.txt), unpause it and wait until it has suspended.
suspended_stub() {
    write_cfg /tmp/suspender.cfg "$from" "$mem"
    if ! xl create -p /tmp/suspender.cfg >/tmp/xl-create.log 2>&1; then
        fail "xl create -p (stub that suspends, ${mem} MiB, node $from)"
        show_log /tmp/xl-create.log
        return 1
    fi
    id=$(domid suspender)
    check_range "domain id" 1 32767 "$id"
    domain_node_pages "$id" >/tmp/saved-pages.txt
    run "xl unpause" xl unpause "$id"
    i=0
    while ! domain_state "$id" | grep -q s && [ "$i" -lt 100 ]; do
        sleep 0.2
        i=$((i + 1))
    done
    check_eq "the stub shut itself down (xl list state)" 1 \
        "$(domain_state "$id" | grep -c s)"
}

# 1. Build the stub on node $from, let it suspend itself, save it.
suspended_stub || finish
saved_pages=$(awk '{ s += $2 } END { print s + 0 }' /tmp/saved-pages.txt)
sed 's/^/    | saved domain: node /' /tmp/saved-pages.txt
ack_suspend "$id" &
acker=$!
if xl -vvv save "$id" "$image" >/tmp/xl-save.log 2>&1; then
    pass "xl save"
else
    fail "xl save: failed"
    show_log /tmp/xl-save.log
    kill "$acker" 2>/dev/null
    xl destroy "$id" 2>/dev/null
    finish
fi
wait "$acker" || true
check_eq "the saved domain is gone" "" "$(domid suspender)"
size=$(wc -c <"$image")
check_range "image size (KiB), at least the guest's memory" $((mem * 1024)) \
    $((mem * 1024 + 4096)) $((size / 1024))

# 2. Restore it on node $to with a node claim.
write_cfg /tmp/restore.cfg "$to" "$mem"
if restore_to "xl restore -p (node claims, cpus_soft=node:$to)" /tmp/restore.cfg \
        /tmp/xl-restore.log; then
    id=$(domid suspender)
    grep -e 'claimed [0-9]* pages: ' -e 'released what is left' \
        -e 'Restoring domain' -e 'Restore successful' /tmp/xl-restore.log | sed 's/^/    | /'
    check_eq "libxl claimed $pages pages on node $to" 1 \
        "$(grep -c "claimed $pages pages: $to:$pages\$" /tmp/xl-restore.log)"
    claim_at=$(log_line /tmp/xl-restore.log 'claimed [0-9]* pages: ')
    stream_at=$(log_line /tmp/xl-restore.log 'Restoring domain')
    done_at=$(log_line /tmp/xl-restore.log 'Restore successful')
    release_at=$(log_line /tmp/xl-restore.log 'released what is left of its claim')
    check_eq "claim before the stream (log lines $claim_at < $stream_at)" 1 \
        "$([ -n "$claim_at" ] && [ -n "$stream_at" ] && [ "$claim_at" -lt "$stream_at" ] && echo 1)"
    check_eq "release once it has populated (log lines $done_at < $release_at)" 1 \
        "$([ -n "$release_at" ] && [ -n "$done_at" ] && [ "$release_at" -gt "$done_at" ] && echo 1)"
    check_eq "no claim left once restored (MiB)" 0 "$(host_outstanding_mb)"
    placement "$id" "$to" "$saved_pages"
    # The restored stub runs on from its suspend and powers off; xl's
    # monitor then destroys it (on_poweroff), where a crash would leave it.
    run "xl unpause (restored domain $id)" xl unpause "$id"
    i=0
    while [ -n "$(domid suspender)" ] && [ "$i" -lt 100 ]; do
        sleep 0.2
        i=$((i + 1))
    done
    if [ -n "$(domid suspender)" ]; then
        fail "the restored domain ran and powered off: still there, state $(domain_state "$id")"
        destroy_restored "$id"
    else
        pass "the restored domain ran and powered off"
    fi
fi

# 3. numa_claims=0: the host-wide claim, as 4.17's create staked it.
set_numa_claims 0
if restore_to "xl restore -p (numa_claims=0)" /tmp/restore.cfg \
        /tmp/xl-restore-host.log; then
    id=$(domid suspender)
    check_eq "libxl claimed $pages pages host-wide" 1 \
        "$(grep -c "claimed $pages pages: host:$pages\$" /tmp/xl-restore-host.log)"
    check_eq "and released what was left" 1 \
        "$(grep -c 'released what is left of its claim' /tmp/xl-restore-host.log)"
    check_eq "no claim left once restored (MiB)" 0 "$(host_outstanding_mb)"
    placement "$id" "$to" "$saved_pages"
    destroy_restored "$id"
fi
set_numa_claims 1

# 4. A claim larger than the host's free memory cannot be staked: the
# restore goes on without one (the stream brings only the saved pages).
huge=$(( $(host_free_mb) + 1024 ))
write_cfg /tmp/restore-huge.cfg "$to" "$huge"
if restore_to "xl restore -p (memory = $huge MiB, more than is free)" \
        /tmp/restore-huge.cfg /tmp/xl-restore-huge.log; then
    id=$(domid suspender)
    grep -e 'claim' /tmp/xl-restore-huge.log | sed 's/^/    | /'
    check_eq "warned that it restores without a claim" 1 \
        "$(grep -c 'restoring the domain without a claim' /tmp/xl-restore-huge.log)"
    check_eq "no claim left once restored (MiB)" 0 "$(host_outstanding_mb)"
    placement "$id" "$to" "$saved_pages"
    destroy_restored "$id"
fi

# 5. A stream cut short: the restore fails after the claim was staked,
# and libxl gives the claim back before the domain is destroyed.
head -c $((size / 2)) "$image" >/tmp/xl-restore-cut.save
if xl -vvv restore -p /tmp/restore.cfg /tmp/xl-restore-cut.save \
        >/tmp/xl-restore-cut.log 2>&1; then
    fail "xl restore of a truncated image: succeeded"
    xl destroy suspender 2>/dev/null
else
    pass "xl restore of a truncated image fails"
fi
rm -f /tmp/xl-restore-cut.save
grep -e 'claimed [0-9]* pages: ' -e 'released what is left' /tmp/xl-restore-cut.log |
    sed 's/^/    | /'
check_eq "its claim was staked, then released" 2 \
    "$(grep -c -e "claimed $pages pages: $to:$pages\$" -e 'released what is left of its claim' \
        /tmp/xl-restore-cut.log)"
check_eq "no claim left (MiB)" 0 "$(host_outstanding_mb)"
check_eq "no domain left" "" "$(domid suspender)"

# 6. A migration's receiving side takes the restore path: xl migrate to
# this host (the receiver runs as the "ssh" command), the config sent
# naming node $to.
if suspended_stub; then
    ack_suspend "$id" &
    acker=$!
    if xl -vvv migrate -p -s '' -C /tmp/restore.cfg "$id" \
            "xl -vvv migrate-receive -p" >/tmp/xl-migrate.log 2>&1; then
        pass "xl migrate -p (to this host, node $to)"
    else
        fail "xl migrate -p (to this host, node $to): failed"
        show_log /tmp/xl-migrate.log
        for n in suspender--incoming suspender--migratedaway; do
            xl destroy "$n" 2>/dev/null
        done
    fi
    kill "$acker" 2>/dev/null
    grep -e 'claimed [0-9]* pages: ' -e 'released what is left' \
        -e 'Restore successful' /tmp/xl-migrate.log | sed 's/^/    | /'
    check_eq "the receiver claimed $pages pages on node $to, then released" 2 \
        "$(grep -c -e "claimed $pages pages: $to:$pages\$" \
            -e 'released what is left of its claim' /tmp/xl-migrate.log)"
    check_eq "no claim left once migrated (MiB)" 0 "$(host_outstanding_mb)"
    id=$(domid suspender)
    if [ -n "$id" ]; then
        placement "$id" "$to" "$saved_pages"
        destroy_restored "$id"
    else
        fail "the migrated domain is there: no domain named suspender"
    fi
fi

rm -f "$image"
printf 'autoballoon="off"\nclaim_mode=1\n' >/etc/xen/xl.conf
sleep 1
check_range "free memory back (MiB)" $((free_before - 2)) 1000000 "$(host_free_mb)"
finish
