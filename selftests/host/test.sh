#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh check|all: run the test suites one after the other, keep going past
# a failing suite, and end with one line "N passed, N failed, N skipped"
# summed over every suite's own summary line. "check" is the workbench's own
# tests; "all" adds the checks on the series and the full A/B job.
. "$(dirname "$0")/lib.sh"
need_var B
top=$(cd "$(dirname "$0")/../.." && pwd)
host=$top/selftests/host
mode=${1:-all}
logs=$B/test-logs
mkdir -p "$logs"

total_pass=0 total_fail=0 total_skip=0 broken=()
suite() {	# suite NAME CMD...: run, echo, and add up its summary line
	local name=$1 rc=0 line p f s
	shift
	note "suite $name ..."
	"$@" 2>&1 | tee "$logs/$name.log" || rc=${PIPESTATUS[0]}
	line=$(grep -E '(^|: )[0-9]+ passed, [0-9]+ failed' "$logs/$name.log" | tail -n 1)
	if [ -z "$line" ]; then
		note "suite $name: no summary line (exit $rc): counted as 1 failure"
		total_fail=$((total_fail + 1))
		broken+=("$name")
		return
	fi
	p=$(grep -oE '[0-9]+ passed' <<< "$line" | grep -oE '[0-9]+')
	f=$(grep -oE '[0-9]+ failed' <<< "$line" | grep -oE '[0-9]+')
	s=$(grep -oE '[0-9]+ skipped' <<< "$line" | grep -oE '[0-9]+' || echo 0)
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_skip=$((total_skip + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		note "suite $name exited $rc with no failed test: counted as 1 failure"
		total_fail=$((total_fail + 1))
	fi
	[ "$rc" -eq 0 ] && [ "$f" -eq 0 ] || broken+=("$name")
}

suite runner make -s -C "$top/selftests/runner" O="$B/host/runner" PYTHON= check
# The runner suite just wrote a KTAP sample from its C code: parse it back.
VCPULOCK_SAMPLE=$B/host/runner/runner-sample.ktap suite python python3 "$host/pyunit.py"
suite boot "$top/selftests/tests/test-boot.sh"
suite cocci "$top/cocci/tests/run-tests.sh"

if [ "$mode" = all ]; then
	suite ab "$host/run-all.sh"
	suite checkpatch "$host/checkpatch.sh"
	suite bisect-check "$host/bisect-check.sh"
	suite cross-check "$host/cross-check.sh"
	suite cocci-baseline "$top/cocci/tests/check-tree.sh" "$B/trees/baseline"
	suite cocci-patched "$top/cocci/tests/check-tree.sh" "$B/trees/patched" --convert-sites none
	suite cocci-conversion "$top/cocci/tests/check-conversion.sh" "$B/trees/patched"
fi

[ "${#broken[@]}" -eq 0 ] || note "failing suites: ${broken[*]}"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ] && [ "${#broken[@]}" -eq 0 ]
