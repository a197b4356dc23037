# SPDX-License-Identifier: GPL-2.0
# vcpulock: a KVM/arm64 vCPU locking workbench. `make help` lists the targets.

SHELL         := /bin/bash
TOP           := $(CURDIR)
B             ?= $(TOP)/build
CACHE         ?= $(HOME)/.cache/vcpulock
PATCHES       ?= $(TOP)/patches
FRAGMENT      ?= $(TOP)/selftests/configs/kvm-lockdep.config
CROSS_COMPILE ?= aarch64-linux-gnu-
JOBS          ?= $(shell nproc)
VARIANT       ?= patched
MACHINE       ?= gicv3
MACHINES      ?= gicv3 gicv2
KSRC          ?=
KBASE         ?=
PLAN          ?= $(TOP)/selftests/configs/tests.list

# The default kernel: Debian's linux-source-7.3 from trixie-backports.
SRCPKG        := linux-source-7.3
SRCVER        := 7.3.4-1~bpo13+1
SRCSUITE      := trixie-backports

HOST          := $(TOP)/selftests/host
export B CACHE PATCHES FRAGMENT CROSS_COMPILE JOBS KSRC KBASE MACHINES PLAN \
       SRCPKG SRCVER SRCSUITE

.PHONY: all help deps source tree trees kernel selftests initramfs boot \
        report ab results audit check test checkpatch bisect-check cross-check clean

## all           (default) the whole job: deps, A/B run on every machine, audit
all: deps
	@$(HOST)/run-all.sh
	@$(TOP)/cocci/run.sh audit-compare $(B)/trees/baseline $(B)/trees/patched \
		--json $(B)/audit.json

help:
	@echo "vcpulock targets (variables: VARIANT=baseline|patched MACHINE=gicv3|gicv2 KSRC=/path/to/linux):"
	@sed -n 's/^## /  /p' $(MAKEFILE_LIST)

## deps          check host tools; as root, apt-get install the missing ones
deps:
	@$(HOST)/deps.sh

## source        fetch Debian's linux-source-7.3 (or use KSRC=) as the base git tree
source:
	@$(HOST)/fetch-source.sh

## tree          check out VARIANT's tree (patched = base + git am patches/)
tree: source
	@$(HOST)/make-tree.sh $(VARIANT)

## trees         check out both trees
trees: source
	@$(HOST)/make-tree.sh baseline
	@$(HOST)/make-tree.sh patched

## kernel        build VARIANT's arm64 lockdep kernel (needs: tree)
kernel:
	@$(HOST)/build-kernel.sh $(VARIANT)

## selftests     build VARIANT's KVM selftests, runner and tools (needs: tree)
selftests:
	@$(HOST)/build-selftests.sh $(VARIANT)

## initramfs     pack VARIANT's initramfs (needs: selftests)
initramfs:
	@$(HOST)/make-initramfs.sh $(VARIANT)

## boot          boot VARIANT on MACHINE and run the tests (needs: kernel, initramfs)
boot:
	@$(HOST)/boot.sh $(VARIANT) $(MACHINE)

## report        the A/B table and verdict over the boots in build/runs
report:
	@$(HOST)/report.sh

## ab            the A/B run alone (what `all` does, without deps and audit)
ab:
	@$(HOST)/run-all.sh

## results       copy the last run's figures into docs/results/ (to commit)
results:
	@$(HOST)/save-results.sh $(TOP)/docs/results

## audit         the cocci audit of the lock-all API, baseline beside patched
audit:
	@$(TOP)/cocci/run.sh audit-compare $(B)/trees/baseline $(B)/trees/patched \
		--json $(B)/audit.json

## check         the workbench's own tests (runner, log scanner, parsers, cocci)
check:
	@$(HOST)/test.sh check

## checkpatch    scripts/checkpatch.pl --strict on every patch
checkpatch:
	@$(HOST)/checkpatch.sh

## bisect-check  build arm64 after every patch of the series
bisect-check:
	@$(HOST)/bisect-check.sh

## cross-check   compile the lock-all users on x86_64 (SEV, TDX) and riscv (AIA)
cross-check:
	@$(HOST)/cross-check.sh

## test          own tests, then the full A/B job; ends with "N passed, N failed"
test: deps
	@$(HOST)/test.sh all

## clean         remove build/ (the source cache in $(CACHE) stays)
clean:
	@if [ -f $(B)/base-repo ]; then git -C "$$(cat $(B)/base-repo)" worktree prune; fi
	rm -rf $(B)
