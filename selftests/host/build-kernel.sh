#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh VARIANT: configure (allnoconfig + our fragment) and build
# the arm64 kernel Image of one variant, and copy it to $B/kernel/VARIANT.
#
# Every variant is built at one source path ($B/kbuild/src, a worktree
# checked out at the variant's commit) into one object directory
# ($B/kbuild/obj). Switching variants rewrites only the files the series
# touches, so make rebuilds only what depends on them, and ccache, which
# hashes source paths, hits for everything else.
. "$(dirname "$0")/lib.sh"
need_var B FRAGMENT CROSS_COMPILE JOBS
variant=$1
check_variant "$variant"
tree=$B/trees/$variant
[ -f "$tree/Makefile" ] || die "no $variant tree at $tree (run: make tree VARIANT=$variant)"
commit=$(git -C "$tree" rev-parse HEAD)
src=$(kbuild_checkout "$commit")
obj=$B/kbuild/obj
out=$B/kernel/$variant
mkdir -p "$obj" "$out/arch/arm64/boot"
arm64_make() {
	kmake "$src" "$obj" arm64 "$CROSS_COMPILE" "$@"
}

configure() {
	arm64_make allnoconfig >/dev/null &&
	KCONFIG_CONFIG="$obj/.config" "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$obj" "$obj/.config" "$FRAGMENT" >/dev/null &&
	arm64_make olddefconfig >/dev/null
}
step "configure $variant kernel" configure

# A requested option that olddefconfig dropped is an error, not a surprise.
config_has_fragment "$FRAGMENT" "$obj/.config" ||
	die "$variant kernel config dropped requested options (see above)"

step "build $variant kernel" arm64_make Image
cp "$obj/arch/arm64/boot/Image" "$out/arch/arm64/boot/Image"
cp "$obj/.config" "$obj/System.map" "$out/"
echo "$commit" > "$out/commit"
note "kernel: $out/arch/arm64/boot/Image"
