#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cross-check.sh: the other users of the vCPU lock-all API still compile with
# the series: x86_64 (SEV, TDX) and riscv (AIA), plus virt/kvm/kvm_main.c.
. "$(dirname "$0")/lib.sh"
need_var B JOBS
tree=$B/trees/patched
[ -f "$tree/Makefile" ] || die "no patched tree (run: make tree VARIANT=patched)"

pass=0 fail=0 n=0
check_arch() {	# check_arch ARCH CROSS CONFIGS OBJECTS
	local arch=$1 cross=$2 cfgs=$3 objs=$4 out=$B/cross/$1
	mkdir -p "$out"
	n=$((n + 1))
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
		echo "ok $n $arch: $objs"
		pass=$((pass + 1))
	else
		echo "not ok $n $arch: $objs"
		tail -20 "$out/build.log" | sed 's/^/# /'
		fail=$((fail + 1))
	fi
}

check_arch x86_64 "" \
	"-e VIRTUALIZATION -e KVM -e KVM_AMD -e KVM_INTEL -e IOMMU_SUPPORT -e AMD_IOMMU -e CRYPTO_HW -e CRYPTO_DEV_CCP -e CRYPTO_DEV_CCP_DD -e CRYPTO_DEV_SP_PSP -e KVM_AMD_SEV -e X86_X2APIC -e X86_MCE -e CMA -e INTEL_TDX_HOST -e KVM_INTEL_TDX" \
	"virt/kvm/kvm_main.o arch/x86/kvm/svm/sev.o arch/x86/kvm/vmx/tdx.o"
check_arch riscv riscv64-linux-gnu- \
	"-e VIRTUALIZATION -e KVM" \
	"virt/kvm/kvm_main.o arch/riscv/kvm/aia_device.o"
echo "cross-check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
