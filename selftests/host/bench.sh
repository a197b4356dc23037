#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: the benchmark (selftests/tools/vgic_lock_bench) on every
# variant of BENCH_VARIANTS (default baseline v1 patched) and every arm64
# machine of MACHINES (the vGIC ones), in one run, then bench_report.py per machine into $B/bench/MACHINE/.
# The kernels and selftests are built as for the A/B job; the boots use
# their own initramfs (bench-VARIANT) and run directory ($B/bench/runs), so
# the A/B results stay as they were. Ends with "bench: N passed, N failed,
# N skipped".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ktap.sh"
need_var B MACHINES
MACHINES=$(machines_of arm64)
[ -n "$MACHINES" ] || die "no arm64 machine in MACHINES: the benchmark needs a vGIC"
host=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$host/../.." && pwd)
variants=${BENCH_VARIANTS:-baseline v1 patched}
plan=$top/selftests/configs/bench.list
export RUNS=$B/bench/runs
command=${BENCH_COMMAND:-make bench}
mkdir -p "$RUNS"

"$host/fetch-source.sh"
for v in $variants; do
	"$host/make-tree.sh" "$v"
	"$host/build-kernel.sh" "$v"
done
for v in patched $(printf '%s\n' $variants | grep -vx patched); do
	"$host/build-selftests.sh" "$v"
	PLAN=$plan "$host/make-initramfs.sh" "$v" "bench-$v"
done

# Per machine: one boot per variant, then its goals.
# shellcheck disable=SC2206 # MACHINES and the variants are lists of words
machines=($MACHINES) bench_variants=($variants)
ktap_print_header
ktap_set_plan $(( ${#machines[@]} * (${#bench_variants[@]} + 1) ))
for m in "${machines[@]}"; do
	inputs=()
	for v in "${bench_variants[@]}"; do
		if "$host/boot.sh" "$v" "$m" "bench-$v"; then
			ktap_test_pass "boot $v on $m"
			inputs+=("$v=$RUNS/bench-$v-$m/console.log")
		else
			ktap_test_fail "boot $v on $m"
		fi
	done
	if python3 "$top/selftests/tools/bench_report.py" "${inputs[@]}" "$B/bench/$m" \
		--command "$command"; then
		ktap_test_pass "goals on $m ($B/bench/$m/bench.md)"
	else
		ktap_test_fail "goals on $m ($B/bench/$m/bench.md)"
	fi
done
ktap_finished
