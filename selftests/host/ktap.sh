# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# ktap.sh: KTAP output for the bash test suites, after the kernel's
# tools/testing/selftests/kselftest/ktap_helpers.sh. Sourced, not run.
#
#	ktap_print_header		KTAP version 1
#	ktap_set_plan N			1..N, N counted before the first test
#	ktap_test_pass DESC [COMMENT]	ok N DESC [# COMMENT]
#	ktap_test_fail DESC [COMMENT]	not ok N DESC [# COMMENT]
#	ktap_test_skip DESC [REASON]	ok N DESC # SKIP [REASON]
#	ktap_test_result DESC CMD...	pass if CMD succeeds, else fail
#	ktap_print_msg MSG...		# MSG
#	ktap_exit_fail_msg MSG...	Bail out! MSG, the totals, exit 1
#	ktap_finished			the totals; returns 0 only if no test
#					failed and the results match the plan
#	ktap_case DESC CMD		add a case for ktap_run_cases
#	ktap_run_cases [LOG]		header, plan (the cases counted), each
#					case (pass if CMD succeeds; the last
#					lines of LOG, if given, after a failure),
#					ktap_finished
#
# A suite ends with ktap_finished, so that its status is the suite's (the
# kernel's exits; returning keeps shellcheck's reachability checks of
# functions called through arrays of tests quiet).
#
# The totals are the kernel's "# Totals: ..." line, then this project's
# summary line "NAME: N passed, N failed, N skipped", which test.sh adds
# up. NAME is the script's name without .sh; a script may set KTAP_NAME.

KTAP_NAME=$(basename "$0" .sh)
KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0
KSFT_NUM_TESTS=

ktap_print_header() {
	echo "KTAP version 1"
}

ktap_print_msg() {
	echo "# $*"
}

ktap_set_plan() {
	case "$1" in
	'' | *[!0-9]*) ktap_exit_fail_msg "ktap_set_plan: '$1' is not a number of tests" ;;
	esac
	KSFT_NUM_TESTS=$1
	echo "1..$KSFT_NUM_TESTS"
}

# __ktap_test RESULT DESC [DIRECTIVE]
__ktap_test() {
	printf '%s %d %s%s\n' "$1" "$KTAP_TESTNO" "$2" "${3:+ # $3}"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}

ktap_test_pass() {
	__ktap_test ok "$1" "${2:-}"
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

ktap_test_skip() {
	__ktap_test ok "$1" "SKIP${2:+ $2}"
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

ktap_test_fail() {
	__ktap_test "not ok" "$1" "${2:-}"
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

ktap_test_result() {
	local description=$1
	shift
	if "$@"; then
		ktap_test_pass "$description"
	else
		ktap_test_fail "$description"
	fi
}

ktap_print_totals() {
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0 xpass:0 skip:$KTAP_CNT_SKIP error:0"
	echo "$KTAP_NAME: $KTAP_CNT_PASS passed, $KTAP_CNT_FAIL failed, $KTAP_CNT_SKIP skipped"
}

ktap_exit_fail_msg() {
	echo "Bail out! $*"
	ktap_print_totals
	exit 1
}

ktap_finished() {
	local results=$((KTAP_TESTNO - 1))
	if [ -z "$KSFT_NUM_TESTS" ]; then
		ktap_print_msg "no plan but $results results"
	elif [ "$results" -ne "$KSFT_NUM_TESTS" ]; then
		ktap_print_msg "plan 1..$KSFT_NUM_TESTS but $results results"
	fi
	ktap_print_totals
	[ "$KTAP_CNT_FAIL" -eq 0 ] && [ "$results" = "$KSFT_NUM_TESTS" ]
}

KTAP_CASE_DESC=()
KTAP_CASE_CMD=()

# ktap_case DESC CMD: CMD is split into words when the case runs.
ktap_case() {
	KTAP_CASE_DESC+=("$1")
	KTAP_CASE_CMD+=("$2")
}

ktap_run_cases() {
	local log=${1:-} i
	ktap_print_header
	ktap_set_plan "${#KTAP_CASE_DESC[@]}"
	for i in "${!KTAP_CASE_DESC[@]}"; do
		# shellcheck disable=SC2086 # a command and its words
		if ${KTAP_CASE_CMD[$i]}; then
			ktap_test_pass "${KTAP_CASE_DESC[$i]}"
		else
			ktap_test_fail "${KTAP_CASE_DESC[$i]}"
			[ -z "$log" ] || tail -n 15 "$log" | sed 's/^/# /'
		fi
	done
	ktap_finished
}
