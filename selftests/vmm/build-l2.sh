#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-l2.sh: the L2 guest of the VMM test. A minimal arm64 kernel
# (allnoconfig + selftests/vmm/l2.config) from the baseline tree, built
# into $B/vmm/l2/kbuild, and an uncompressed initramfs whose /init is
# l2-init.c. Outputs: $B/vmm/l2/{Image,initramfs.cpio}. Skips the work
# when the tree, the fragment and the init are what the last build used.
. "$(dirname "$0")/lib.sh"
tree=$B/trees/baseline
frag=$vmm_dir/l2.config
out=$VMM_OUT/l2
obj=$out/kbuild
[ -f "$tree/Makefile" ] || die "no baseline tree at $tree (run: make tree VARIANT=baseline)"
mkdir -p "$obj"

stamp="$(git -C "$tree" rev-parse HEAD) $(cat "$frag" "$vmm_dir/l2-init.c" | sha256sum | cut -c1-16)"
if stamp_ok "$out/stamp" "$stamp" && [ -f "$out/Image" ] && [ -f "$out/initramfs.cpio" ]; then
	note "L2 kernel and initramfs are up to date ($out)"
	exit 0
fi
rm -f "$out/stamp"

l2_make() {
	kmake "$tree" "$obj" arm64 "$CROSS_COMPILE" "$@"
}
configure() {
	l2_make allnoconfig >/dev/null &&
	KCONFIG_CONFIG="$obj/.config" "$tree/scripts/kconfig/merge_config.sh" \
		-m -O "$obj" "$obj/.config" "$frag" >/dev/null &&
	l2_make olddefconfig >/dev/null
}
step "configure the L2 kernel" configure || die "cannot configure the L2 kernel"
config_has_fragment "$frag" "$obj/.config" ||
	die "the L2 kernel config dropped requested options (see above)"
step "build the L2 kernel" l2_make Image || die "the L2 kernel did not build"
cp "$obj/arch/arm64/boot/Image" "$out/Image"

bin=$VMM_OUT/bin
step "build the L2 init" make -s -C "$vmm_dir" O="$bin" CROSS_COMPILE="$CROSS_COMPILE" \
	"$bin/l2-init" || die "the L2 init did not build"
gen=$(vmm_gen_init_cpio)
cat > "$out/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
file /init $bin/l2-init 0755 0 0
LIST
"$gen" "$out/initramfs.list" > "$out/initramfs.cpio" || die "gen_init_cpio failed for the L2 initramfs"
echo "$stamp" > "$out/stamp"
note "L2: $out/Image ($(du -k "$out/Image" | cut -f1) KiB), $out/initramfs.cpio"
