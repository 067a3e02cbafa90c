# Patch queue for NUMA claim sets in Xen 4.17 (and, in master/, the same
# on upstream master). The real work is done by scripts/; `make help`
# lists the targets, TESTING.md says what each one does. SERIES=master
# makes tree, export, export-check, build and boot work on the master
# series.

SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help deps tree export export-check build build-hv build-tools \
        initramfs boot check master-check unit selftest demo fuzz bench series-check cppcheck docs docs-check stress pipeline post clean

help:
	@echo "make demo          a claim on a node, then two boot storms, on a 4-node host: host-wide claims, then claim sets"
	@echo "make check         all tests from nothing (ends with 'N passed, N failed, N skipped')"
	@echo "make tree          build/xen = pinned base + patches/series"
	@echo "make export        build/xen's commits -> patches/"
	@echo "                   SERIES=master: the same for master/ (build/master/xen,"
	@echo "                   master/patches; make tree also needs XEN_GIT=/path/to/xen.git)"
	@echo "make master-check XEN_GIT=/path/to/xen.git   the master series: build, harness, boots"
	@echo "make export-check  fail if build/xen holds work patches/ does not"
	@echo "make build         hypervisor (debug and release) and tools"
	@echo "make unit          tests that need no QEMU (claims harness included)"
	@echo "make fuzz          the claims fuzzer for FUZZ_SECONDS (600)"
	@echo "make bench         figures of record: storms (3+3 runs) and callgrind, build/bench/"
	@echo "make stress        claim sets under load on 4 nodes for STRESS_SECONDS (600)"
	@echo "make series-check  hygiene, style, cppcheck; hypervisor (and tools) at every patch"
	@echo "make docs          Sphinx HTML of build/xen/docs -> build/docs/html (diagrams offline)"
	@echo "make docs-check    make docs, then check in headless Chromium that the diagrams draw"
	@echo "make cppcheck      no new cppcheck finding in the hypervisor files the series changes"
	@echo "make post          the series as mailed: numbered, diffstat, To/Cc, into build/post (SERIES=master: build/master/post); nothing is sent"
	@echo "make pipeline      .gitlab-ci.yml run here, job by job (gitlab-ci-local, shell executor)"
	@echo "make boot BOOT=2node [SCENARIOS=...]   one QEMU boot of tests/boots/BOOT.conf"

deps:
	@bash scripts/deps.sh

tree:
	@bash scripts/tree.sh

export:
	@bash scripts/export.sh

export-check:
	@bash scripts/export-check.sh

build: tree
	@bash scripts/build.sh

build-hv: tree
	@bash scripts/build.sh hv-debug hv-release

build-tools: tree
	@bash scripts/build.sh tools

initramfs:
	@bash scripts/initramfs.sh

BOOT ?= 2node
boot: initramfs
	@bash scripts/qemu-run.sh $(BOOT)

check:
	@bash scripts/check.sh

# The second series, on upstream master; prints SKIP without XEN_GIT.
master-check:
	@bash scripts/master-check.sh

unit: tree
	@bash scripts/unit.sh

selftest:
	@bash scripts/selftest.sh

# Options for demo: ARGS="--nodes N --node-mb MB --no-build".
demo:
	@bash scripts/demo.sh $(ARGS)

# Claim sets under load for STRESS_SECONDS (600) with STRESS_WORKERS (3);
# ARGS="--no-build" uses what is built.
stress:
	@bash scripts/stress.sh $(ARGS)

# The claims harness's fuzzer for FUZZ_SECONDS (default 600).
fuzz: tree
	@bash scripts/deps.sh
	@bash scripts/build.sh configure
	@$(MAKE) -s -C build/xen/tools/tests/claims fuzz $(if $(FUZZ_SECONDS),FUZZ_SECONDS=$(FUZZ_SECONDS))

# Options for bench: ARGS="--no-build".
bench: tree
	@bash scripts/bench.sh $(ARGS)

docs: tree
	@bash scripts/docs.sh

docs-check: tree
	@bash scripts/docs-check.sh

pipeline:
	@bash scripts/pipeline.sh

cppcheck: tree
	@bash scripts/cppcheck.sh

series-check: tree
	@bash scripts/series-check.sh

post: tree
	@bash scripts/post.sh

clean:
	rm -rf build/qemu build/dom0 build/progs build/hv-debug build/hv-release
