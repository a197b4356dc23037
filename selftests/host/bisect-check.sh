#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bisect-check.sh: build the arm64 kernel after every patch of the series,
# at the shared build path (see build-kernel.sh), so each step is an
# incremental build with the patched kernel's configuration.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ktap.sh"
need_var B CROSS_COMPILE JOBS
tree=$B/trees/patched
obj=$B/kbuild/obj
base=$(cat "$B/base-commit")
[ -f "$obj/.config" ] || die "no kernel configuration in $obj (run: make kernel VARIANT=patched)"
mapfile -t commits < <(git -C "$tree" rev-list --reverse "$base..HEAD")
[ "${#commits[@]}" -gt 0 ] || die "the patched tree has no patches on the base"

ktap_print_header
ktap_set_plan "${#commits[@]}"
# Not grep -q below: under pipefail, the first grep killed by SIGPIPE when
# grep -q stops reading at a KVM warning would make the build pass.
n=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	src=$(kbuild_checkout "$c")
	if step "bisect $n/${#commits[@]}: $subject" \
		kmake "$src" "$obj" arm64 "$CROSS_COMPILE" Image > "$B/bisect-$n.log" 2>&1 &&
	   ! grep -E 'warning:|error:' "$B/bisect-$n.log" | grep 'arch/arm64/kvm\|virt/kvm' > /dev/null; then
		ktap_test_pass "build after: $subject"
	else
		ktap_test_fail "build after: $subject"
		# (|| true: no such line, or head closing the pipe, is no reason
		# for set -e to end the suite before its other builds.)
		grep -E 'warning:|error:' "$B/bisect-$n.log" | head -20 | sed 's/^/# /' || true
	fi
done
ktap_finished
