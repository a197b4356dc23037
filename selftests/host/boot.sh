#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh VARIANT MACHINE: boot VARIANT's kernel and initramfs on MACHINE
# (selftests/machines/MACHINE) under QEMU TCG, with a host-side timeout.
# Writes $B/runs/VARIANT-MACHINE/{console.log,status}. Fails, with the last
# console lines, on a hang, a panic or a runner that did not finish.
. "$(dirname "$0")/lib.sh"
need_var B
variant=$1 machine=$2
check_variant "$variant"
top=$(cd "$(dirname "$0")/../.." && pwd)
mfile=$top/selftests/machines/$machine
[ -f "$mfile" ] || die "unknown MACHINE '$machine' (have: $(ls "$top/selftests/machines" | tr '\n' ' '))"
# shellcheck source=/dev/null
. "$mfile"
image=$B/kernel/$variant/arch/arm64/boot/Image
initrd=$B/initramfs/$variant.cpio.gz
[ -f "$image" ] || die "no $variant kernel at $image (run: make kernel VARIANT=$variant)"
[ -f "$initrd" ] || die "no $variant initramfs at $initrd (run: make initramfs VARIANT=$variant)"
command -v qemu-system-aarch64 >/dev/null || die "qemu-system-aarch64 not found (make deps)"

run=$B/runs/$variant-$machine
rm -rf "$run"
mkdir -p "$run"
timeout=${BOOT_TIMEOUT_OVERRIDE:-$BOOT_TIMEOUT}
cmdline="console=ttyAMA0 panic=-1 loglevel=7 hugepagesz=2M hugepages=64 hugepagesz=1G hugepages=1 ${EXTRA_CMDLINE:-}"
qemu=(qemu-system-aarch64 -M "$QEMU_MACHINE" -cpu "$QEMU_CPU" -smp "$QEMU_SMP"
      -m "$QEMU_MEM" -nographic -no-reboot -monitor none -serial stdio
      -kernel "$image" -initrd "$initrd" -append "$cmdline")
printf '%q ' "${qemu[@]}" > "$run/qemu.cmd"
echo >> "$run/qemu.cmd"

boot() {
	timeout --foreground -k 10 "$timeout" "${qemu[@]}" < /dev/null > "$run/console.log" 2>&1
}
start=$(date +%s)
rc=0
step "boot $variant on $machine ($DESCRIPTION, timeout ${timeout}s)" boot || rc=$?
secs=$(( $(date +%s) - start ))

verdict=ok
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	verdict="hang: QEMU killed after ${timeout}s"
elif grep -qE '^\[ *[0-9.]+\] Kernel panic - not syncing' "$run/console.log"; then
	verdict="kernel panic"
elif [ "$rc" -ne 0 ]; then
	verdict="QEMU exited with status $rc"
elif ! grep -q '^# vcpulock: runner done' "$run/console.log"; then
	verdict="the runner did not finish"
fi
printf 'variant=%s\nmachine=%s\nqemu_rc=%s\nseconds=%s\nverdict=%s\n' \
	"$variant" "$machine" "$rc" "$secs" "$verdict" > "$run/status"

if [ "$verdict" != ok ]; then
	note "$variant/$machine: $verdict. Last console lines:"
	tail -n 25 "$run/console.log" | sed 's/^/    | /' >&2
	die "$variant/$machine: $verdict (full log: $run/console.log)"
fi
note "$variant/$machine: console log in $run/console.log"
