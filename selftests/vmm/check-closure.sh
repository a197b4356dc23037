#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-closure.sh ROOT [BINARY...]: ask arm64's own dynamic loader, ROOT's
# /lib/ld-linux-aarch64.so.1 run under qemu-aarch64 (user mode, -L ROOT),
# to resolve every library of each BINARY (a path inside ROOT; default
# /usr/bin/qemu-system-aarch64), and check that each one it picked is a
# file in ROOT. No ld.so.cache: the L1 guest has none either. A hole is one
# error line naming the library. QEMU_USER= names the qemu-aarch64 binary.
. "$(dirname "$0")/lib.sh"
root=${1:?usage: check-closure.sh ROOT [BINARY...]}
shift
[ "$#" -gt 0 ] || set -- /usr/bin/qemu-system-aarch64
qemu_user=${QEMU_USER:-$VMM_QEMU_USER}
[ -x "$qemu_user" ] || die "no qemu-aarch64 at $qemu_user (run: selftests/vmm/fetch-qemu.sh)"
[ -d "$root" ] || die "no root at $root"
root=$(cd "$root" && pwd)
ldso=/lib/ld-linux-aarch64.so.1
[ -e "$root$ldso" ] || die "library closure has a hole: $ldso (the dynamic loader) is not in $root"

holes=() checked=0
for bin in "$@"; do
	[ -f "$root$bin" ] || die "$bin is not in $root"
	out=$("$qemu_user" -L "$root" "$root$ldso" --inhibit-cache --list "$bin" 2>&1) || true
	[ -n "$out" ] || die "the dynamic loader printed nothing for $bin"
	if grep -q 'not a dynamic executable' <<< "$out"; then
		continue
	fi
	while read -r name arrow path _; do
		case "$arrow" in
		'=>') ;;
		*) continue ;;
		esac
		checked=$((checked + 1))
		if [ "$path" = not ]; then
			holes+=("$name (needed by $bin: the loader found it nowhere)")
		else
			# The loader itself is named by its host path, the rest by
			# their path inside the root.
			case "$path" in
			"$root"/*) in_root=$path ;;
			*) in_root=$root$path ;;
			esac
			[ -e "$in_root" ] ||
				holes+=("$name (needed by $bin: resolved to $path, which is not in the root)")
		fi
	done <<< "$out"
	# ld.so --list stops at the first library it cannot open.
	err=$(grep -m1 'error while loading shared libraries' <<< "$out" || true)
	if [ -n "$err" ]; then
		lib=$(sed -n 's/.*error while loading shared libraries: \([^:]*\): \(.*\)/\1/p' <<< "$err")
		why=$(sed -n 's/.*error while loading shared libraries: [^:]*: \(.*\)/\1/p' <<< "$err")
		holes+=("${lib:-?} (needed by $bin: ${why:-$err})")
	fi
done
if [ "${#holes[@]}" -gt 0 ]; then
	for h in "${holes[@]:1}"; do
		note "also missing: $h"
	done
	die "library closure has a hole: ${holes[0]}"
fi
note "library closure: $checked libraries of $* resolve inside $root"
