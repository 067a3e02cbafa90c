# libxenlight.so.4.17 keeps its ABI: the same libxl client
# (tests/abi/libxl-abi.c), built against 4.17's libxl headers
# (libxl-abi-base) and against the series' (libxl-abi-series), both
# running on the series' libxenlight, reads the NUMA nodes, creates a
# paused 64 MiB PV domain (claim_mode on), reads it back and destroys it.
# Both must pass and print the same.
. /tests/scenarios/lib.sh

KERNEL=/guest/pv-stub
MB=64

for variant in base series; do
    rc=0
    "libxl-abi-$variant" "$KERNEL" "$MB" >"/tmp/libxl-abi-$variant.out" \
        2>"/tmp/libxl-abi-$variant.err" || rc=$?
    sed "s/^/    | $variant: /" "/tmp/libxl-abi-$variant.out"
    sed "s/^/    | $variant (stderr): /" "/tmp/libxl-abi-$variant.err"
    check_eq "libxl-abi-$variant: exit status" 0 "$rc"
    check_eq "libxl-abi-$variant: its checks" "0 failed" \
        "$(tail -n 1 "/tmp/libxl-abi-$variant.out" | sed -n 's/^[0-9]* passed, //p')"
done

if cmp -s /tmp/libxl-abi-base.out /tmp/libxl-abi-series.out; then
    pass "built against 4.17's and the series' headers: the same output"
else
    fail "built against 4.17's and the series' headers: the outputs differ"
    diff /tmp/libxl-abi-base.out /tmp/libxl-abi-series.out | sed 's/^/    | /'
fi
check_eq "no domain left" "" "$(domid libxl-abi)"
check_eq "host outstanding claims after the programs (MiB)" 0 "$(host_outstanding_mb)"
finish
