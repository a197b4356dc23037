#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the base kernel git tree: Debian's linux-source-7.3 by default, or the
# user's own tree (KSRC=). Prints nothing on stdout; the tree is $CACHE/linux.git
# or $KSRC, and its base commit is recorded in $B/base-commit.
. "$(dirname "$0")/lib.sh"
need_var CACHE B SRCPKG SRCVER SRCSUITE

here=$(cd "$(dirname "$0")" && pwd)
sums=$here/../../selftests/configs/source.sha256
mkdir -p "$CACHE" "$B"

if [ -n "${KSRC:-}" ]; then
	[ -d "$KSRC" ] || die "KSRC=$KSRC: no such directory"
	git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1 ||
		die "KSRC=$KSRC is not a git tree (the variants are made with git worktree and git am)"
	[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/arch/arm64/kvm" ] && [ -d "$KSRC/virt/kvm" ] ||
		die "KSRC=$KSRC is not a Linux kernel tree (no arch/arm64/kvm or virt/kvm)"
	base=$(git -C "$KSRC" rev-parse --verify "${KBASE:-HEAD}^{commit}") ||
		die "KSRC=$KSRC: cannot resolve ${KBASE:-HEAD}"
	echo "$KSRC" > "$B/base-repo"
	echo "$base" > "$B/base-commit"
	note "base: $KSRC at $(git -C "$KSRC" log -1 --format='%h %s' "$base")"
	exit 0
fi

repo=$CACHE/linux.git
if [ -f "$repo/.git/vcpulock-base" ]; then
	echo "$repo" > "$B/base-repo"
	cp "$repo/.git/vcpulock-base" "$B/base-commit"
	note "base: cached tree $repo ($(cat "$B/base-commit"))"
	exit 0
fi

deb=$CACHE/${SRCPKG}_${SRCVER}_all.deb
deb=${deb/:/%3a}
if [ ! -f "$deb" ]; then
	apt_private "$CACHE/apt" "$SRCSUITE"
	(cd "$CACHE" && step "apt-get download $SRCPKG=$SRCVER" \
		apt-get -q "${APT_OPTS[@]}" download "$SRCPKG=$SRCVER" >&2) ||
		die "apt-get download $SRCPKG=$SRCVER failed"
fi

(cd "$CACHE" && sed -n "s/ .*deb\$/ $(basename "$deb")/p" "$sums" | sha256sum --quiet -c -) ||
	die "checksum mismatch for $deb (expected: $(grep 'deb$' "$sums"))"

src=$CACHE/src
rm -rf "$src" "$repo.tmp"
mkdir -p "$src" "$repo.tmp"
step "unpack $(basename "$deb")" sh -c \
	"dpkg-deb --fsys-tarfile '$deb' | tar -x -C '$src' ./usr/src/linux-source-7.3.tar.xz"
(cd "$src/usr/src" && sed -n 's/ .*tar\.xz$/ linux-source-7.3.tar.xz/p' "$sums" | sha256sum --quiet -c -) ||
	die "checksum mismatch for linux-source-7.3.tar.xz inside $deb"
step "unpack linux-source-7.3.tar.xz" \
	tar -xJf "$src/usr/src/linux-source-7.3.tar.xz" -C "$repo.tmp" --strip-components=1
rm -rf "$src"

# Debian's tarball ignores everything at the top level (/*): add with -f.
make_base() {
	git -C "$repo.tmp" init -q -b vcpulock-base &&
	git -C "$repo.tmp" add -f -A &&
	# Fixed identity and date: the same tarball gives the same base commit id.
	GIT_AUTHOR_DATE=2026-11-15T22:30:00Z GIT_COMMITTER_DATE=2026-11-15T22:30:00Z \
	git -C "$repo.tmp" -c user.name=vcpulock -c user.email=vcpulock@localhost \
		commit -q -m "Linux $SRCVER (Debian $SRCPKG $SRCVER)"
}
step "make the base commit" make_base
git -C "$repo.tmp" rev-parse HEAD > "$repo.tmp/.git/vcpulock-base"
mv "$repo.tmp" "$repo"
echo "$repo" > "$B/base-repo"
cp "$repo/.git/vcpulock-base" "$B/base-commit"
note "base: $repo ($(cat "$B/base-commit"))"
