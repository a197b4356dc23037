# SPDX-License-Identifier: GPL-2.0
# vcpulock: KVM/arm64 vCPU locking workbench. `make help` lists the targets.

SHELL        := /bin/bash
TOP          := $(CURDIR)
B            ?= $(TOP)/build
CACHE        ?= $(HOME)/.cache/vcpulock
PATCHES      ?= $(TOP)/patches
FRAGMENT     ?= $(TOP)/selftests/configs/kvm-lockdep.config
CROSS_COMPILE ?= aarch64-linux-gnu-
JOBS         ?= $(shell nproc)
VARIANT      ?= patched
MACHINE      ?= gicv3
KSRC         ?=

SRCPKG       := linux-source-7.3
SRCVER       := 7.3.4-1~bpo13+1
SRCSUITE     := trixie-backports

HOST         := $(TOP)/selftests/host
export B CACHE PATCHES FRAGMENT CROSS_COMPILE JOBS KSRC SRCPKG SRCVER SRCSUITE

.PHONY: all help deps source tree kernel

all: deps
	$(HOST)/run-all.sh

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## deps      check the host tools; as root, apt-get install what is missing
deps:
	@$(HOST)/deps.sh

## source    fetch Debian's linux-source-7.3 (or use KSRC=) into the base git tree
source:
	@$(HOST)/fetch-source.sh

## tree      check out VARIANT's tree (baseline, or patched = base + patches/)
tree: source
	@$(HOST)/make-tree.sh $(VARIANT)

## kernel    build VARIANT's arm64 lockdep kernel
kernel:
	@$(HOST)/build-kernel.sh $(VARIANT)
