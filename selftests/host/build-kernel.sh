#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh VARIANT: configure (allnoconfig + the fragment) and
# build one variant's kernel Image for GUEST_ARCH (default arm64, with
# FRAGMENT; riscv with selftests/configs/kvm-lockdep-riscv.config), and
# copy it to $B/kernel[/GUEST_ARCH]/VARIANT (lib.sh arch_dir).
#
# Every variant is built at one source path ($B/kbuild/src, a worktree
# checked out at the variant's commit) into one object directory per
# architecture ($B/kbuild/obj[/GUEST_ARCH]). Switching variants rewrites only the files the
# series touches, so make rebuilds only what depends on them, and ccache,
# which hashes source paths, hits for everything else. A kernel already
# built from the same commit, fragment and compiler is kept.
. "$(dirname "$0")/lib.sh"
need_var B FRAGMENT CROSS_COMPILE JOBS
variant=$1 arch=${GUEST_ARCH:-arm64}
check_variant "$variant"
top=$(cd "$(dirname "$0")/../.." && pwd)
case "$arch" in
arm64)	frag=$FRAGMENT cross=$CROSS_COMPILE ;;
riscv)	frag=$top/selftests/configs/kvm-lockdep-riscv.config cross=riscv64-linux-gnu- ;;
*)	die "no kernel configuration for GUEST_ARCH=$arch (have: arm64 riscv)" ;;
esac
tree=$B/trees/$variant
[ -f "$tree/Makefile" ] || die "no $variant tree at $tree (run: make tree VARIANT=$variant)"
commit=$(git -C "$tree" rev-parse HEAD)
out=$B/kernel$(arch_dir "$arch")/$variant
image=arch/$arch/boot/Image

# Checked before the shared source path moves, so that the next variant's
# build stays incremental too.
[ -f "$frag" ] || die "no kernel config fragment $frag"
gcc_version=$("${cross}gcc" -dumpfullversion) || die "no ${cross}gcc (run: make deps)"
inputs="$commit $(sha256sum < "$frag" | cut -d' ' -f1) $gcc_version"
if stamp_ok "$out/stamp" "$inputs" && [ -f "$out/$image" ]; then
	note "$variant kernel ($arch): up to date ($(git -C "$tree" log -1 --format=%h HEAD), same fragment and compiler)"
	note "kernel: $out/$image"
	exit 0
fi
rm -f "$out/stamp"

src=$(kbuild_checkout "$commit")
obj=$B/kbuild/obj$(arch_dir "$arch")
mkdir -p "$obj" "$out/arch/$arch/boot"
arch_make() {
	kmake "$src" "$obj" "$arch" "$cross" "$@"
}

configure() {
	arch_make allnoconfig >/dev/null &&
	KCONFIG_CONFIG="$obj/.config" "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$obj" "$obj/.config" "$frag" >/dev/null &&
	arch_make olddefconfig >/dev/null
}
what="$variant kernel$( [ "$arch" = arm64 ] || echo " ($arch)")"
step "configure $what" configure

# A requested option that olddefconfig dropped is an error, not a surprise.
config_has_fragment "$frag" "$obj/.config" ||
	die "$what config dropped requested options (see above)"

step "build $what" arch_make Image
cp "$obj/$image" "$out/$image"
cp "$obj/.config" "$obj/System.map" "$out/"
echo "$commit" > "$out/commit"
echo "$inputs" > "$out/stamp"
note "kernel: $out/$image"
