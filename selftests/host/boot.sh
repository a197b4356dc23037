#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh VARIANT MACHINE [NAME]: boot VARIANT's kernel with the initramfs
# $B/initramfs[/ARCH]/NAME.cpio.gz (NAME defaults to VARIANT) on MACHINE
# (selftests/machines/MACHINE) under QEMU TCG, with a host-side timeout.
# Writes $RUNS/NAME-MACHINE/{console.log,status} (RUNS defaults to $B/runs). Fails, with the last
# console lines, on a hang, a panic or a runner that did not finish.
. "$(dirname "$0")/lib.sh"
need_var B
variant=$1 machine=$2 name=${3:-$1}
check_variant "$variant"
load_machine "$machine"
image=$B/kernel$(arch_dir "$ARCH")/$variant/$KERNEL_IMAGE
initrd=$B/initramfs$(arch_dir "$ARCH")/$name.cpio.gz
[ -f "$image" ] || die "no $variant kernel at $image (run: make kernel VARIANT=$variant GUEST_ARCH=$ARCH)"
[ -f "$initrd" ] || die "no initramfs at $initrd (run: make initramfs VARIANT=$variant GUEST_ARCH=$ARCH)"

run=${RUNS:-$B/runs}/$name-$machine
rm -rf "$run"
mkdir -p "$run"
timeout=${BOOT_TIMEOUT_OVERRIDE:-$BOOT_TIMEOUT}
# ONLY=NAME[,NAME...]: run only those tests of the plan (the runner's vcpulock.only=)
cmdline="$KERNEL_CMDLINE${ONLY:+ vcpulock.only=$ONLY} ${EXTRA_CMDLINE:-}"
# QEMU_BIN= and QEMU_EXTRA= swap the emulator and add options, for
# experiments (docs/known-splat-sysregs.md).
QEMU=${QEMU_BIN:-$QEMU}
command -v "$QEMU" >/dev/null || die "$QEMU not found (make deps)"
# shellcheck disable=SC2206 # QEMU_OPTS and QEMU_EXTRA are lists of words
qemu=("$QEMU" -M "$QEMU_MACHINE" -cpu "$QEMU_CPU" -smp "$QEMU_SMP"
      -m "$QEMU_MEM" $QEMU_OPTS ${QEMU_EXTRA:-} -nographic -no-reboot -monitor none -serial stdio
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
