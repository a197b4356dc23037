#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh: the A/B report over the boots in $B/runs (selftests/host/
# report.py does all of it: tables, every check, $B/report.txt and
# $B/results.json, one "report: N passed, N failed, N skipped" line).
. "$(dirname "$0")/lib.sh"
need_var B MACHINES
top=$(cd "$(dirname "$0")/../.." && pwd)
logscan=$(host_logscan)
configs=$top/selftests/configs
# REPORT_FINAL=1 (test.sh, after every suite): every suite's results and
# the VMM test's table go into the report and results.json too.
final=()
[ "${REPORT_FINAL:-}" != 1 ] || final=(--suites "$B/test-logs" --vmm "$B/vmm.json")
exec python3 "$top/selftests/host/report.py" --build "$B" --machines "$MACHINES" \
	--logscan "$logscan" --added "$B/selftests/patched/added.list" \
	--must-fail-on-baseline "$configs/must-fail-on-baseline.list" \
	--known-tcg "$configs/known-tcg.list" "${final[@]}"
