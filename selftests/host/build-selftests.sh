#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-selftests.sh VARIANT: install VARIANT's UAPI headers and
# cross-build its static arm64 KVM selftests, plus our own in-guest tools
# and runner, into $B/selftests/VARIANT. Tests that fail to build are
# listed, never dropped silently; the core vgic tests and the tests our
# series adds must build. GUEST_ARCH=riscv builds the runner and the riscv-aia
# machine's test (selftests/riscv) into $B/selftests/riscv/VARIANT.
. "$(dirname "$0")/lib.sh"
need_var B CROSS_COMPILE JOBS
variant=$1 arch=${GUEST_ARCH:-arm64}
check_variant "$variant"
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=$B/trees/$variant
kout=$B/kernel$(arch_dir "$arch")/$variant
out=$B/selftests$(arch_dir "$arch")/$variant
[ -f "$tree/Makefile" ] || die "no $variant tree at $tree (run: make tree VARIANT=$variant)"
mkdir -p "$kout" "$out/gen/tools"
export CCACHE_BASEDIR=$B

# install_headers WHAT ARCH=A MAKE-ARGS...: `make headers` into $kout,
# unless the headers there were made at a commit whose UAPI sources, syscall
# tables and build scripts are those of the tree's HEAD: an edit to the
# series does not make them again.
install_headers() {
	local what=$1 commit made a=${2#ARCH=}
	shift
	commit=$(git -C "$tree" rev-parse HEAD)
	made=$(cat "$kout/headers.stamp" 2>/dev/null || true)
	if [ -n "$made" ] && [ -d "$kout/usr/include/linux" ] &&
	   git -C "$tree" diff --quiet "$made" HEAD -- include/uapi "arch/$a/include/uapi" \
		"arch/$a/kernel/syscalls" Makefile "arch/$a/Makefile" \
		scripts ':(exclude)scripts/coccinelle' 2>/dev/null; then
		note "$what: up to date (no UAPI change since $(git -C "$tree" log -1 --format=%h "$made"))"
		return 0
	fi
	rm -f "$kout/headers.stamp"
	step "install $what" make -s -C "$tree" O="$kout" "$@" headers
	echo "$commit" > "$kout/headers.stamp"
}

if [ "$arch" = riscv ]; then
	install_headers "$variant UAPI headers (riscv)" ARCH=riscv
	step "build the runner (riscv)" make -s -C "$top/selftests/runner" \
		O="$out/runner" CROSS_COMPILE=riscv64-linux-gnu- "$out/runner/init"
	step "build the riscv-aia test" make -s -C "$top/selftests/riscv" \
		O="$out/tools" KHDR="$kout" CROSS_COMPILE=riscv64-linux-gnu-
	exit 0
fi
[ "$arch" = arm64 ] || die "no selftests for GUEST_ARCH=$arch (have: arm64 riscv)"

install_headers "$variant UAPI headers" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE"

kvm=$tree/tools/testing/selftests/kvm
mapfile -t all < <(make -s -C "$kvm" ARCH=arm64 -f - print-tests <<'MK' 2>/dev/null
include Makefile.kvm
print-tests:
	@printf '%s\n' $(TEST_GEN_PROGS_arm64)
MK
)
[ "${#all[@]}" -gt 0 ] || die "cannot list TEST_GEN_PROGS_arm64 from $kvm/Makefile.kvm"

# abs_objdir keeps the generated arm64 sysreg headers out of the source tree.
kvm_make() {
	make -C "$kvm" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" OUTPUT="$out/kvm" abs_objdir="$out/gen" \
		KHDR_INCLUDES="-isystem $kout/usr/include" LDFLAGS=-static \
		-j"$JOBS" -k "$@" > "$out/build.log" 2>&1
}
step "build $variant KVM selftests (${#all[@]} tests)" \
	kvm_make "${all[@]/#/$out/kvm/}" || true

: > "$out/built.list"
: > "$out/unbuilt.list"
for t in "${all[@]}"; do
	if [ -x "$out/kvm/$t" ]; then
		echo "$t" >> "$out/built.list"
	else
		echo "$t" >> "$out/unbuilt.list"
	fi
done
if [ -s "$out/unbuilt.list" ]; then
	note "$variant: $(wc -l < "$out/unbuilt.list") selftests did not build (see $out/build.log):" \
		"$(tr '\n' ' ' < "$out/unbuilt.list")"
fi

# The core tests, and every test the series adds, must build.
required=(arm64/vgic_init arm64/vgic_irq arm64/vgic_its_save arm64/vgic_lpi_stress)
: > "$out/added.list"
while read -r f; do
	t=${f#tools/testing/selftests/kvm/}
	t=${t%.c}
	printf '%s\n' "${all[@]}" | grep -qxF "$t" || continue
	required+=("$t")
	echo "$t" >> "$out/added.list"
done < <(git -C "$tree" diff --name-only --diff-filter=A "$(cat "$B/base-commit")" HEAD -- \
	'tools/testing/selftests/kvm/*.c')
for t in "${required[@]}"; do
	[ -x "$out/kvm/$t" ] || die "$variant: required selftest $t did not build (see $out/build.log)"
done
printf '%s\n' "${required[@]}" > "$out/required.list"

step "build the runner" make -s -C "$top/selftests/runner" O="$out/runner"
step "build our in-guest tools" make -s -C "$top/selftests/tools" \
	O="$out/tools" KHDR="$kout" CROSS_COMPILE="$CROSS_COMPILE"
