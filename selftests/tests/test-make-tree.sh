#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-make-tree.sh: make-tree.sh on a small base repository: a tree is
# checked out again only when its base, its patch files or its own state
# changed, and a patch that does not apply is one line naming it.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/selftests/host/ktap.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export B=$work/build PATCHES=$work/patches
mkdir -p "$B" "$PATCHES"
git() {
	command git -c user.name=test -c user.email=test@localhost \
		-c init.defaultBranch=main -c advice.detachedHead=false "$@"
}
# The base, and two patches on it.
repo=$work/base
git init -q "$repo"
printf 'one\ntwo\nthree\n' > "$repo/file"
git -C "$repo" add file && git -C "$repo" commit -q -m base
base=$(git -C "$repo" rev-parse HEAD)
echo "$repo" > "$B/base-repo"
echo "$base" > "$B/base-commit"
sed -i 's/^one$/ONE/' "$repo/file" && git -C "$repo" commit -q -am "first"
sed -i 's/^three$/THREE/' "$repo/file" && git -C "$repo" commit -q -am "second"
git -C "$repo" format-patch -q -o "$PATCHES" "$base"
git -C "$repo" reset -q --hard "$base"

tree() {	# tree VARIANT: run make-tree.sh, return its exit status
	"$top/selftests/host/make-tree.sh" "$1" > "$work/out" 2>&1
}
head_of() {
	git -C "$B/trees/$1" rev-parse HEAD
}
said() {	# said PATTERN: make-tree.sh's output has PATTERN
	grep -qE "$1" "$work/out"
}

t_apply() {
	tree patched && said 'applied 2 patches' && grep -qx THREE "$B/trees/patched/file"
}
t_kept() {
	local before
	before=$(head_of patched)
	tree patched && said 'patched tree: up to date' && [ "$(head_of patched)" = "$before" ]
}
t_baseline() {
	tree baseline && [ "$(head_of baseline)" = "$base" ] &&
		tree baseline && said 'baseline tree: up to date'
}
t_edited() {
	sed -i 's/^Subject: \[PATCH 2\/2\] second$/Subject: [PATCH 2\/2] second, edited/' \
		"$PATCHES"/0002-*.patch
	tree patched && ! said 'up to date' && said 'applied 2 patches' &&
		[ "$(git -C "$B/trees/patched" log -1 --format=%s)" = "second, edited" ]
}
t_dirty() {
	echo changed >> "$B/trees/patched/file"
	tree patched && ! said 'up to date' && said 'applied 2 patches' &&
		[ -z "$(git -C "$B/trees/patched" status --porcelain)" ]
}
t_moved() {
	git -C "$B/trees/patched" reset -q --hard HEAD~1
	tree patched && ! said 'up to date' && grep -qx THREE "$B/trees/patched/file"
}
t_broken() {
	sed -i 's/^-three$/-3/' "$PATCHES"/0002-*.patch
	local rc=0
	tree patched || rc=$?
	[ "$rc" -ne 0 ] && [ "$(grep -c 'error' "$work/out")" -eq 1 ] &&
		said '0002-second.*\.patch does not apply to' &&
		! tree patched && ! said 'up to date'
}

# Each case passes if make-tree.sh did the right thing; its output, in
# $work/out, is shown after a failure.
ktap_case "patched: the base and both patches" t_apply
ktap_case "patched again, nothing changed: kept, same commit" t_kept
ktap_case "baseline: the base, then kept" t_baseline
ktap_case "a patch's message edited: applied again" t_edited
ktap_case "a tracked file changed in the tree: made again" t_dirty
ktap_case "the tree's HEAD moved: made again" t_moved
ktap_case "a patch that does not apply: one error line naming it, exit 1, never kept" t_broken
ktap_run_cases "$work/out"
