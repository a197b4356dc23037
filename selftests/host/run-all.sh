#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-all.sh: the whole A/B job. Source -> trees -> kernels -> selftests ->
# initramfs (for each architecture of MACHINES) -> boots (every variant on
# every machine) -> report. A boot that
# fails is reported and the other boots still run; the report decides.
# VARIANTS (default "baseline patched") may add v1; BOOT_JOBS (default 2)
# boots that many (variant, machine) pairs at once. Trees, kernels and
# UAPI headers whose inputs did not change are kept (make-tree.sh,
# build-kernel.sh, build-selftests.sh).
. "$(dirname "$0")/lib.sh"
need_var B MACHINES
host=$(dirname "$0")
variants=${VARIANTS:-baseline patched}
jobs=${BOOT_JOBS:-2}
for v in baseline patched; do
	printf '%s\n' $variants | grep -qx "$v" ||
		die "VARIANTS='$variants' lacks $v: the job compares patched with baseline"
done
for v in $variants; do
	check_variant "$v"
done
start=$(date +%s)
mkdir -p "$B"
: > "$B/timings.log"

# ONLY= runs some tests of the plan: boot only the machines whose plan has one.
if [ -n "${ONLY:-}" ]; then
	kept=
	for m in $MACHINES; do
		plan=$(plan_of "$(machine_arch "$m")")
		if tr ',' '\n' <<< "$ONLY" | grep -qxFf - <(awk '!/^#/ && NF { print $1 }' "$plan"); then
			kept="$kept $m"
		else
			note "ONLY=$ONLY: no such test in the plan of $m; not booting it"
		fi
	done
	MACHINES=${kept# }
	[ -n "$MACHINES" ] || die "ONLY=$ONLY: no machine's plan has any of these tests"
	export MACHINES
fi
# The architectures of the machines, in their order
arches=$(for m in $MACHINES; do machine_arch "$m"; done | awk '!seen[$0]++')

"$host/fetch-source.sh"
for v in $variants; do
	"$host/make-tree.sh" "$v"
done
for a in $arches; do
	for v in $variants; do
		GUEST_ARCH=$a "$host/build-kernel.sh" "$v"
	done
	# Patched first: baseline borrows the tests the series adds.
	for v in patched $(printf '%s\n' $variants | grep -vx patched); do
		GUEST_ARCH=$a "$host/build-selftests.sh" "$v"
	done
	for v in $variants; do
		GUEST_ARCH=$a "$host/make-initramfs.sh" "$v"
	done
done

# Each QEMU is one process per vCPU thread, and the plans are mostly
# single-vCPU tests: boot up to $jobs (variant, machine) pairs at once.
boot_one() {
	"$host/boot.sh" "$1" "$2" || note "$1/$2: boot failed; continuing with the others"
}
running=0
for v in $variants; do
	for m in $MACHINES; do
		if [ "$running" -ge "$jobs" ]; then
			wait -n || true
			running=$((running - 1))
		fi
		boot_one "$v" "$m" &
		running=$((running + 1))
	done
done
wait

note "whole job so far: $(( $(date +%s) - start ))s; the steps (from $B/timings.log):"
sort -rn "$B/timings.log" | head -n 12 | sed 's/^/    /' >&2
"$host/report.sh"
