#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh: scripts/checkpatch.pl --strict on every patch of the series,
# with the checkpatch.pl of the patched tree (or of CHECKPATCH_TREE).
# Any error, warning or check fails, with one exception: FILE_PATH_CHANGES
# ("does MAINTAINERS need updating?") is waived, and said so, when
# get_maintainer.pl shows that a MAINTAINERS entry already covers every file
# the patch adds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ktap.sh"
need_var B PATCHES
tree=${CHECKPATCH_TREE:-$B/trees/patched}
[ -x "$tree/scripts/checkpatch.pl" ] || die "no patched tree (run: make tree VARIANT=patched)"
# spdxcheck.py needs Debian's python3-ply and python3-git.
export PATH=/usr/bin:$PATH

covered() {	# covered PATCH: every added file has a maintainer entry
	local f
	for f in $(awk '/^--- \/dev\/null$/ { getline; sub(/^\+\+\+ b\//, ""); print }' "$1"); do
		# Not grep -q: under pipefail, a get_maintainer.pl killed by
		# SIGPIPE when grep stops reading early would fail the patch.
		(cd "$tree" && ./scripts/get_maintainer.pl --nogit --nogit-fallback \
			--roles -f "$f") | grep '(maintainer:' > /dev/null || return 1
	done
}

patch_files=()
for p in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
	case "$(basename "$p")" in 0000-*) continue ;; esac
	[ -e "$p" ] || continue
	patch_files+=("$p")
done
[ "${#patch_files[@]}" -gt 0 ] || die "no patches in $PATCHES"

ktap_print_header
ktap_set_plan "${#patch_files[@]}"
for p in "${patch_files[@]}"; do
	out=$(cd "$tree" && ./scripts/checkpatch.pl --strict --no-color "$p" 2>&1) || true
	waived=
	if ! grep -q 'total: 0 errors, 0 warnings, 0 checks' <<< "$out" &&
	   grep -q 'total: 0 errors, 1 warnings, 0 checks' <<< "$out" &&
	   grep -q '^WARNING: added, moved or deleted file(s)' <<< "$out" && covered "$p"; then
		waived="FILE_PATH_CHANGES waived: MAINTAINERS already covers the added files"
	fi
	if grep -q 'Traceback' <<< "$out"; then
		ktap_test_fail "checkpatch $(basename "$p")" "checkpatch's helpers crashed"
		sed 's/^/# /' <<< "$out"
	elif grep -q 'total: 0 errors, 0 warnings, 0 checks' <<< "$out" || [ -n "$waived" ]; then
		ktap_test_pass "checkpatch $(basename "$p")" "$waived"
	else
		ktap_test_fail "checkpatch $(basename "$p")"
		sed 's/^/# /' <<< "$out"
	fi
done
ktap_finished
