#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh VARIANT MACHINE: the VMM test on one lockdep kernel and machine.
# Boots VARIANT's L1 kernel ($B/kernel/VARIANT) under QEMU TCG on MACHINE
# (selftests/machines/MACHINE) with the VMM root on a virtio-mmio disk and
# the VMM initramfs (runner + vmm-driver), with a host-side timeout. In L1,
# Debian's arm64 QEMU boots the L2 guest, migrates it through a file and
# back VMM_TRIPS (3) times, then resets it (see driver.c).
#
# Writes $B/vmm/VARIANT-MACHINE/{console.log,qemu.cmd,result.json}; exits
# non-zero, with one "vmm: error: ..." line and the last console lines,
# when anything failed.
#
# Environment: VMM_ROOT_FS=ext4|9p (how L1 gets the root; default ext4),
# VMM_BOOT_TIMEOUT (host side, seconds), VMM_FAULT=no-heartbeat|
# bad-migration|hang (exercise an error path), VMM_ARGS (more
# vcpulock_vmm.KEY=VALUE words for the driver), VMM_PREPARED=1 (skip the
# preparation: run-all.sh did it).
. "$(dirname "$0")/lib.sh"
variant=${1:?usage: run.sh VARIANT MACHINE}
machine=${2:?usage: run.sh VARIANT MACHINE}
check_variant "$variant"
load_machine "$machine"
rootfs=${VMM_ROOT_FS:-ext4}
image=$B/kernel/$variant/$KERNEL_IMAGE
[ -f "$image" ] || die "no $variant kernel at $image (run: make kernel VARIANT=$variant)"
command -v "$QEMU" >/dev/null || die "$QEMU not found (make deps)"

# The L1 kernel must have what the VMM needs: the fragment's VMM block.
frag=${FRAGMENT:-$top/selftests/configs/kvm-lockdep.config}
need=$(sed -n '/^# >>> vmm/,/^# <<< vmm/p' "$frag" | grep '^CONFIG_' || true)
[ -n "$need" ] || die "no '# >>> vmm' block in $frag"
for opt in $need; do
	grep -qxF "$opt" "$B/kernel/$variant/.config" ||
		die "the $variant kernel lacks $opt (the fragment has it: run make kernel VARIANT=$variant)"
done

if [ -z "${VMM_PREPARED:-}" ]; then
	"$vmm_dir/fetch-qemu.sh"
	"$vmm_dir/build-l2.sh"
fi
root=$("$vmm_dir/make-root.sh" "$rootfs")
initrd=$("$vmm_dir/make-initramfs.sh")
logscan=$(host_logscan)

run=$VMM_OUT/$variant-$machine${VMM_RUN_SUFFIX:-}
rm -rf "$run"
mkdir -p "$run"
timeout=${VMM_BOOT_TIMEOUT:-1800}
cmdline="$KERNEL_CMDLINE vcpulock_vmm.machine=$machine"
# shellcheck disable=SC2054 # the commas are QEMU option syntax
case "$rootfs" in
ext4)
	cmdline+=" vcpulock_vmm.root_fs=ext4 vcpulock_vmm.root_dev=/dev/vda"
	disk=(-drive "file=$root,if=none,format=raw,readonly=on,id=vmmroot"
	      -device virtio-blk-device,drive=vmmroot) ;;
9p)
	cmdline+=" vcpulock_vmm.root_fs=9p vcpulock_vmm.root_dev=vmmroot"
	disk=(-fsdev "local,id=vmmroot,path=$root,security_model=none,readonly=on"
	      -device virtio-9p-device,fsdev=vmmroot,mount_tag=vmmroot) ;;
*) die "VMM_ROOT_FS=$rootfs: want ext4 or 9p" ;;
esac
[ -z "${VMM_FAULT:-}" ] || cmdline+=" vcpulock_vmm.fault=$VMM_FAULT"
[ -z "${VMM_TRIPS:-}" ] || cmdline+=" vcpulock_vmm.trips=$VMM_TRIPS"
[ -z "${VMM_ARGS:-}" ] || cmdline+=" $VMM_ARGS"
# shellcheck disable=SC2206 # QEMU_OPTS is a list of words
qemu=("$QEMU" -M "$QEMU_MACHINE" -cpu "$QEMU_CPU" -smp "$QEMU_SMP"
      -m "$QEMU_MEM" $QEMU_OPTS -nographic -no-reboot -monitor none -serial stdio
      -kernel "$image" -initrd "$initrd" -append "$cmdline" "${disk[@]}")
printf '%q ' "${qemu[@]}" > "$run/qemu.cmd"
echo >> "$run/qemu.cmd"

start=$(date +%s)
rc=0
note "$variant/$machine: booting L1 ($DESCRIPTION, root over $rootfs, timeout ${timeout}s) ..."
timeout --foreground -k 10 "$timeout" "${qemu[@]}" < /dev/null > "$run/console.log" 2>&1 || rc=$?
secs=$(( $(date +%s) - start ))
note "$variant/$machine: L1 done in ${secs}s (QEMU status $rc)"

prc=0
python3 "$vmm_dir/parse.py" "$run/console.log" --variant "$variant" --machine "$machine" \
	--qemu-rc "$rc" --seconds "$secs" --timeout "$timeout" --root-fs "$rootfs" \
	--logscan "$logscan" --package-version "$(cat "$VMM_CACHE/qemu-version" 2>/dev/null || true)" \
	--json "$run/result.json" > "$run/verdict" || prc=$?
[ "$prc" -le 1 ] || die "$variant/$machine: cannot parse $run/console.log"
if [ "$prc" -ne 0 ]; then
	note "$variant/$machine: last console lines:"
	tail -n 30 "$run/console.log" | sed 's/\r$//; s/^/    | /' >&2
	die "$variant/$machine: $(cat "$run/verdict") (full log: $run/console.log)"
fi
note "$variant/$machine: $(cat "$run/verdict")"
