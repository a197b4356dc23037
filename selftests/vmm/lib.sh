# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared helpers of the VMM test (selftests/vmm/). Sourced, not run.
# On top of selftests/host/lib.sh; errors read "vmm: error: ...".

vmm_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$vmm_dir/../.." && pwd)
# shellcheck source=../host/lib.sh
. "$top/selftests/host/lib.sh"

die() {
	echo "vmm: error: $*" >&2
	exit 1
}

note() {
	echo "vmm: $*" >&2
}

# Runnable outside the Makefile too: the Makefile's defaults.
: "${B:=$top/build}" "${CACHE:=$HOME/.cache/vcpulock}"
: "${CROSS_COMPILE:=aarch64-linux-gnu-}" "${JOBS:=$(nproc)}"
: "${MACHINES:=$(all_machines)}"
# The VMM is arm64's QEMU: the arm64 machines of MACHINES
MACHINES=$(machines_of arm64)
export B CACHE CROSS_COMPILE JOBS MACHINES

# Where everything lives.
VMM_CACHE=$CACHE/vmm		# private apt state, .debs, the unpacked root
VMM_OUT=$B/vmm			# L2 kernel and initramfs, images, runs
# shellcheck disable=SC2034 # used by the scripts that source this
VMM_ROOT=$VMM_CACHE/root	# Debian's arm64 QEMU and its closure
# shellcheck disable=SC2034
VMM_QEMU_USER=$VMM_CACHE/host/usr/bin/qemu-aarch64-static

# vmm_gen_init_cpio: the kernel's usr/gen_init_cpio, built once; prints its path.
vmm_gen_init_cpio() {
	local gen=$VMM_OUT/host/gen_init_cpio src=$B/trees/baseline/usr/gen_init_cpio.c
	if [ ! -x "$gen" ]; then
		[ -f "$src" ] || die "no $src (run: make tree VARIANT=baseline)"
		mkdir -p "$VMM_OUT/host"
		gcc -O2 -o "$gen" "$src" || die "cannot build usr/gen_init_cpio"
	fi
	echo "$gen"
}

