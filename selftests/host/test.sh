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
rm -f "$logs"/*.log "$logs/suite-times.txt"	# no stale log of a suite not run this time

total_pass=0 total_fail=0 total_skip=0 broken=()
# suite NAME CMD...: run, echo, and add up its summary line. A KTAP suite
# (one printing a top-level "KTAP version" line) must also give as many
# results as its plan: the first top-level "1..N" against the top-level
# "ok N"/"not ok N" lines. Top level: not indented (nested KTAP) and not
# after "# ". A missing plan or a count that differs is 1 failure.
suite() {
	local name=$1 rc=0 line p f s plan results ktap_bad= t0=$SECONDS
	shift
	note "suite $name ..."
	"$@" 2>&1 | tee "$logs/$name.log" || rc=${PIPESTATUS[0]}
	note "suite $name: done in $((SECONDS - t0))s"
	printf '%s\t%s\n' "$((SECONDS - t0))" "$name" >> "$logs/suite-times.txt"
	if grep -qE '^K?TAP version [0-9]+' "$logs/$name.log"; then
		plan=$(sed -n -E '/^1\.\.[0-9]+([^0-9]|$)/ { s/^1\.\.([0-9]+).*/\1/p; q }' "$logs/$name.log")
		results=$(grep -cE '^(not )?ok [0-9]+( |$)' "$logs/$name.log" || true)
		if [ -z "$plan" ]; then
			note "suite $name: no plan but $results results"
			ktap_bad=1
		elif [ "$plan" -ne "$results" ]; then
			note "suite $name: plan 1..$plan but $results results"
			ktap_bad=1
		fi
	fi
	line=$(grep -E '(^|: )[0-9]+ passed, [0-9]+ failed' "$logs/$name.log" | tail -n 1 || true)
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
	if [ -n "$ktap_bad" ]; then
		total_fail=$((total_fail + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		note "suite $name exited $rc with no failed test: counted as 1 failure"
		total_fail=$((total_fail + 1))
	fi
	[ "$rc" -eq 0 ] && [ "$f" -eq 0 ] && [ -z "$ktap_bad" ] || broken+=("$name")
}

suite runner make -s -C "$top/selftests/runner" O="$B/host/runner" PYTHON= check
# The runner suite just wrote a KTAP sample from its C code: parse it back.
VCPULOCK_SAMPLE=$B/host/runner/runner-sample.ktap suite python python3 "$host/pyunit.py"
suite boot "$top/selftests/tests/test-boot.sh"
suite cocci "$top/cocci/tests/run-tests.sh"
suite ktap-sh "$top/selftests/tests/test-ktap-sh.sh"
suite make-tree "$top/selftests/tests/test-make-tree.sh"

if [ "$mode" = all ]; then
	suite ab "$host/run-all.sh"
	suite checkpatch "$host/checkpatch.sh"
	suite series-export "$top/selftests/tests/test-series-export.sh"
	suite bisect-check "$host/bisect-check.sh"
	suite cross-check "$host/cross-check.sh"
	suite cocci-baseline "$top/cocci/tests/check-tree.sh" "$B/trees/baseline"
	suite cocci-patched "$top/cocci/tests/check-tree.sh" "$B/trees/patched" --convert-sites none
	suite cocci-conversion "$top/cocci/tests/check-conversion.sh" "$B/trees/patched"
	suite cocci-primitive "$top/cocci/tests/check-primitive.sh" "$B/trees/baseline" "$B/trees/patched"
	suite vmm "$top/selftests/vmm/run-all.sh"
	# Needs root, network and debootstrap: CI asks for it (.ci/run)
	[ "${FRESH_ROOT:-}" != 1 ] || suite fresh-root "$host/fresh-root.sh"
fi

if [ "$mode" = all ] && [ -f "$B/runs/patched-${MACHINES%% *}/status" ]; then
	# The final report: the A/B judgement again, with every suite's results
	# and the VMM table; its verdict was counted in suite ab already.
	REPORT_FINAL=1 "$host/report.sh" > "$logs/final-report.txt" 2>&1 ||
		note "final report: see $logs/final-report.txt"
	note "final report: $B/report.txt, $B/results.json"
fi
[ "${#broken[@]}" -eq 0 ] || note "failing suites: ${broken[*]}"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ] && [ "${#broken[@]}" -eq 0 ]
