#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh VARIANT: configure (allnoconfig + our fragment) and build
# the arm64 kernel Image of one variant in $B/kernel/VARIANT.
. "$(dirname "$0")/lib.sh"
need_var B FRAGMENT CROSS_COMPILE JOBS
variant=$1
check_variant "$variant"
tree=$B/trees/$variant
out=$B/kernel/$variant
[ -f "$tree/Makefile" ] || die "no $variant tree at $tree (run: make tree VARIANT=$variant)"
mkdir -p "$out"
export CCACHE_BASEDIR=$B

kmake() {
	make -s -C "$tree" O="$out" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

configure() {
	kmake allnoconfig >/dev/null &&
	KCONFIG_CONFIG="$out/.config" "$tree/scripts/kconfig/merge_config.sh" \
		-m -O "$out" "$out/.config" "$FRAGMENT" >/dev/null &&
	kmake olddefconfig >/dev/null
}
step "configure $variant kernel" configure

# A requested option that olddefconfig dropped is an error, not a surprise.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$out/.config" || {
			note "config: $line was requested but the result has: $(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo 'nothing')"
			missing=1
		}
		;;
	esac
done < "$FRAGMENT"
[ "$missing" -eq 0 ] || die "$variant kernel config dropped requested options (see above)"


step "build $variant kernel" kmake Image
note "kernel: $out/arch/arm64/boot/Image"
