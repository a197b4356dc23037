#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-boot.sh: boot.sh's verdicts, without QEMU.
# A stand-in qemu-system-aarch64 on PATH replays recorded console logs, one
# per boot, so each case knows exactly what every boot printed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/selftests/host/ktap.sh"
logs=$here/logs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export B=$work/build
mkdir -p "$B/kernel/baseline/arch/arm64/boot" "$B/initramfs" "$work/bin"
touch "$B/kernel/baseline/arch/arm64/boot/Image" "$B/initramfs/baseline.cpio.gz"

# The stand-in prints $work/replay/N for its Nth call ("hang" sleeps).
cat > "$work/bin/qemu-system-aarch64" <<'QEMU'
#!/bin/bash
n=$(( $(cat "$REPLAY/calls" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$REPLAY/calls"
log=$REPLAY/$n
[ -e "$log" ] || { echo "stand-in qemu: no replay $n" >&2; exit 3; }
[ "$(cat "$log")" = hang ] && exec sleep 60
cat "$log"
QEMU
chmod +x "$work/bin/qemu-system-aarch64"
export PATH=$work/bin:$PATH REPLAY=$work/replay

# Console logs: a clean run, then the same run with splats spliced in
# before the runner's last line.
clean=$logs/clean.log
with() {	# with LOG...: the clean run with LOGs' lines spliced in
	head -n -3 "$clean"
	cat "$@"
	tail -n 3 "$clean"
}
with "$logs/kvm-bug-sysregs.log" "$logs/warning.log" > "$work/splat.log"
head -n 150 "$clean" > "$work/unfinished.log"
cat "$work/unfinished.log" "$logs/kvm-bug-sysregs.log" - > "$work/panic.log" <<'PANIC'
[   21.021766] Kernel panic - not syncing: Oops - BUG: Fatal exception
PANIC

status() {	# status KEY: a value from the run's status file
	sed -n "s/^$1=//p" "$B/runs/baseline-gicv3/status"
}
boot() {	# boot LOG...: replay LOGs, run boot.sh, return its exit status
	rm -rf "$REPLAY"
	mkdir -p "$REPLAY"
	local i=1 log
	for log; do
		if [ "$log" = hang ]; then echo hang > "$REPLAY/$i"; else cp "$log" "$REPLAY/$i"; fi
		i=$((i + 1))
	done
	JOBS=1 BOOT_TIMEOUT_OVERRIDE=${TIMEOUT:-20} "$top/selftests/host/boot.sh" baseline gicv3 \
		> "$work/out" 2>&1
}
run=$B/runs/baseline-gicv3

# Each case passes if boot.sh did the right thing; its output, in
# $work/out, is shown after a failure.
ktap_case "clean boot: one boot, verdict ok" t_clean
t_clean() {
	boot "$clean"
	[ $? -eq 0 ] && [ "$(status verdict)" = ok ] && cmp -s "$run/console.log" "$clean"
}

ktap_case "splat: one boot, verdict ok, the splat left for the report" t_splat
t_splat() {
	boot "$work/splat.log" "$clean"
	[ $? -eq 0 ] && [ "$(status verdict)" = ok ] && cmp -s "$run/console.log" "$work/splat.log" &&
		[ "$(cat "$REPLAY/calls")" = 1 ]
}

ktap_case "hang: killed, reported" t_hang
t_hang() {
	TIMEOUT=2 boot hang "$clean"
	[ $? -ne 0 ] && [ "$(status verdict)" = "hang: QEMU killed after 2s" ] &&
		grep -q 'error: baseline/gicv3: hang' "$work/out" && [ "$(cat "$REPLAY/calls")" = 1 ]
}

ktap_case "panic and unfinished runner: failures" t_panic
t_panic() {
	local rc1 v1 c1 rc2 v2
	boot "$work/panic.log" "$clean"
	rc1=$? v1=$(status verdict) c1=$(cat "$REPLAY/calls")
	boot "$work/unfinished.log" "$clean"
	rc2=$? v2=$(status verdict)
	[ "$rc1" -ne 0 ] && [ "$v1" = "kernel panic" ] && [ "$rc2" -ne 0 ] &&
		[ "$v2" = "the runner did not finish" ] && [ "$c1" = 1 ] && [ "$(cat "$REPLAY/calls")" = 1 ]
}

ktap_run_cases "$work/out"
