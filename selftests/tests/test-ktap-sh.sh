#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-ktap-sh.sh: selftests/host/ktap.sh, the KTAP helper of the bash
# suites, and the plan check of test.sh's suite(). Each case runs a small
# suite in a child bash and compares its output and exit status with what
# it must be.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ktap=$top/selftests/host/ktap.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=selftests/host/ktap.sh
. "$ktap"

# run_suite BODY: BODY as the script "$work/demo.sh" with ktap.sh sourced;
# its output in $work/out, its exit status returned.
run_suite() {
	printf '. %q\n%s\n' "$ktap" "$1" > "$work/demo.sh"
	(cd "$work" && bash demo.sh > out 2>&1)
}
# expect RC WANTED-OUTPUT BODY: run_suite BODY exits RC and prints exactly
# WANTED-OUTPUT.
expect() {
	local rc=0
	run_suite "$3" || rc=$?
	printf '%s\n' "$2" > "$work/want"
	diff -u "$work/want" "$work/out" > "$work/diff" && [ "$rc" -eq "$1" ] && return 0
	echo "# exit $rc, want $1"
	sed 's/^/# /' "$work/diff"
	return 1
}

names=()
checks=()
add() {
	names+=("$1")
	checks+=("$2")
}

add "all planned tests pass: exit 0, totals and summary line" t_pass
t_pass() {
	expect 0 "KTAP version 1
1..2
ok 1 first
ok 2 second
# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0
demo: 2 passed, 0 failed, 0 skipped" '
ktap_print_header
ktap_set_plan 2
ktap_test_pass first
ktap_test_pass second
ktap_finished'
}

add "a failed test: not ok, counted, exit 1" t_fail
t_fail() {
	expect 1 "KTAP version 1
1..2
ok 1 first
not ok 2 second # crashed
# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0
demo: 1 passed, 1 failed, 0 skipped" '
ktap_print_header
ktap_set_plan 2
ktap_test_pass first
ktap_test_fail second crashed
ktap_finished'
}

add "fewer results than the plan: said so, exit 1" t_short
t_short() {
	expect 1 "KTAP version 1
1..3
ok 1 first
ok 2 second
# plan 1..3 but 2 results
# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0
demo: 2 passed, 0 failed, 0 skipped" '
ktap_print_header
ktap_set_plan 3
ktap_test_pass first
ktap_test_pass second
ktap_finished'
}

add "more results than the plan: said so, exit 1" t_long
t_long() {
	expect 1 "KTAP version 1
1..1
ok 1 first
ok 2 second
# plan 1..1 but 2 results
# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0
demo: 2 passed, 0 failed, 0 skipped" '
ktap_print_header
ktap_set_plan 1
ktap_test_pass first
ktap_test_pass second
ktap_finished'
}

add "no plan: said so, exit 1" t_noplan
t_noplan() {
	expect 1 "KTAP version 1
ok 1 first
# no plan but 1 results
# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0
demo: 1 passed, 0 failed, 0 skipped" '
ktap_print_header
ktap_test_pass first
ktap_finished'
}

add "a plan that is not a number: bail out" t_badplan
t_badplan() {
	expect 1 "KTAP version 1
Bail out! ktap_set_plan: '3 tests' is not a number of tests
# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:0
demo: 0 passed, 0 failed, 0 skipped" '
ktap_print_header
ktap_set_plan "3 tests"
ktap_test_pass first'
}

add "skips and comments: # SKIP REASON, # COMMENT; skips are not failures" t_skip
t_skip() {
	expect 0 "KTAP version 1
1..3
ok 1 first # SKIP no tree
ok 2 second # SKIP
ok 3 third # waived: covered
# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:2 error:0
demo: 1 passed, 0 failed, 2 skipped" '
ktap_print_header
ktap_set_plan 3
ktap_test_skip first "no tree"
ktap_test_skip second
ktap_test_pass third "waived: covered"
ktap_finished'
}

add "ktap_test_result: the command's status, its arguments and the description kept as given" t_result
t_result() {
	expect 1 "KTAP version 1
1..3
ok 1 a  *  b
not ok 2 false
ok 3 quoted
# Totals: pass:2 fail:1 xfail:0 xpass:0 skip:0 error:0
demo: 2 passed, 1 failed, 0 skipped" '
ktap_print_header
ktap_set_plan 3
ktap_test_result "a  *  b" true
ktap_test_result false false
ktap_test_result quoted [ "x  y" = "x  y" ]
ktap_finished'
}

add "ktap_exit_fail_msg: bail out with the totals, exit 1" t_bail
t_bail() {
	expect 1 "KTAP version 1
1..2
ok 1 first
Bail out! cannot go on
# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0
demo: 1 passed, 0 failed, 0 skipped" '
ktap_print_header
ktap_set_plan 2
ktap_test_pass first
ktap_exit_fail_msg cannot go on
ktap_test_pass second'
}

add "set -eu scripts: a failed test does not stop them; KTAP_NAME names the summary" t_name
t_name() {
	expect 1 "KTAP version 1
1..2
not ok 1 first
ok 2 second
# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0
other: 1 passed, 1 failed, 0 skipped" '
set -euo pipefail
KTAP_NAME=other
ktap_print_header
ktap_set_plan 2
ktap_test_result first false
ktap_test_pass second
ktap_finished'
}

