#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-series-export.sh: `make series-export` on the real base, as a
# contributor would run it, then its bad inputs. Needs the base tree
# (fetch-source.sh, cached) and the series; writes under $B/export-test.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/selftests/host/ktap.sh"
: "${B:?run through the Makefile or selftests/host/test.sh}"
author="Jane Developer <jane@example.org>"
placeholder="vcpulock developers <vcpulock@example.org>"
work=$B/export-test
rm -rf "$work"
mkdir -p "$work"
export_run() {	# export_run LOG [VAR=VALUE...]: series-export.sh with B=$work/b
	local log=$1
	shift
	env B="$work/b" "$@" "$top/selftests/host/series-export.sh" > "$log" 2>&1
}
mapfile -t series < <(find "$top/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' | sort)

ktap_print_header
ktap_set_plan 7

export_run "$work/ok.log" AUTHOR="$author" PATCHES="$top/patches"
rc=$?
out=$work/b/export/patches
mapfile -t got < <(find "$out" -maxdepth 1 -name '*.patch' 2>/dev/null | sort)
if [ "$rc" -eq 0 ]; then
	ktap_test_pass "export for $author: git am -3, format-patch and checkpatch pass"
else
	ktap_test_fail "export for $author exited $rc: $(grep -m1 'error' "$work/ok.log")"
fi
ktap_test_result "the cover letter and every patch: ${#got[@]} files (want ${#series[@]})" \
	test "${#got[@]}" -eq "${#series[@]}"
authored() {	# authored FILE...: From: and Signed-off-by: $author, no placeholder
	local f
	[ "$#" -gt 1 ] || return 1
	for f; do
		grep -qxF "From: $author" "$f" && ! grep -qF "$placeholder" "$f" || return 1
		case "$f" in
		*/0000-*) ;;
		*) grep -qxF "Signed-off-by: $author" "$f" || return 1 ;;
		esac
	done
}
ktap_test_result "every patch is from and signed off by $author, none by the placeholder" \
	authored "${got[@]}"
base=$(cat "$work/b/base-commit" 2>/dev/null)
ktap_test_result "the cover letter names the base: base-commit: ${base:-?}" \
	grep -qx "base-commit: ${base:-none}" "$out/0000-cover-letter.patch"

export_run "$work/author.log" AUTHOR="Jane Developer" PATCHES="$top/patches"
rc=$?
ktap_test_result "AUTHOR without a mail address: one error line, exit $rc" \
	bash -c '[ "$0" -ne 0 ] && [ "$(grep -c "error" "$1")" -eq 1 ] &&
		 grep -q "is not \"Name <mail>\"" "$1"' "$rc" "$work/author.log"

# A patch whose first hunk's context no longer matches the base
mkdir -p "$work/bad"
first=$(basename "${series[1]}")
awk '/^@@/ { hunk = 1 } hunk && !done && /^ / && ++n == 2 { print " this line is not in the base"; done = 1; next } { print }' \
	"${series[1]}" > "$work/bad/$first"
export_run "$work/apply.log" AUTHOR="$author" PATCHES="$work/bad"
rc=$?
ktap_test_result "a patch that does not apply: one error line naming $first, exit $rc" \
	bash -c '[ "$0" -ne 0 ] && [ "$(grep -c "error" "$1")" -eq 1 ] &&
		 grep -q "error: $2 does not apply to" "$1"' "$rc" "$work/apply.log" "$first"

export_run "$work/none.log" AUTHOR="$author" PATCHES="$work/empty"
rc=$?
ktap_test_result "no patches: one error line, exit $rc" \
	bash -c '[ "$0" -ne 0 ] && [ "$(grep -c "error" "$1")" -eq 1 ]' "$rc" "$work/none.log"

ktap_finished
