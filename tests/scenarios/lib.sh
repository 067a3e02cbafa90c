# Sourced by every scenario (busybox sh in dom0). Each check prints one
# result line that scripts/qemu-run.sh counts:
#   CLAIMTEST: PASS <scenario>: <what>
#   CLAIMTEST: FAIL <scenario>: <what>: expected <x>, got <y>
# A scenario's exit status is the number of its failed checks.

SCENARIO=$(basename "$0" .sh)
FAILED=0

pass() { echo "CLAIMTEST: PASS $SCENARIO: $*"; }
fail() { echo "CLAIMTEST: FAIL $SCENARIO: $*"; FAILED=$((FAILED + 1)); }
skip() { echo "CLAIMTEST: SKIP $SCENARIO: $*"; }

# check_eq WHAT EXPECTED GOT (returns non-zero when the check fails)
check_eq() {
    if [ "$2" = "$3" ]; then pass "$1 ($3)"; else fail "$1: expected $2, got $3"; return 1; fi
}

# check_range WHAT LOW HIGH GOT: LOW <= GOT <= HIGH (integers)
check_range() {
    if [ -n "$4" ] && [ "$4" -ge "$2" ] 2>/dev/null && [ "$4" -le "$3" ]; then
        pass "$1 ($4 in [$2, $3])"
    else
        fail "$1: expected [$2, $3], got '$4'"
        return 1
    fi
}

# run WHAT CMD...: the command must succeed; its output goes to the log.
run() {
    local what=$1 out rc=0
    shift
    out=$("$@" 2>&1) || rc=$?
    [ -z "$out" ] || echo "$out" | sed 's/^/    | /'
    if [ "$rc" -eq 0 ]; then pass "$what"; else fail "$what: exit status $rc"; fi
    return "$rc"
}

# A value from the kernel command line (see tests/dom0/init).
arg() {
    local a
    for a in $(cat /proc/cmdline); do
        case "$a" in "$1="*) echo "${a#*=}"; return 0 ;; esac
    done
    return 1
}

# Free memory of the host in MiB, from xl info.
host_free_mb() { xl info | awk '$1 == "free_memory" { print $3 }'; }

# Outstanding claims of the host in pages, from physinfo (via xl info).
host_outstanding_mb() { xl info | awk '$1 == "outstanding_claims" { print $3 }'; }

finish() { exit "$FAILED"; }

# numa_rows: the rows of the numa_info table of `xl info -n` on stdin, as
# "node memsize memfree memclaimed" (MiB), one line per node. The table
# keeps 4.17's columns (node, memsize, memfree, distances); memclaimed is
# the fifth, after the distances.
numa_rows() {
    awk '/^node:/ { t = 1; next }
         t && /^ *[0-9]+:/ { sub(":", "", $1); print $1, $2, $3, $5 }'
}

# node_free_mb NODE: free less claimed memory of NODE (MiB), from xl info -n.
node_free_mb() {
    xl info -n | numa_rows | awk -v n="$1" '$1 == n { print $3 - $4 }'
}

# domain_node_pages DOMID: "node pages" lines of the domain, from Xen's
# 'u' debug key (the page lists, so what the domain really holds). 4.17
# heads a domain's lines "Domain 2 (total: ...)", master "d2 (total: ...)".
domain_node_pages() {
    xl dmesg -c >/dev/null
    xl debug-keys u
    xl dmesg | awk -v id="$1" '
        /(Domain |[ )]d)[0-9]+ \(total/ {
            mine = ($0 ~ ("(Domain | d)" id " \\(total")); next }
        mine && /Node [0-9]+: [0-9]+/ { sub(/.*Node /, ""); sub(/:/, ""); print; next }
        mine { mine = 0 }'
}

# node_claimable ID NODE: the most pages domain ID can claim on NODE (a
# bisection over SETs of one entry, to 1 MiB; ID's claims end released).
node_claimable() {
    local lo=0 hi=$(( $(node_free_mb "$2") * 256 + 1 )) mid
    while [ $((hi - lo)) -gt 256 ]; do
        mid=$(( (lo + hi) / 2 ))
        if claimctl set "$1" "$2:$mid" >/dev/null; then lo=$mid; else hi=$mid; fi
    done
    claimctl set "$1" host:0 >/dev/null
    echo "$lo"
}

# domid NAME: the id of a domain known to xl.
domid() { xl domid "$1" 2>/dev/null; }
