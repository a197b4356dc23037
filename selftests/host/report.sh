#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh: the A/B report over the boots in $B/runs, then, per machine,
# the ABI differential and the benchmark, baseline against patched. Ends
# with one "report: N passed, N failed, N skipped" line over all of it.
. "$(dirname "$0")/lib.sh"
need_var B MACHINES PLAN
top=$(cd "$(dirname "$0")/../.." && pwd)
tools=$top/selftests/tools
logscan=$(host_logscan)

rc=0
python3 "$top/selftests/host/report.py" --build "$B" --machines "$MACHINES" \
	--logscan "$logscan" --added "$B/selftests/patched/added.list" \
	--must-fail-on-baseline "$top/selftests/configs/must-fail-on-baseline.list" \
	--known-tcg "$top/selftests/configs/known-tcg.list" --json "$B/results.json" |
	tee "$B/report.txt" || rc=1
line=$(tail -n 1 "$B/report.txt")
pass=$(grep -oE '[0-9]+ passed' <<< "$line" | grep -oE '[0-9]+')
fail=$(grep -oE '[0-9]+ failed' <<< "$line" | grep -oE '[0-9]+')
skip=$(grep -oE '[0-9]+ skipped' <<< "$line" | grep -oE '[0-9]+')

check() {	# check NAME CMD...: one more pass/fail line in the report
	local name=$1
	shift
	echo
	note "$name ..."
	if "$@"; then
		echo "PASS  $name" | tee -a "$B/report.txt"
		pass=$((pass + 1))
	else
		echo "FAIL  $name" | tee -a "$B/report.txt"
		fail=$((fail + 1))
		rc=1
	fi
}
planned() {	# planned TOOL: is the tool in the plan the boots ran?
	grep -q "^# selftests: kvm: tools/$1[[:space:]]*$" "$B/runs/baseline-$m/console.log" \
		"$B/runs/patched-$m/console.log" 2>/dev/null
}
not_planned() {
	echo "SKIP  $m: $1 (tools/$2 is not in the plan: PLAN=$PLAN)" | tee -a "$B/report.txt"
	skip=$((skip + 1))
}
for m in $MACHINES; do
	b=$B/runs/baseline-$m/console.log p=$B/runs/patched-$m/console.log
	what="ABI differential, baseline vs patched"
	if planned vgic_abi_sweep; then
		check "$m: $what" python3 "$tools/abi_diff.py" "$b" "$p" --json "$B/abi-$m.json"
	else
		not_planned "$what" vgic_abi_sweep
	fi
	what="benchmark goals (0 spurious -EBUSY; 512-vCPU cost within 1.2x)"
	if planned vgic_lock_bench; then
		check "$m: $what" python3 "$tools/bench_report.py" "$b" "$p" "$B/bench/$m"
	else
		not_planned "$what" vgic_lock_bench
	fi
done
echo "report: $pass passed, $fail failed, $skip skipped" | tee -a "$B/report.txt"
exit "$rc"
