#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# series-export.sh: the series in patches/, re-authored and re-signed for
# AUTHOR ("Name <mail>"), rebased with `git am -3` onto the base (KSRC= and
# KBASE=, or Debian's 7.3.4), written by `git format-patch --base` into
# $B/export/patches with the cover letter, and checked with checkpatch.pl.
# The repository keeps its placeholder author; only the export changes.
. "$(dirname "$0")/lib.sh"
need_var B PATCHES
host=$(cd "$(dirname "$0")" && pwd)
placeholder="vcpulock developers <vcpulock@example.org>"

[ -n "${AUTHOR:-}" ] || die 'set AUTHOR="Name <mail>"'
[[ "$AUTHOR" =~ ^[^\<\>]+\ \<[^\<\>@\ ]+@[^\<\>\ ]+\>$ ]] ||
	die "AUTHOR='$AUTHOR' is not \"Name <mail>\""
name=${AUTHOR% <*} mail=${AUTHOR##*<}
mail=${mail%>}

mapfile -t series < <(find "$PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name '0000-*' 2>/dev/null | sort)
[ "${#series[@]}" -gt 0 ] || die "$PATCHES holds no patches"

"$host/fetch-source.sh"
repo=$(cat "$B/base-repo")
base=$(cat "$B/base-commit")
out=$B/export
tree=$out/tree
if [ -e "$tree" ]; then
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	git -C "$repo" worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
fi
git -C "$repo" worktree prune
rm -rf "$out"
mkdir -p "$out/in" "$out/patches"
git -C "$repo" worktree add -q --detach "$tree" "$base" ||
	die "cannot check out $base of $repo"

for p in "${series[@]}"; do
	# The author and every sign-off of the placeholder become AUTHOR's
	sed -e "s|^From: $placeholder\$|From: $AUTHOR|" \
	    -e "s|^Signed-off-by: $placeholder\$|Signed-off-by: $AUTHOR|" \
		"$p" > "$out/in/$(basename "$p")"
	if ! msg=$(git -C "$tree" -c user.name="$name" -c user.email="$mail" \
		am -3 -q --keep-cr "$out/in/$(basename "$p")" 2>&1); then
		git -C "$tree" am --abort >/dev/null 2>&1 || true
		die "$(basename "$p") does not apply to $(git -C "$repo" log -1 --format='%h %s' "$base"): $(head -n 1 <<< "$msg")"
	fi
done

cover=$PATCHES/0000-cover-letter.patch
# The cover letter's prefix ("PATCH v2") for every patch
prefix=PATCH
[ ! -f "$cover" ] ||
	prefix=$(sed -n 's|^Subject: \[\(.*\) 0*/[0-9]*\].*|\1|p' "$cover" | head -n 1)
git -C "$tree" format-patch -q --subject-prefix="${prefix:-PATCH}" --base="$base" \
	-o "$out/patches" "$base..HEAD" || die "git format-patch failed"
if [ -f "$cover" ]; then
	# Ours, for AUTHOR, with this base and this series' shortlog and stat
	{
		sed -n "1,/^\$/{s|^From: .*|From: $AUTHOR|;p}" "$cover" |
			sed "1s/^From [0-9a-f]* /From $(git -C "$tree" rev-parse HEAD) /"
		awk 'f { print } /^$/ && !f { f = 1 }' "$cover" |
			sed -n '/^vcpulock developers ([0-9]*):$/q;p'
		git -C "$tree" shortlog "$base..HEAD"
		git -C "$tree" diff --stat=72 "$base" HEAD
		printf '\n\nbase-commit: %s\n-- \n%s\n\n' "$base" "$(git --version | cut -d' ' -f3)"
	} > "$out/patches/0000-cover-letter.patch"
fi
note "series for $AUTHOR on $(git -C "$repo" log -1 --format='%h %s' "$base"): $out/patches"
PATCHES=$out/patches CHECKPATCH_TREE=$tree "$host/checkpatch.sh"
