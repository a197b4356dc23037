#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-boot.sh: boot.sh's verdicts and its known-splat retry, without QEMU.
# A stand-in qemu-system-aarch64 on PATH replays recorded console logs, one
# per boot, so each case knows exactly what every attempt printed.
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
with "$logs/kvm-bug-sysregs.log" > "$work/known.log"
with "$logs/warning.log" > "$work/unknown.log"
with "$logs/kvm-bug-sysregs.log" "$logs/warning.log" > "$work/mixed.log"
head -n 150 "$clean" > "$work/unfinished.log"
# A known splat does not make a panic worth repeating.
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

names=()
cases=()
add() {	# add NAME FN: a case; FN passes if boot.sh did the right thing
	names+=("$1")
	cases+=("$2")
}

add "clean boot: one attempt, verdict ok" t_clean
t_clean() {
	boot "$clean"
	[ $? -eq 0 ] && [ "$(status attempts)" = 1 ] && [ "$(status verdict)" = ok ] &&
		[ ! -e "$run/retries" ] && cmp -s "$run/console.log" "$clean"
}

add "known upstream splat: booted again, first log and reason kept" t_known
t_known() {
	boot "$work/known.log" "$clean"
	[ $? -eq 0 ] && [ "$(status attempts)" = 2 ] && cmp -s "$run/console.log" "$clean" &&
		cmp -s "$run/console.attempt1.log" "$work/known.log" &&
		[ "$(wc -l < "$run/retries")" -eq 1 ] && grep -q '^attempt 1: .*kvm_vcpu_load_debug' "$run/retries"
}

add "known splat every time: stops after the retries, keeps the splat for the report" t_known_always
t_known_always() {
	KNOWN_SPLAT_RETRIES=2 boot "$work/known.log" "$work/known.log" "$work/known.log" "$clean"
	[ $? -eq 0 ] && [ "$(status attempts)" = 3 ] && cmp -s "$run/console.log" "$work/known.log" &&
		[ "$(cat "$REPLAY/calls")" = 3 ]
}

add "unknown splat: never booted again" t_unknown
t_unknown() {
	boot "$work/unknown.log" "$clean"
	[ $? -eq 0 ] && [ "$(status attempts)" = 1 ] && cmp -s "$run/console.log" "$work/unknown.log" &&
		[ ! -e "$run/retries" ]
}

add "known and unknown splat together: never booted again" t_mixed
t_mixed() {
	boot "$work/mixed.log" "$clean"
	[ $? -eq 0 ] && [ "$(status attempts)" = 1 ] && [ ! -e "$run/retries" ]
}

add "hang: killed, reported, not booted again" t_hang
t_hang() {
	TIMEOUT=2 boot hang "$clean"
	[ $? -ne 0 ] && [ "$(status verdict)" = "hang: QEMU killed after 2s" ] &&
		grep -q 'error: baseline/gicv3: hang' "$work/out" && [ "$(cat "$REPLAY/calls")" = 1 ]
}

add "panic and unfinished runner: failures, not booted again" t_panic
t_panic() {
	local rc1 v1 c1 rc2 v2
	boot "$work/panic.log" "$clean"
	rc1=$? v1=$(status verdict) c1=$(cat "$REPLAY/calls")
	boot "$work/unfinished.log" "$clean"
	rc2=$? v2=$(status verdict)
	[ "$rc1" -ne 0 ] && [ "$v1" = "kernel panic" ] && [ "$rc2" -ne 0 ] &&
		[ "$v2" = "the runner did not finish" ] && [ "$c1" = 1 ] && [ "$(cat "$REPLAY/calls")" = 1 ]
}

ktap_print_header
ktap_set_plan "${#names[@]}"
for i in "${!names[@]}"; do
	if ${cases[$i]}; then
		ktap_test_pass "${names[$i]}"
	else
		ktap_test_fail "${names[$i]}"
		sed 's/^/# /' "$work/out" | tail -n 15
	fi
done
ktap_finished
