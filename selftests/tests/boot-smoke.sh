#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot-smoke.sh IMAGE [LOG]: boot IMAGE under QEMU TCG with the runner as
# /init and the smoke stand-in tests, to check the runner end to end.
# MACHINE= picks the machine record (selftests/machines/, default gicv3),
# APPEND= adds kernel parameters, TESTS= replaces the test list.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../host/lib.sh"
load_machine "${MACHINE:-gicv3}"
image=${1:?usage: boot-smoke.sh IMAGE [LOG]}
log=${2:-/dev/null}
work=$(mktemp -d /tmp/vcpulock-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT

make -s -C "$here/../runner" O="$work/out" all smoke

root=$work/root
mkdir -p "$root/bin" "$root/etc/vcpulock"
cp "$work/out/init" "$root/init"
cp "$work/out/smoke" "$root/bin/smoke"
if [ -n "${TESTS:-}" ]; then
	cp "$TESTS" "$root/etc/vcpulock/tests"
else
	cat > "$root/etc/vcpulock/tests" <<'LIST'
# NAME		TIMEOUT	PATH [ARGS...]
kvm_smoke	120	/bin/smoke kvm
pass		30	/bin/smoke pass 2000
skip		30	/bin/smoke skip
fail		30	/bin/smoke exit 1
segv		30	/bin/smoke signal 11
timeout		3	/bin/smoke sleep 60	# must be killed
LIST
fi
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) \
	> "$work/initramfs.cpio.gz"

# shellcheck disable=SC2086 # QEMU_OPTS is a list of words
timeout "${TIMEOUT:-300}" "$QEMU" -M "$QEMU_MACHINE" -cpu "$QEMU_CPU" \
	-smp "$QEMU_SMP" -m "$QEMU_MEM" $QEMU_OPTS -nographic -no-reboot \
	-kernel "$image" -initrd "$work/initramfs.cpio.gz" \
	-append "$KERNEL_CMDLINE ${APPEND:-}" </dev/null | tee "$log"
