#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh: scripts/checkpatch.pl --strict on every patch of the series,
# with the patched tree's checkpatch (it knows the series' deprecations).
# Any error, warning or check fails.
. "$(dirname "$0")/lib.sh"
need_var B PATCHES
tree=$B/trees/patched
[ -x "$tree/scripts/checkpatch.pl" ] || die "no patched tree (run: make tree VARIANT=patched)"
pass=0 fail=0 n=0
for p in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
	case "$(basename "$p")" in 0000-*) continue ;; esac
	n=$((n + 1))
	if out=$(cd "$tree" && ./scripts/checkpatch.pl --strict --no-color "$p" 2>&1) &&
	   grep -q 'total: 0 errors, 0 warnings, 0 checks' <<< "$out"; then
		echo "ok $n checkpatch $(basename "$p")"
		pass=$((pass + 1))
	else
		echo "not ok $n checkpatch $(basename "$p")"
		sed 's/^/# /' <<< "$out"
		fail=$((fail + 1))
	fi
done
[ "$n" -gt 0 ] || die "no patches in $PATCHES"
echo "checkpatch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
