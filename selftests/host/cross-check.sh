#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cross-check.sh: the other users of the vCPU lock-all API still compile with
# the series: x86_64 (SEV, TDX) and riscv (AIA), plus virt/kvm/kvm_main.c.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ktap.sh"
need_var B JOBS
tree=$B/trees/patched
[ -f "$tree/Makefile" ] || die "no patched tree (run: make tree VARIANT=patched)"

# One test per architecture: its CROSS_COMPILE, configuration and objects.
archs=(x86_64 riscv)
declare -A arch_cross=([x86_64]="" [riscv]=riscv64-linux-gnu-)
declare -A arch_configs=(
	[x86_64]="-e VIRTUALIZATION -e KVM -e KVM_AMD -e KVM_INTEL -e IOMMU_SUPPORT -e AMD_IOMMU -e CRYPTO_HW -e CRYPTO_DEV_CCP -e CRYPTO_DEV_CCP_DD -e CRYPTO_DEV_SP_PSP -e KVM_AMD_SEV -e X86_X2APIC -e X86_MCE -e CMA -e INTEL_TDX_HOST -e KVM_INTEL_TDX"
	[riscv]="-e VIRTUALIZATION -e KVM"
)
declare -A arch_objects=(
	[x86_64]="virt/kvm/kvm_main.o arch/x86/kvm/svm/sev.o arch/x86/kvm/vmx/tdx.o"
	[riscv]="virt/kvm/kvm_main.o arch/riscv/kvm/aia_device.o"
)

check_arch() {	# check_arch ARCH CROSS CONFIGS OBJECTS
	local arch=$1 cross=$2 cfgs=$3 objs=$4 out=$B/cross/$1
	mkdir -p "$out"
	cross_make() {
		kmake "$tree" "$out" "$arch" "$cross" "$@"
	}
	configure() {
		cross_make defconfig >/dev/null &&
		"$tree/scripts/config" --file "$out/.config" $cfgs &&
		cross_make olddefconfig >/dev/null || return 1
		local o
		for o in $cfgs; do
			[ "$o" = -e ] && continue
			grep -qx "CONFIG_$o=y" "$out/.config" ||
				{ echo "CONFIG_$o did not survive olddefconfig"; return 1; }
		done
	}
	if step "$arch: configure" configure > "$out/build.log" 2>&1 &&
	   step "$arch: compile $objs" cross_make $objs >> "$out/build.log" 2>&1; then
		ktap_test_pass "$arch: $objs"
	else
		ktap_test_fail "$arch: $objs"
		tail -20 "$out/build.log" | sed 's/^/# /'
	fi
}

ktap_print_header
ktap_set_plan "${#archs[@]}"
for a in "${archs[@]}"; do
	check_arch "$a" "${arch_cross[$a]}" "${arch_configs[$a]}" "${arch_objects[$a]}"
done
ktap_finished
