#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bad-input.sh [--no-boot] [CASE...]: the VMM test's error paths, each run
# for real and judged on what it printed: exactly one "vmm: error: ..."
# line saying the expected thing, a non-zero exit, and (where there is a
# console) the last console lines. Cases:
#
#   fetch          a package that cannot be fetched (VMM_PACKAGES=a name
#                  that is not in the archive)
#   closure        a library closure with a hole (libfdt.so.1 removed from
#                  a hard-linked copy of the root)
#   no-heartbeat   L2 that never beats (vmm_l2.hb=0), L1-side boot timeout
#   bad-migration  a truncated migration file: the incoming QEMU exits
#   hang-l1        L2's QEMU stopped with SIGSTOP: the L1-side step timeout
#   hang-host      the same with a long step timeout: the host-side timeout
#
# The last four boot patched on gicv3 (about a minute each); --no-boot
# leaves them out. Prints "ok N - CASE ..." / "not ok N - CASE ..." and
# ends with "bad-input: N passed, N failed". Sourced by run-all.sh, which
# numbers the lines in its own plan.
. "$(dirname "$0")/lib.sh"
faults=$VMM_OUT/faults

# expect_error CASE LOG RC REGEX [CONSOLE]: the verdict on one case.
expect_error() {
	local name=$1 log=$2 rc=$3 re=$4 console=${5:-} n
	n=$(grep -c '^vmm: error: ' "$log" || true)
	if [ "$rc" -eq 0 ]; then
		echo "exit status 0"
	elif [ "$n" -ne 1 ]; then
		echo "$n 'vmm: error:' lines, want 1"
	elif ! grep '^vmm: error: ' "$log" | grep -qE "$re"; then
		echo "the error line does not say /$re/: $(grep '^vmm: error: ' "$log")"
	elif [ -n "$console" ] && ! grep -q '^    | ' "$log"; then
		echo "no console lines quoted"
	else
		return 0
	fi
	return 1
}

case_fetch() {
	local log=$faults/fetch.log rc=0
	VMM_PACKAGES="qemu-system-arm vcpulock-no-such-package" \
		"$vmm_dir/fetch-qemu.sh" > "$log" 2>&1 || rc=$?
	expect_error fetch "$log" "$rc" "cannot fetch package.*vcpulock-no-such-package"
}

case_closure() {
	local log=$faults/closure.log rc=0 hole=$faults/hole-root
	rm -rf "$hole"
	cp -al "$VMM_ROOT" "$hole" 2>/dev/null || cp -a "$VMM_ROOT" "$hole"
	rm -f "$hole"/usr/lib/aarch64-linux-gnu/libfdt.so.1*
	"$vmm_dir/check-closure.sh" "$hole" > "$log" 2>&1 || rc=$?
	rm -rf "$hole"
	expect_error closure "$log" "$rc" "library closure has a hole: libfdt\.so\.1"
}

# boot_case NAME REGEX ENV...: run.sh patched gicv3 with ENV, expect REGEX.
boot_case() {
	local name=$1 re=$2 log=$faults/$1.log rc=0
	shift 2
	env "$@" VMM_PREPARED=1 VMM_RUN_SUFFIX="-fault-$name" \
		"$vmm_dir/run.sh" patched gicv3 > "$log" 2>&1 || rc=$?
	expect_error "$name" "$log" "$rc" "$re" console
}
case_no-heartbeat() {
	boot_case no-heartbeat "L2 never reached its heartbeat within 40s" \
		VMM_FAULT=no-heartbeat VMM_ARGS=vcpulock_vmm.boot_timeout=40
}
case_bad-migration() {
	boot_case bad-migration "trip 1: restore: .*QEMU 2 exited \(exit status 1\)" \
		VMM_FAULT=bad-migration
}
case_hang-l1() {
	boot_case hang-l1 "trip 1: stop: QEMU 1 did not answer .*stop.* within 20s \(hung\?\)" \
		VMM_FAULT=hang VMM_ARGS=vcpulock_vmm.step_timeout=20
}
case_hang-host() {
	boot_case hang-host "hang: the L1 QEMU was killed after 75s \(host-side timeout\)" \
		VMM_FAULT=hang VMM_ARGS=vcpulock_vmm.step_timeout=3000 VMM_BOOT_TIMEOUT=75
}

bad_input_cases() {	# bad_input_cases [--no-boot]: the names, in order
	echo fetch closure
	[ "${1:-}" = --no-boot ] || echo no-heartbeat bad-migration hang-l1 hang-host
}

# bad_input_run CASE: prints nothing on success, the reason on failure.
bad_input_run() {
	mkdir -p "$faults"
	"case_$1"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	noboot=
	[ "${1:-}" = --no-boot ] && { noboot=--no-boot; shift; }
	# shellcheck disable=SC2046
	[ "$#" -gt 0 ] || set -- $(bad_input_cases $noboot)
	pass=0 fail=0 i=0
	for c; do
		i=$((i + 1))
		start=$(date +%s)
		if why=$(bad_input_run "$c"); then
			echo "ok $i - $c ($(( $(date +%s) - start ))s)"
			pass=$((pass + 1))
		else
			echo "not ok $i - $c: $why (log: $faults/$c.log)"
			fail=$((fail + 1))
		fi
	done
	echo "bad-input: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
fi
