#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh: scripts/checkpatch.pl --strict on every patch of the series,
# with the patched tree's checkpatch (it knows the series' deprecations).
# Any error, warning or check fails, with one exception: FILE_PATH_CHANGES
# ("does MAINTAINERS need updating?") is waived, and said so, when
# get_maintainer.pl shows that a MAINTAINERS entry already covers every file
# the patch adds.
. "$(dirname "$0")/lib.sh"
need_var B PATCHES
tree=$B/trees/patched
[ -x "$tree/scripts/checkpatch.pl" ] || die "no patched tree (run: make tree VARIANT=patched)"
# spdxcheck.py needs Debian's python3-ply and python3-git.
export PATH=/usr/bin:$PATH

covered() {	# covered PATCH: every added file has a maintainer entry
	local f
	for f in $(awk '/^--- \/dev\/null$/ { getline; sub(/^\+\+\+ b\//, ""); print }' "$1"); do
		(cd "$tree" && ./scripts/get_maintainer.pl --nogit --nogit-fallback \
			--roles -f "$f") | grep -q '(maintainer:' || return 1
	done
}

pass=0 fail=0 n=0
for p in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
	case "$(basename "$p")" in 0000-*) continue ;; esac
	n=$((n + 1))
	out=$(cd "$tree" && ./scripts/checkpatch.pl --strict --no-color "$p" 2>&1) || true
	waived=
	if ! grep -q 'total: 0 errors, 0 warnings, 0 checks' <<< "$out" &&
	   grep -q 'total: 0 errors, 1 warnings, 0 checks' <<< "$out" &&
	   grep -q '^WARNING: added, moved or deleted file(s)' <<< "$out" && covered "$p"; then
		waived=" # FILE_PATH_CHANGES waived: MAINTAINERS already covers the added files"
	fi
	if grep -q 'Traceback' <<< "$out"; then
		echo "not ok $n checkpatch $(basename "$p") # checkpatch's helpers crashed"
		sed 's/^/# /' <<< "$out"
		fail=$((fail + 1))
	elif grep -q 'total: 0 errors, 0 warnings, 0 checks' <<< "$out" || [ -n "$waived" ]; then
		echo "ok $n checkpatch $(basename "$p")$waived"
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
