#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-tree.sh VARIANT: check out the variant's source tree as a detached
# git worktree of the base repo, so that the user's branch is never touched:
# the base commit plus `git am` of the variant's patches
# (selftests/configs/variants). A tree that is clean and was made from the
# same base and the same patch files is kept: after an edit to the series,
# baseline is not checked out again.
. "$(dirname "$0")/lib.sh"
need_var B
variant=$1
patches=$(variant_patches "$variant")
repo=$(cat "$B/base-repo")
base=$(cat "$B/base-commit")
tree=$B/trees/$variant

[ -z "$patches" ] || [ -d "$patches" ] || die "$variant: no patch directory $patches"
mapfile -t series < <([ -z "$patches" ] || find "$patches" -maxdepth 1 \
	-name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)
[ -z "$patches" ] || [ "${#series[@]}" -gt 0 ] || die "$variant: $patches holds no patches"

# What the tree is made of, and the commit it was left at.
inputs="base $base patches $(for p in "${series[@]}"; do basename "$p"; cat "$p"; done |
	sha256sum | cut -d' ' -f1)"
stamp=$B/trees/$variant.stamp
if [ -e "$tree/.git" ] &&
   stamp_ok "$stamp" "$inputs $(git -C "$tree" rev-parse -q --verify HEAD)" &&
   [ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	note "$variant tree: up to date (base and ${#series[@]} patches unchanged)"
	exit 0
fi
rm -f "$stamp"

if [ -e "$tree" ]; then
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	git -C "$repo" worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
fi
git -C "$repo" worktree prune
mkdir -p "$B/trees"
step "check out $variant tree" git -C "$repo" worktree add -q --detach "$tree" "$base"

for p in "${series[@]}"; do
	if ! out=$(git -C "$tree" -c user.name=vcpulock -c user.email=vcpulock@localhost \
		am -q --keep-cr "$p" 2>&1); then
		git -C "$tree" am --abort >/dev/null 2>&1 || true
		die "$(basename "$p") does not apply to $(git -C "$repo" log -1 --format=%h "$base"): $(head -n 1 <<< "$out")"
	fi
done
[ "${#series[@]}" -eq 0 ] ||
	note "$variant: applied ${#series[@]} patches on $(git -C "$repo" log -1 --format=%h "$base")"
echo "$inputs $(git -C "$tree" rev-parse HEAD)" > "$stamp"
