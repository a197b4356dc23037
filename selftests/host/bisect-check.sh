#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bisect-check.sh: build the arm64 kernel after every patch of the series,
# at the shared build path (see build-kernel.sh), so each step is an
# incremental build with the patched kernel's configuration.
. "$(dirname "$0")/lib.sh"
need_var B CROSS_COMPILE JOBS
tree=$B/trees/patched
obj=$B/kbuild/obj
base=$(cat "$B/base-commit")
[ -f "$obj/.config" ] || die "no kernel configuration in $obj (run: make kernel VARIANT=patched)"
mapfile -t commits < <(git -C "$tree" rev-list --reverse "$base..HEAD")
[ "${#commits[@]}" -gt 0 ] || die "the patched tree has no patches on the base"

pass=0 fail=0 n=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	src=$(kbuild_checkout "$c")
	if step "bisect $n/${#commits[@]}: $subject" \
		kmake "$src" "$obj" arm64 "$CROSS_COMPILE" Image > "$B/bisect-$n.log" 2>&1 &&
	   ! grep -E 'warning:|error:' "$B/bisect-$n.log" | grep -q 'arch/arm64/kvm\|virt/kvm'; then
		echo "ok $n build after: $subject"
		pass=$((pass + 1))
	else
		echo "not ok $n build after: $subject"
		grep -E 'warning:|error:' "$B/bisect-$n.log" | head -20 | sed 's/^/# /'
		fail=$((fail + 1))
	fi
done
echo "bisect-check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
