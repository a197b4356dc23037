#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-initramfs.sh: the L1 guest's initramfs for the VMM test: the runner
# (selftests/runner, our /init: KTAP, kernel log scan, debug_locks) with a
# plan of one test, the VMM driver. The same for both variants and both
# machines: the machine and any fault come on the kernel command line
# (vcpulock_vmm.KEY=VALUE). Prints $B/vmm/initramfs.cpio.gz.
. "$(dirname "$0")/lib.sh"
out=$VMM_OUT
bin=$out/bin
mkdir -p "$out"
make -s -C "$top/selftests/runner" O="$out/runner" CROSS_COMPILE="$CROSS_COMPILE" \
	"$out/runner/init" >&2 || die "cannot build the runner"
make -s -C "$vmm_dir" O="$bin" CROSS_COMPILE="$CROSS_COMPILE" "$bin/vmm-driver" >&2 ||
	die "cannot build the VMM driver"
# The runner's own deadline for the driver, past every L1-side step timeout.
echo "vmm ${VMM_DRIVER_TIMEOUT:-1500} /vmm-driver" > "$out/initramfs.tests"
gen=$(vmm_gen_init_cpio)
cat > "$out/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
dir /etc 0755 0 0
dir /etc/vcpulock 0755 0 0
file /init $out/runner/init 0755 0 0
file /etc/vcpulock/tests $out/initramfs.tests 0644 0 0
file /vmm-driver $bin/vmm-driver 0755 0 0
LIST
"$gen" "$out/initramfs.list" | gzip -n > "$out/initramfs.cpio.gz" ||
	die "gen_init_cpio failed for $out/initramfs.list"
echo "$out/initramfs.cpio.gz"
