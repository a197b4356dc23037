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
arm64_make() {
	kmake "$tree" "$out" arm64 "$CROSS_COMPILE" "$@"
}

configure() {
	arm64_make allnoconfig >/dev/null &&
	KCONFIG_CONFIG="$out/.config" "$tree/scripts/kconfig/merge_config.sh" \
		-m -O "$out" "$out/.config" "$FRAGMENT" >/dev/null &&
	arm64_make olddefconfig >/dev/null
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


step "build $variant kernel" arm64_make Image
note "kernel: $out/arch/arm64/boot/Image"
