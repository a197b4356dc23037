#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh: the A/B report over the boots in $B/runs, then, per machine,
# the ABI differential and the benchmark, baseline against patched. Ends
# with one "report: N passed, N failed, N skipped" line over all of it.
. "$(dirname "$0")/lib.sh"
need_var B MACHINES
top=$(cd "$(dirname "$0")/../.." && pwd)
tools=$top/selftests/tools
make -s -C "$top/selftests/runner" O="$B/host/runner" "$B/host/runner/logscan" ||
	die "cannot build the host log scanner"

rc=0
python3 "$top/selftests/host/report.py" --build "$B" --machines "$MACHINES" \
	--logscan "$B/host/runner/logscan" --added "$B/selftests/patched/added.list" \
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
		echo "PASS  $name"
		pass=$((pass + 1))
	else
		echo "FAIL  $name"
		fail=$((fail + 1))
		rc=1
	fi
}
for m in $MACHINES; do
	b=$B/runs/baseline-$m/console.log p=$B/runs/patched-$m/console.log
	check "$m: ABI differential, baseline vs patched" \
		python3 "$tools/abi_diff.py" "$b" "$p" --json "$B/abi-$m.json"
	check "$m: benchmark goals (0 spurious -EBUSY; 512-vCPU cost within 1.2x)" \
		python3 "$tools/bench_report.py" "$b" "$p" "$B/bench/$m"
done
echo "report: $pass passed, $fail failed, $skip skipped"
exit "$rc"
