#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# save-results.sh DEST: copy the last run's figures from $B into DEST (the
# committed docs/results/), with the versions they were measured on. Every
# figure in docs/ comes from such a copy: the A/B report, the per-run
# status and timings, the ABI differential, the first-run race, the
# -EBUSY counts under contention, the
# benchmark ($B/bench, from `make bench`) and the VMM test ($B/vmm.json).
. "$(dirname "$0")/lib.sh"
need_var B MACHINES
host=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: save-results.sh DEST}
[ -f "$B/report.txt" ] || die "no report in $B (run: make ab)"
mkdir -p "$dest"

cp "$B/report.txt" "$dest/ab-report.txt"
[ ! -f "$B/timings.log" ] || sort -rn "$B/timings.log" > "$dest/steps.txt"
for run in "$B"/runs/*-*/; do
	run=${run%/}
	key=$(basename "$run")
	[ -f "$run/status" ] || continue
	cp "$run/status" "$dest/status-$key.txt"
done
for m in $MACHINES; do
	[ -f "$B/abi-$m.json" ] && python3 - "$B/abi-$m.json" > "$dest/abi-diff-$m.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("compared", "identical", "intended_total", "unintended_total"):
    print("%s: %s" % (k, d[k]))
print("goal_violations: %d" % len(d["goal_violations"]))
for label, groups in sorted(d["intended"].items()):
    for g, n in sorted(groups.items()):
        print("intended %s %s: %d" % (label, g, n))
PY
	if [ -d "$B/bench/$m" ]; then
		rm -rf "$dest/bench-$m"
		cp -r "$B/bench/$m" "$dest/bench-$m"
	fi
done
python3 "$host/first_run_table.py" "$B/runs" > "$dest/first-run.md" ||
	die "cannot tabulate the first-run race from $B/runs"
{
	echo "# -EBUSY under contention: every vCPU thread loops on KVM_GET_ONE_REG"
	echo
	echo "From arm64/vcpu_lock_contention (patch 13) and tools/aia_contention"
	echo "(riscv-aia), in the consoles of the run in PROVENANCE.md"
	echo "(\`selftests/host/contention_table.py build/runs\`)."
	echo
	python3 "$host/contention_table.py" "$B/runs" --machines "$MACHINES"
} > "$dest/contention.md" || die "cannot tabulate the contention counts from $B/runs"
[ ! -f "$B/vmm.json" ] || cp "$B/vmm.json" "$dest/vmm.json"

{
	echo "# Provenance"
	echo
	echo "Copied by \`selftests/host/save-results.sh\` from the run in \`$B\` on $(date -u +%F)."
	echo
	echo "- workbench: $(git -C "$host" log -1 --format='%h %s' 2>/dev/null || echo unknown)"
	echo "- host: $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo)"
	for m in $MACHINES; do
		load_machine "$m"
		echo "- machine $m: $QEMU -M $QEMU_MACHINE -cpu $QEMU_CPU -smp $QEMU_SMP -m $QEMU_MEM $QEMU_OPTS ($("$QEMU" --version | head -n 1))"
	done
	for t in "$B"/trees/*/; do
		t=${t%/}
		echo "- $(basename "$t"): $(git -C "$t" log -1 --format='%h %s') ($(git -C "$t" rev-list --count "$(cat "$B/base-commit")..HEAD") patches)"
	done
	echo "- compiler: $(aarch64-linux-gnu-gcc --version | head -n 1); $(riscv64-linux-gnu-gcc --version | head -n 1)"
} > "$dest/PROVENANCE.md"
note "results saved in $dest"
