#!/usr/bin/env bash
# Build the scenarios' C programs (tests/progs/*.c) against the libraries
# and headers built in build/xen, into build/progs/.
. "$(dirname "$0")/lib.sh"

INST=$TREE/dist/install
OUT=$BUILD/progs
CFLAGS=(-O2 -g -Wall -Wextra -Werror -std=gnu11 -I"$INST/usr/include")
LDFLAGS=(-L"$INST/usr/lib" -Wl,-rpath-link,"$INST/usr/lib")
LIBS=(-lxenctrl -lxenguest -lxentoollog -lxencall -lxenforeignmemory)
HEADERS=("$TOP"/tests/progs/*.h)

main() {
    local src bin h stale
    mkdir -p "$OUT"
    [ -f "$INST/usr/include/xenctrl.h" ] || die "tools are not built (run make build)"
    for src in "$TOP"/tests/progs/*.c; do
        [ -e "$src" ] || continue
        bin=$OUT/$(basename "$src" .c)
        stale=0
        for h in "$src" "$INST/usr/include/xen/domctl.h" "${HEADERS[@]}"; do
            [ "$bin" -nt "$h" ] || stale=1
        done
        if [ "$stale" = 1 ]; then
            gcc "${CFLAGS[@]}" -o "$bin" "$src" "${LDFLAGS[@]}" "${LIBS[@]}" ||
                die "building $(basename "$src") failed"
        fi
    done
}

main "$@"
