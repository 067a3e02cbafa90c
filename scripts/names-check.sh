#!/usr/bin/env bash
# Every function, errno, hypercall or macro name, xl.conf key and OCaml
# Xenctrl binding that the series' docs and man pages name must exist in
# build/xen's code (docs/ left out), so that a renamed or made-up name in
# the docs fails. Part of make docs-check.
#   names-check.sh [FILE...]   check these files (default: the series'
#                              design pages, guest-guide pages, xl.conf(5)
#                              and xl(1))
#   names-check.sh --self-test a file of made-up names must fail, one of
#                              real names must pass
# Prints one PASS/FAIL line per file and "names: N passed, N failed".
. "$(dirname "$0")/lib.sh"

DEFAULT_FILES=(
    docs/designs/claims/*.rst
    docs/guest-guide/dom/DOMCTL_claim_memory.rst
    docs/guest-guide/mem/XENMEM_claim_pages.rst
    docs/man/xl.conf.5.pod.in
    docs/man/xl.1.pod.in
)

# Names the docs give as XenServer's (xenopsd and its Xen patches), which
# this tree replaces and so does not have.
EXTERNAL="xc_domain_claim_pages_node xc_domain_numa_get_node_pages
XEN_DOMCTL_numa_op XEN_DOMCTL_NUMA_OP_GET_NODE_PAGES"

# check_files FILE...: the names of each file, looked up in the tree.
check_files() {
    python3 - "$TREE" "$EXTERNAL" "$@" <<'EOF'
import re, subprocess, sys

tree, external, files = sys.argv[1], set(sys.argv[2].split()), sys.argv[3:]

def code_has(word, pathspecs=(':!docs',)):
    """git grep -w WORD in the tree's code, or in PATHSPECS."""
    return subprocess.run(['git', '-C', tree, 'grep', '-qwF', '-e', word,
                           '--', *pathspecs]).returncode == 0

def errnos():
    text = open(f'{tree}/xen/include/public/errno.h').read()
    return set(re.findall(r'XEN_ERRNO\((E[A-Z0-9]+),', text))

ERRNOS = errnos()
MLI = open(f'{tree}/tools/ocaml/libs/xc/xenctrl.mli').read()

def xl_key(key):
    """xl reads KEY: its name is a string in tools/xl's code."""
    return code_has(f'"{key}"', ('tools/xl/',))

# (kind, pattern, test): group 1 of each match must pass the test.
RULES = [
    ('function', re.compile(r'\b([A-Za-z_][A-Za-z0-9_]*)\(\)'), code_has),
    ('errno', re.compile(r'(?:``-?|C<-?|\[|\(-|\s-)(E[A-Z0-9]{2,})\b'),
     lambda n: n in ERRNOS),
    ('hypercall or macro',
     re.compile(r'\b(XEN(?:MEM[F]?|_DOMCTL|_SYSCTL)_[A-Za-z0-9_]+)\b'),
     code_has),
    ('xl.conf key', re.compile(r'xl\.conf(?:\'s)? ``([a-z_]+)``|'
                               r'``([a-z_]+)=[0-9]``|'
                               r'B<([a-z_]+)=[0-9]>'), xl_key),
    ('OCaml binding', re.compile(r'\bXenctrl\.([a-z_]+)\b'),
     lambda n: re.search(rf'^(external|val) {n} :', MLI, re.M) is not None),
]

# xl.conf(5) itself: every key it describes.
XL_CONF_KEYS = ('xl.conf key', re.compile(r'^=item B<([a-z_.]+)=', re.M), xl_key)

failed = 0
for path in files:
    text = open(path).read()
    seen, bad = set(), []
    rules = RULES + ([XL_CONF_KEYS] if 'xl.conf' in path else [])
    for kind, pattern, test in rules:
        for m in pattern.finditer(text):
            name = next(g for g in m.groups() if g)
            if (kind, name) in seen:
                continue
            seen.add((kind, name))
            if name in external:
                continue
            if not test(name):
                bad.append(f'{kind} {name}')
    short = path[len(tree) + 1:] if path.startswith(tree + '/') else path
    if bad:
        failed += 1
        print(f'FAIL names: {short}: not in the tree: {", ".join(bad)}')
    else:
        print(f'PASS names: {short}: {len(seen)} names in the tree')
sys.exit(1 if failed else 0)
EOF
}

self_test() {
    local dir rc=0 out
    dir=$(mktemp -d)
    cat >"$dir/made-up.rst" <<'EOF'
Call ``xc_domain_claim_moon()``; it fails with ``-ENOTACLAIM``.  Set
xl.conf's ``numa_clams`` and ``XEN_DOMCTL_claim_memories``, then
``Xenctrl.domain_claim_moon``.
EOF
    cat >"$dir/real.rst" <<'EOF'
Call ``xc_domain_claim_memory()``; it fails with ``-ENOMEM``.  Set
xl.conf's ``numa_claims`` and ``XEN_DOMCTL_claim_memory``, then
``Xenctrl.domain_claim_memory``.
EOF
    if out=$(check_files "$dir/made-up.rst"); then
        echo "FAIL names: self-test: made-up names passed"
        rc=1
    elif [ "$(grep -o 'moon\|ENOTACLAIM\|numa_clams\|memories' <<<"$out" | sort -u | wc -l)" -ne 4 ]; then
        echo "FAIL names: self-test: not every made-up name was named: $out"
        rc=1
    else
        echo "PASS names: self-test: made-up names fail ($out)"
    fi
    if out=$(check_files "$dir/real.rst"); then
        echo "PASS names: self-test: real names pass"
    else
        echo "FAIL names: self-test: real names failed: $out"
        rc=1
    fi
    rm -rf "$dir"
    return "$rc"
}

main() {
    local files=() f out rc=0 passed failed
    [ -d "$TREE/.git" ] || die "no build/xen (make tree)"
    if [ "${1:-}" = --self-test ]; then
        out=$(self_test) || rc=1
    else
        if [ $# -gt 0 ]; then
            files=("$@")
        else
            for f in "${DEFAULT_FILES[@]}"; do
                # shellcheck disable=SC2206 # the entries are globs
                files+=("$TREE"/$f)
            done
        fi
        out=$(check_files "${files[@]}") || rc=1
    fi
    echo "$out"
    passed=$(grep -c '^PASS' <<<"$out" || true)
    failed=$(grep -c '^FAIL' <<<"$out" || true)
    echo "names: $passed passed, $failed failed"
    return "$rc"
}

main "$@"
