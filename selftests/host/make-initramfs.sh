#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-initramfs.sh VARIANT [NAME]: pack the runner, the tests of the plan
# (PLAN, default selftests/configs/tests.list) and our tools into
# $B/initramfs/NAME.cpio.gz (NAME defaults to VARIANT) with the kernel's
# usr/gen_init_cpio.
# Baseline also gets the tests the series adds (built from the patched tree):
# they must show the bug on baseline.
# GUEST_ARCH=riscv packs the riscv-aia machine's plan
# (selftests/configs/tests-riscv.list; PLAN is the arm64 machines') into
# $B/initramfs/riscv/NAME.cpio.gz.
. "$(dirname "$0")/lib.sh"
need_var B
variant=$1
initrd_name=${2:-$variant}
arch=${GUEST_ARCH:-arm64}
check_variant "$variant"
top=$(cd "$(dirname "$0")/../.." && pwd)
plan=$(plan_of "$arch")
[ -f "$plan" ] || die "no test plan at $plan (GUEST_ARCH=$arch)"
st=$B/selftests$(arch_dir "$arch")/$variant
out=$B/initramfs$(arch_dir "$arch")
tree=$B/trees/$variant
[ -x "$st/runner/init" ] || die "no runner for $variant (run: make selftests VARIANT=$variant GUEST_ARCH=$arch)"
mkdir -p "$out" "$B/host"

gen=$B/host/gen_init_cpio
[ -x "$gen" ] || gcc -O2 -o "$gen" "$tree/usr/gen_init_cpio.c" ||
	die "cannot build usr/gen_init_cpio"

list=$out/$initrd_name.list
tests=$out/$initrd_name.tests
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "dir /tmp 1777 0 0"
	echo "dir /etc 0755 0 0"
	echo "dir /etc/vcpulock 0755 0 0"
	echo "file /init $st/runner/init 0755 0 0"
	echo "file /etc/vcpulock/tests $tests 0644 0 0"
} > "$list"
: > "$tests"

declare -A dirs=()
add_bin() {	# add_bin PATH-IN-GUEST HOST-FILE
	local d=${1%/*}
	while [ -n "$d" ] && [ -z "${dirs[$d]:-}" ]; do
		dirs[$d]=1
		echo "dir $d 0755 0 0" >> "$list.dirs"
		d=${d%/*}
	done
	echo "file $1 $2 0755 0 0" >> "$list.files"
}
: > "$list.dirs"
: > "$list.files"

while read -r name timeout args; do
	case "$name" in ''|'#'*) continue ;; esac
	case "$name" in
	tools/*) bin=$st/tools/${name#tools/} ;;
	*) bin=$st/kvm/$name
	   if [ ! -x "$bin" ] && [ "$variant" != patched ] &&
	      [ -x "$B/selftests/patched/kvm/$name" ]; then
		   bin=$B/selftests/patched/kvm/$name
		   note "$variant: $name comes from the series (built from the patched tree)"
	   fi ;;
	esac
	if [ ! -x "$bin" ]; then
		grep -qxF "$name" "$st/unbuilt.list" 2>/dev/null &&
			die "$variant: planned test $name did not build (see $st/build.log)"
		die "$variant: planned test $name does not exist (not in this tree and not added by the series)"
	fi
	add_bin "/$name" "$bin"
	echo "$name $timeout /$name $args" >> "$tests"
done < "$plan"

# Parents before children, files last: the unpacker does not create dirs.
sort -t' ' -k2,2 "$list.dirs" >> "$list"
cat "$list.files" >> "$list"
rm -f "$list.dirs" "$list.files"
"$gen" "$list" | gzip -n > "$out/$initrd_name.cpio.gz" ||
	die "gen_init_cpio failed for $list"
note "initramfs: $out/$initrd_name.cpio.gz ($(wc -l < "$tests") tests)"
