#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-qemu-riscv.sh: the emulator of the riscv-aia machine, unpacked into
# $CACHE/qemu-riscv: qemu-system-riscv from bookworm-backports (QEMU 10.0;
# bookworm's 7.2 emulates the AIA too poorly to boot Linux on it with
# 2 harts) and OpenSBI from bookworm, through private apt configurations
# (lib.sh apt_private) and `dpkg-deb -x`: no maintainer script runs, the
# system's apt is not touched. The host provides the libraries, as for
# bookworm's own QEMU; a library the host lacks is one error naming it.
#
# Writes $CACHE/qemu-riscv/{usr/,version}; skips the download when they are
# there. QEMU_RISCV_PACKAGES overrides the package list (the tests use a
# name that does not exist).
. "$(dirname "$0")/lib.sh"
need_var CACHE
out=$CACHE/qemu-riscv
qemu=$out/usr/bin/qemu-system-riscv64
firmware=$out/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
read -r -a packages <<< "${QEMU_RISCV_PACKAGES:-qemu-system-riscv}"
stamp="bookworm-backports: ${packages[*]}; bookworm: opensbi"

# ldd's "not found" lines, one error naming the first library and its package hint
check_libraries() {
	local missing
	missing=$(ldd "$qemu" 2>&1 | awk '/not found/ { print $1 }' | tr '\n' ' ')
	[ -z "$missing" ] ||
		die "$qemu needs libraries the host lacks: $missing(install the Debian packages that ship them)"
}

if stamp_ok "$out/stamp" "$stamp" && [ -x "$qemu" ] && [ -f "$firmware" ]; then
	check_libraries
	note "riscv QEMU up to date: $(cat "$out/version")"
	exit 0
fi

debs=$CACHE/qemu-riscv.debs
rm -rf "$debs" "$out.tmp"
mkdir -p "$debs" "$out.tmp"
fetch() {	# fetch SUITE PACKAGE...
	local suite=$1 log=$debs/apt.log
	shift
	apt_private "$CACHE/apt-$suite" "$suite"
	(cd "$debs" && apt-get -q "${APT_OPTS[@]}" download "$@" > "$log" 2>&1) ||
		die "cannot fetch $* from $suite: $(grep -m1 '^E:' "$log" || tail -n 1 "$log")"
}
fetch bookworm-backports "${packages[@]}"
fetch bookworm opensbi
for deb in "$debs"/*.deb; do
	dpkg-deb -x "$deb" "$out.tmp" || die "dpkg-deb -x $deb failed"
done
rm -rf "$out"
mv "$out.tmp" "$out"
rm -rf "$debs"
[ -x "$qemu" ] || die "${packages[*]} from bookworm-backports has no usr/bin/qemu-system-riscv64"
[ -f "$firmware" ] || die "opensbi from bookworm has no $firmware"

check_libraries
"$qemu" --version | head -n 1 > "$out/version" || die "$qemu --version failed"
echo "$stamp" > "$out/stamp"
note "riscv QEMU: $(cat "$out/version") in $out"
