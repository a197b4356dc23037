#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bisect-check.sh: build the arm64 kernel at the base and after every patch,
# reusing the patched tree and its build directory so each step is an
# incremental build. Ends with the tree back at the top of the series.
. "$(dirname "$0")/lib.sh"
need_var B CROSS_COMPILE JOBS
tree=$B/trees/patched
out=$B/kernel/patched
base=$(cat "$B/base-commit")
[ -f "$out/.config" ] || die "no patched kernel config (run: make kernel VARIANT=patched)"
top_commit=$(git -C "$tree" rev-parse HEAD)
mapfile -t commits < <(git -C "$tree" rev-list --reverse "$base..$top_commit")
[ "${#commits[@]}" -gt 0 ] || die "the patched tree has no patches on the base"

restore() { git -C "$tree" checkout -q --detach "$top_commit"; }
trap restore EXIT

pass=0 fail=0 n=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	git -C "$tree" checkout -q --detach "$c"
	if step "bisect $n/${#commits[@]}: $subject" \
		kmake "$tree" "$out" arm64 "$CROSS_COMPILE" Image > "$B/bisect-$n.log" 2>&1 &&
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