add "ktap_run_cases: the cases counted for the plan, the log's tail after a failure" t_cases
t_cases() {
	expect 1 "KTAP version 1
1..3
ok 1 first
not ok 2 second fails
# what second saw
ok 3 with words
# Totals: pass:2 fail:1 xfail:0 xpass:0 skip:0 error:0
demo: 2 passed, 1 failed, 0 skipped" '
second() { echo "what second saw" > log; return 1; }
ktap_case first true
ktap_case "second fails" second
ktap_case "with words" "test a = a"
ktap_run_cases log'
}

# test.sh's suite(), taken out of test.sh, on suites that print this.
# suite_says OUTPUT RC: suite() on a suite printing OUTPUT and exiting RC;
# what it said and its totals in $work/suite.out.
suite_says() {
	printf '%s\n' "$1" > "$work/suite.txt"
	# shellcheck disable=SC2016 # lines of the script, expanded when it runs
	{
		sed -n '/^suite() {/,/^}/p' "$top/selftests/host/test.sh"
		printf '%s\n' 'set -euo pipefail' 'note() { echo "vcpulock: $*" >&2; }' \
			"logs=$work/logs" 'mkdir -p "$logs"' \
			'total_pass=0 total_fail=0 total_skip=0 broken=()' \
			"suite demo sh -c 'cat $work/suite.txt; exit $2'" \
			'echo "$total_pass passed, $total_fail failed, $total_skip skipped; broken: ${broken[*]}"'
	} > "$work/suite.sh"
	# The suite's time varies: its digits become N
	bash "$work/suite.sh" 2>&1 | grep -v -x -F -f "$work/suite.txt" |
		sed -E 's/^(vcpulock: suite demo: done in )[0-9]+s$/\1Ns/' > "$work/suite.out"
}
# suite_expect WANTED OUTPUT RC
suite_expect() {
	suite_says "$2" "$3"
	printf '%s\n' "$1" | diff -u - "$work/suite.out" > "$work/diff" && return 0
	sed 's/^/# /' "$work/diff"
	return 1
}

add "test.sh suite(): the plan matches the results" t_suite_ok
t_suite_ok() {
	suite_expect "vcpulock: suite demo ...
vcpulock: suite demo: done in Ns
2 passed, 0 failed, 0 skipped; broken: " "KTAP version 1
1..2
ok 1 a
ok 2 b
demo: 2 passed, 0 failed" 0
}

add "test.sh suite(): fewer results than the plan, 1 failure" t_suite_short
t_suite_short() {
	suite_expect "vcpulock: suite demo ...
vcpulock: suite demo: done in Ns
vcpulock: suite demo: plan 1..3 but 2 results
2 passed, 1 failed, 0 skipped; broken: demo" "KTAP version 1
1..3
ok 1 a
ok 2 b
demo: 2 passed, 0 failed" 1
}

add "test.sh suite(): a KTAP suite without a plan, 1 failure" t_suite_noplan
t_suite_noplan() {
	suite_expect "vcpulock: suite demo ...
vcpulock: suite demo: done in Ns
vcpulock: suite demo: no plan but 1 results
1 passed, 1 failed, 0 skipped; broken: demo" "KTAP version 1
ok 1 a
demo: 1 passed, 0 failed" 0
}

add "test.sh suite(): a failed test is counted once, with its plan right" t_suite_fail
t_suite_fail() {
	suite_expect "vcpulock: suite demo ...
vcpulock: suite demo: done in Ns
1 passed, 1 failed, 0 skipped; broken: demo" "KTAP version 1
1..2
ok 1 a
not ok 2 b
demo: 1 passed, 1 failed" 1
}

add "test.sh suite(): nested KTAP and # lines are not the suite's" t_suite_nested
t_suite_nested() {
	suite_expect "vcpulock: suite demo ...
vcpulock: suite demo: done in Ns
1 passed, 0 failed, 0 skipped; broken: " "KTAP version 1
# 1..5
# ok 1 quoted
    KTAP version 1
    1..2
    ok 1 inner
    not ok 2 inner
1..1
ok 1 outer
1..9
demo: 1 passed, 0 failed" 0
}

add "test.sh suite(): a suite without KTAP is not plan-checked; one without a summary, 1 failure" t_suite_plain
t_suite_plain() {
	suite_expect "vcpulock: suite demo ...
vcpulock: suite demo: done in Ns
3 passed, 0 failed, 0 skipped; broken: " "test_a ... ok
python: 3 passed, 0 failed, 0 skipped" 0 &&
	suite_expect "vcpulock: suite demo ...
vcpulock: suite demo: done in Ns
vcpulock: suite demo: plan 1..2 but 1 results
vcpulock: suite demo: no summary line (exit 1): counted as 1 failure
0 passed, 1 failed, 0 skipped; broken: demo" "KTAP version 1
1..2
ok 1 a" 1
}

ktap_print_header
ktap_set_plan "${#names[@]}"
failed=0
for i in "${!names[@]}"; do
	if ${checks[$i]} > "$work/msg"; then
		ktap_test_pass "${names[$i]}"
	else
		ktap_test_fail "${names[$i]}"
		failed=$((failed + 1))
	fi
	cat "$work/msg"
done
# ktap.sh reports on its own tests: do not take its word alone.
[ "$KTAP_CNT_FAIL" -eq "$failed" ] ||
	ktap_exit_fail_msg "$failed case(s) failed, ktap.sh counted $KTAP_CNT_FAIL"
ktap_finished
