#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh: the A/B report over the boots in $B/runs, plus the ABI
# differential and the benchmark tables when both variants produced them.
. "$(dirname "$0")/lib.sh"
need_var B MACHINES
top=$(cd "$(dirname "$0")/../.." && pwd)
make -s -C "$top/selftests/runner" O="$B/host/runner" "$B/host/runner/logscan" ||
	die "cannot build the host log scanner"

added=$B/selftests/patched/added.list
python3 "$top/selftests/host/report.py" --build "$B" --machines "$MACHINES" \
	--logscan "$B/host/runner/logscan" --added "$added" \
	--must-fail-on-baseline "$top/selftests/configs/must-fail-on-baseline.list" \
	--known-tcg "$top/selftests/configs/known-tcg.list" --json "$B/results.json"
