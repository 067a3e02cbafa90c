#!/usr/bin/env bash
# Build the scenarios' C programs (tests/progs/*.c) and OCaml clients
# (tests/ocaml/*.ml) against the libraries and headers built in
# build/xen, into build/progs/; and libxl-abi-base, libxl-abi-series
# (tests/abi/libxl-abi.c, see build_libxl_abi).
#
# For a tree with only the hypervisor part of the series (4.17's own
# libraries), the C programs get the new libxenctrl calls from
# tests/progs/hvonly-xc.h, as raw hypercalls; those that say "Needs the
# tools patches", the OCaml clients and the libxl ABI test are left out.
. "$(dirname "$0")/lib.sh"

INST=$TREE/dist/install
OUT=$BUILD/progs
CFLAGS=(-O2 -g -Wall -Wextra -Werror -std=gnu11 -I"$INST/usr/include")
LDFLAGS=(-L"$INST/usr/lib" -Wl,-rpath-link,"$INST/usr/lib")
LIBS=(-lxenctrl -lxenguest -lxentoollog -lxencall -lxenforeignmemory)
HEADERS=("$TOP"/tests/progs/*.h)
ABI_SRC=$TOP/tests/abi/libxl-abi.c
# The toolstack guide's examples, which the guide includes: built from the
# tree, so that the programs the scenarios run are the text readers see.
EXAMPLES=$TREE/docs/designs/claims/examples

# create_config_extra OCAMLLIB: the fields of Xenctrl.domctl_create_config
# that master's Xenctrl has and 4.17's does not (empty for 4.17), for the
# clients' "(* @CREATE_CONFIG_EXTRA@ *)" marker: OCaml has no #if.
create_config_extra() {
    if grep -qa altp2m_opts "$1/xenctrl/xenctrl.cmi"; then
        echo 'altp2m_opts = 0l; altp2m_count = 0l; vmtrace_buf_kb = 0l;'
    fi
}

# The OCaml clients (tests/ocaml/*.ml), native, against the Xenctrl the
# tools build installed; test-<name> in build/progs/, with '_' as '-'.
build_ocaml() {
    local ocamllib src bin
    ocamllib=$(echo "$INST"/usr/local/lib/ocaml/*/)
    [ -f "$ocamllib/xenctrl/xenctrl.cmxa" ] || die "OCaml Xenctrl is not built (run make build)"
    for src in "$TOP"/tests/ocaml/*.ml; do
        [ -e "$src" ] || continue
        bin=$OUT/test-$(basename "$src" .ml | tr _ -)
        if [ "$bin" -nt "$src" ] && [ "$bin" -nt "$ocamllib/xenctrl/xenctrl.cmxa" ]; then
            continue
        fi
        # ocamlfind leaves its intermediate files beside the source.
        sed "s|(\* @CREATE_CONFIG_EXTRA@ \*)|$(create_config_extra "$ocamllib")|" \
            "$src" >"$OUT/ocaml_build.ml"
        (cd "$OUT" && OCAMLPATH=$ocamllib ocamlfind ocamlopt -package xenctrl,unix \
            -linkpkg -ccopt "${LDFLAGS[*]}" -o "$bin" ocaml_build.ml) ||
            die "building $(basename "$src") failed"
        rm -f "$OUT"/ocaml_build.*
    done
}

# The guide's examples: claim-build (C, libxenctrl only) and
# claim-build-ml (OCaml Xenctrl).
build_examples() {
    local ocamllib
    ocamllib=$(echo "$INST"/usr/local/lib/ocaml/*/)
    [ -f "$EXAMPLES/claim-build.c" ] || die "no ${EXAMPLES#"$TOP"/}/claim-build.c (make tree)"
    gcc "${CFLAGS[@]}" -o "$OUT/claim-build" "$EXAMPLES/claim-build.c" \
        "${LDFLAGS[@]}" -lxenctrl || die "building claim-build.c failed"
    cp "$EXAMPLES/claim_build.ml" "$OUT/ocaml_build.ml"
    (cd "$OUT" && OCAMLPATH=$ocamllib ocamlfind ocamlopt -package xenctrl,unix \
        -linkpkg -ccopt "${LDFLAGS[*]}" -o "$OUT/claim-build-ml" ocaml_build.ml) ||
        die "building claim_build.ml failed"
    rm -f "$OUT"/ocaml_build.*
}

# tests/abi/libxl-abi.c, a libxl client written against 4.17's API, twice
# and both linked with the series' libxenlight: libxl-abi-base against
# 4.17's libxl headers (scripts/abi-headers.sh makes them, and first
# checks that the series keeps the layout of all of 4.17's libxl types),
# libxl-abi-series against the series' headers.
build_libxl_abi() {
    local variant bin inc
    bash "$TOP/scripts/abi-headers.sh" headers layout
    for variant in base series; do
        bin=$OUT/libxl-abi-$variant
        # 4.17's libxl headers before CFLAGS' -I (the series' headers).
        inc=()
        [ "$variant" = series ] || inc=(-I"$BUILD/abi-base/include")
        # libxl's headers are not -Wextra clean (sign-compare).
        gcc "${inc[@]}" "${CFLAGS[@]}" -Wno-sign-compare -o "$bin" "$ABI_SRC" \
            "${LDFLAGS[@]}" -lxenlight -lxentoollog ||
            die "building libxl-abi-$variant failed"
    done
}

main() {
    local src bin h stale tools=1
    mkdir -p "$OUT"
    [ -f "$INST/usr/include/xenctrl.h" ] || die "tools are not built (run make build)"
    if ! tree_has_tools_part; then
        tools=0
        CFLAGS+=(-include "$TOP/tests/progs/hvonly-xc.h")
        log "progs: the hypervisor part alone (4.17's libraries, raw hypercalls)"
    fi
    for src in "$TOP"/tests/progs/*.c; do
        [ -e "$src" ] || continue
        [ "$tools" = 1 ] || ! grep -q 'Needs the tools patches' "$src" || continue
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
    [ "$tools" = 1 ] || return 0
    build_ocaml
    build_examples
    build_libxl_abi
}

main "$@"
