#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-conversion.sh PATCHED_TREE: apply vgic_uaccess_lock.cocci on top of
# the series' helper patch and compare the result with the series' own
# conversion patches. What remains is the set of hand edits the semantic
# patch does not make; it must equal tests/hand-edits.diff, where each one
# is explained (tests/hand-edits.md).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tree=${1:?usage: check-conversion.sh PATCHED_TREE}
base=${2:-$(cat "$tree/../../base-commit" 2>/dev/null || true)}
files=(arch/arm64/kvm/vgic/vgic-kvm-device.c arch/arm64/kvm/vgic/vgic-its.c)

git -C "$tree" rev-parse --verify -q "$base^{commit}" >/dev/null ||
	{ echo "check-conversion: cannot find the base commit of $tree" >&2; exit 1; }
helper=$(git -C "$tree" log --reverse --format=%H -S'vgic_lock_for_uaccess(' \
	"$base..HEAD" -- arch/arm64/kvm/vgic/vgic.h | head -n 1)
converted=$(git -C "$tree" log -1 --format=%H "$base..HEAD" -- "${files[@]}")
[ -n "$helper" ] && [ -n "$converted" ] ||
	{ echo "check-conversion: $tree has no vgic_lock_for_uaccess() series on $base" >&2; exit 1; }

wt=$(mktemp -d)/tree
cleanup() { git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1 || true; }
trap cleanup EXIT
git -C "$tree" worktree add -q --detach "$wt" "$helper"
"$here/../run.sh" convert "$wt" > "$wt.cocci.diff"
git -C "$wt" apply "$wt.cocci.diff"
# The residue: what the series does beyond the semantic patch.
git -C "$wt" diff -U2 "$converted" -R -- "${files[@]}" |
	grep -v '^index ' | sed -E 's/^(@@ [^@]* @@).*/\1/' > "$wt.residue"
n=1
if [ -n "${UPDATE:-}" ]; then
	cp "$wt.residue" "$here/hand-edits.diff"
fi
if diff -u "$here/hand-edits.diff" "$wt.residue"; then
	echo "ok $n semantic patch + hand edits = the series' conversion"
	echo "check-conversion: 1 passed, 0 failed"
else
	echo "not ok $n the series' conversion differs from semantic patch + hand-edits.diff"
	echo "check-conversion: 0 passed, 1 failed"
	exit 1
fi
