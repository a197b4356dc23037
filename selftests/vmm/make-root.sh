#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-root.sh [ext4|9p]: the filesystem the L1 guest mounts on /vmm and
# chroots QEMU into: $CACHE/vmm/root (Debian's arm64 QEMU and its closure),
# plus /bin/sh and /bin/cat (busybox, for QEMU's "exec:" migration), the L2
# kernel and initramfs in /l2, and empty /tmp /dev /proc /sys mount points.
#   ext4: $B/vmm/root.ext4, made with `mke2fs -d` (no journal; L1 mounts it
#         read-only from a virtio-mmio disk);
#   9p:   the directory $B/vmm/rootfs itself, exported read-only.
# Prints the image (or directory) path. Skips the work when up to date.
. "$(dirname "$0")/lib.sh"
kind=${1:-ext4}
staging=$VMM_OUT/rootfs
img=$VMM_OUT/root.ext4
l2=$VMM_OUT/l2
for f in "$VMM_ROOT/usr/bin/qemu-system-aarch64" "$VMM_ROOT/bin/busybox"; do
	[ -e "$f" ] || die "no $f (run: selftests/vmm/fetch-qemu.sh)"
done
[ -f "$l2/Image" ] && [ -f "$l2/initramfs.cpio" ] || die "no L2 kernel in $l2 (run: selftests/vmm/build-l2.sh)"

stamp="$(cat "$VMM_CACHE/root.stamp") $(cat "$l2/stamp")"
if ! stamp_ok "$staging.stamp" "$stamp" || [ ! -d "$staging/l2" ]; then
	rm -rf "$staging" "$staging.stamp"
	# Hard links: the cached root is never written through them.
	cp -al "$VMM_ROOT" "$staging" 2>/dev/null || cp -a "$VMM_ROOT" "$staging" ||
		die "cannot copy $VMM_ROOT to $staging"
	for t in sh cat; do
		[ -e "$staging/bin/$t" ] || ln -s busybox "$staging/bin/$t"
	done
	mkdir -p "$staging/tmp" "$staging/dev" "$staging/proc" "$staging/sys" "$staging/l2"
	cp "$l2/Image" "$l2/initramfs.cpio" "$staging/l2/"
	echo "$stamp" > "$staging.stamp"
fi

case "$kind" in
9p)
	echo "$staging"
	;;
ext4)
	if ! stamp_ok "$img.stamp" "$stamp" || [ ! -f "$img" ]; then
		rm -f "$img" "$img.stamp"
		mb=$(( $(du -sm "$staging" | cut -f1) * 5 / 4 + 32 ))
		step "mke2fs -d ($mb MiB ext4)" mke2fs -q -F -t ext4 -O ^has_journal \
			-L vmmroot -E root_owner=0:0 -d "$staging" "$img" "${mb}M" >&2 ||
			die "mke2fs -d $staging failed"
		echo "$stamp" > "$img.stamp"
	fi
	echo "$img"
	;;
*)
	die "make-root.sh: want ext4 or 9p, not '$kind'"
	;;
esac
