# SPDX-License-Identifier: GPL-2.0
# vcpulock: a KVM/arm64 vCPU locking workbench. `make help` lists the targets
# and the variables.

SHELL         := /bin/bash
TOP           := $(CURDIR)

## Variables (default):
##   B=build                    where every step writes
B             ?= $(TOP)/build
##   CACHE=~/.cache/vcpulock    the source download and base tree (survive `make clean`)
CACHE         ?= $(HOME)/.cache/vcpulock
##   KSRC=                      your own Linux git tree instead of Debian's linux-source-7.3
KSRC          ?=
##   KBASE=HEAD                 the base commit in KSRC
KBASE         ?=
##   PATCHES=patches            the series applied to make the patched variant
PATCHES       ?= $(TOP)/patches
##   VARIANTS="baseline patched"  the kernels the A/B job builds and boots (v1 may be added)
VARIANTS      ?= baseline patched
##   VARIANT=patched            the variant of the one-step targets
VARIANT       ?= patched
##   MACHINES="gicv3 gicv2 riscv-aia"  the machines of selftests/machines/ the job boots
MACHINES      ?= gicv3 gicv2 riscv-aia
##   MACHINE=gicv3              the machine of `make boot`
MACHINE       ?= gicv3
##   GUEST_ARCH=arm64           the architecture of `make kernel/selftests/initramfs` (riscv: riscv-aia's)
GUEST_ARCH    ?= arm64
##   PLAN=selftests/configs/tests.list  the tests every boot runs
PLAN          ?= $(TOP)/selftests/configs/tests.list
##   ONLY=                      run only these tests of the plan (NAME[,NAME...])
ONLY          ?=
##   JOBS=$(nproc)              make -j for the builds
JOBS          ?= $(shell nproc)
##   BOOT_JOBS=2                boots (variant, machine) run at once
BOOT_JOBS     ?= 2
##   BOOT_TIMEOUT_OVERRIDE=     host-side QEMU timeout in seconds (default: the machine's)
BOOT_TIMEOUT_OVERRIDE ?=
##   EXTRA_CMDLINE=             more guest kernel parameters
EXTRA_CMDLINE ?=
##   BENCH_VARIANTS="baseline v1 patched"  the kernels `make bench` compares
BENCH_VARIANTS ?= baseline v1 patched
##   SPATCH=spatch              the Coccinelle binary
SPATCH        ?= spatch
##   AUTHOR=                    "Name <mail>" for `make series-export`
AUTHOR        ?=

##   FRAGMENT=selftests/configs/kvm-lockdep.config  the arm64 kernels' kconfig fragment
FRAGMENT      ?= $(TOP)/selftests/configs/kvm-lockdep.config
##   CROSS_COMPILE=aarch64-linux-gnu-  the arm64 cross compiler prefix
CROSS_COMPILE ?= aarch64-linux-gnu-
##   FRESH_ROOT=                1: `make test` also runs the fresh-root check (as .ci/run does)

# The default kernel: Debian's linux-source-7.3 from trixie-backports.
SRCPKG        := linux-source-7.3
SRCVER        := 7.3.4-1~bpo13+1
SRCSUITE      := trixie-backports

HOST          := $(TOP)/selftests/host
export B CACHE KSRC KBASE PATCHES VARIANTS MACHINES GUEST_ARCH PLAN ONLY JOBS BOOT_JOBS \
       BOOT_TIMEOUT_OVERRIDE EXTRA_CMDLINE BENCH_VARIANTS \
       SPATCH FRAGMENT CROSS_COMPILE SRCPKG SRCVER SRCSUITE

.PHONY: all help deps source tree trees kernel selftests initramfs boot \
        report ab results audit check test checkpatch bisect-check cross-check \
        bench vmm fresh-root series-export clean

## Targets:
##   all           (default) the whole job: deps, A/B run on every machine, audit
all: deps
	@$(HOST)/run-all.sh
	@$(TOP)/cocci/run.sh audit-compare $(B)/trees/baseline $(B)/trees/patched \
		--json $(B)/audit.json

help:
	@sed -n 's/^## \{0,1\}//p' $(MAKEFILE_LIST)

##   deps          check host tools; as root, apt-get install the missing ones
deps:
	@$(HOST)/deps.sh

##   source        fetch Debian's linux-source-7.3 (or use KSRC=) as the base git tree
source:
	@$(HOST)/fetch-source.sh

##   tree          check out VARIANT's tree (base + git am of its patches; kept if unchanged)
tree: source
	@$(HOST)/make-tree.sh $(VARIANT)

##   trees         check out the tree of every variant in VARIANTS
trees: source
	@for v in $(VARIANTS); do $(HOST)/make-tree.sh $$v || exit 1; done

##   kernel        build VARIANT's lockdep kernel for GUEST_ARCH (needs: tree)
kernel:
	@$(HOST)/build-kernel.sh $(VARIANT)

##   selftests     build VARIANT's KVM selftests, runner and tools (needs: tree)
selftests:
	@$(HOST)/build-selftests.sh $(VARIANT)

##   initramfs     pack VARIANT's initramfs with the tests of PLAN (needs: selftests)
initramfs:
	@$(HOST)/make-initramfs.sh $(VARIANT)

##   boot          boot VARIANT on MACHINE and run the plan (needs: kernel, initramfs)
boot:
	@$(HOST)/boot.sh $(VARIANT) $(MACHINE)

##   report        the A/B table and verdict over the boots in $(B)/runs
report:
	@$(HOST)/report.sh

##   ab            the A/B run alone (what `all` does, without deps and audit)
ab:
	@$(HOST)/run-all.sh

##   bench         the benchmark on BENCH_VARIANTS, every arm64 machine, goals in $(B)/bench/
bench:
	@$(HOST)/bench.sh

##   results       copy the last run's figures into docs/results/ (to commit)
results:
	@$(HOST)/save-results.sh $(TOP)/docs/results

##   audit         the cocci audit of the lock-all API, baseline beside patched
audit:
	@$(TOP)/cocci/run.sh audit-compare $(B)/trees/baseline $(B)/trees/patched \
		--json $(B)/audit.json

##   check         the workbench's own tests (runner, log scanner, parsers, cocci)
check:
	@$(HOST)/test.sh check

##   checkpatch    scripts/checkpatch.pl --strict on every patch
checkpatch:
	@$(HOST)/checkpatch.sh

##   bisect-check  build arm64 after every patch of the series
bisect-check:
	@$(HOST)/bisect-check.sh

##   cross-check   compile the lock-all users on x86_64 (SEV, TDX) and riscv (AIA)
cross-check:
	@$(HOST)/cross-check.sh

##   series-export the series re-authored for AUTHOR, on KSRC/KBASE, into $(B)/export
series-export:
	@$(HOST)/series-export.sh

##   vmm           Debian's arm64 QEMU in the lockdep guest migrates an L2 3x and resets it (both variants, machines)
vmm: deps
	@$(TOP)/selftests/vmm/run-all.sh

##   fresh-root    make deps and a smoke boot in a new bookworm minbase root (as root; needs: kernel, selftests)
fresh-root:
	@$(HOST)/fresh-root.sh

##   test          own tests, then the full A/B job and every check; ends with "N passed, N failed, N skipped"
test: deps
	@$(HOST)/test.sh all

##   clean         remove build/ (the source cache in $(CACHE) stays)
clean:
	@if [ -f $(B)/base-repo ]; then git -C "$$(cat $(B)/base-repo)" worktree prune; fi
	rm -rf $(B)
