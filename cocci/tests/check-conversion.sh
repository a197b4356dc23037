#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-conversion.sh PATCHED_TREE [BASE_COMMIT]: apply vgic_uaccess_lock.cocci
# to the vGIC files of the base (Linux 7.3.4) and compare each converted
# site with the series' version of it (PATCHED_TREE's HEAD). What remains
# is the set of hand edits the semantic patch does not make; it must equal
# tests/hand-edits.diff, where each one is explained (tests/hand-edits.md).
# UPDATE=1 rewrites hand-edits.diff from the current output.
#
# The series converts the sites over several patches and gives the helper
# its vcpu argument in a later one, so no commit has the final helper next
# to unconverted sites: the comparison is base + semantic patch against the
# series' last commit, one site function at a time (lib.sh).  The trees are
# only read: the base files are checked out into a temporary directory.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cocci/tests/lib.sh
. "$here/lib.sh"
files=(arch/arm64/kvm/vgic/vgic-its.c arch/arm64/kvm/vgic/vgic-kvm-device.c)
sites=(vgic_its_attr_regs_access vgic_its_ctrl vgic_set_common_attr
       vgic_v2_attr_regs_access vgic_v3_attr_regs_access)

die() {
	echo "check-conversion: error: $*" >&2
	exit 1
}
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: check-conversion.sh PATCHED_TREE [BASE_COMMIT]" >&2; exit 2; }
tree=$1
base=${2:-$(cat "$tree/../../base-commit" 2>/dev/null || true)}
git -C "$tree" rev-parse --verify -q "${base:-none}^{commit}" >/dev/null ||
	die "cannot find the base commit of $tree (give it as BASE_COMMIT)"
git -C "$tree" grep -q 'vgic_lock_for_uaccess(' HEAD -- arch/arm64/kvm/vgic/vgic.h ||
	die "$tree has no vgic_lock_for_uaccess() in arch/arm64/kvm/vgic/vgic.h: not the series"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The base files, in a git tree that run.sh accepts.
mkdir "$work/base" "$work/series"
git -C "$tree" archive "$base" Makefile include/linux/kvm_host.h virt/kvm "${files[@]}" |
	tar -x -C "$work/base" || die "cannot check out $base"
git -C "$work/base" init -q && git -C "$work/base" add -A &&
	git -C "$work/base" -c user.name=check -c user.email=check@localhost commit -q -m base ||
	die "cannot make a git tree of $base"
"$here/../run.sh" convert "$work/base" --report > "$work/report" || exit 1
"$here/../run.sh" convert "$work/base" > "$work/cocci.diff" || exit 1
git -C "$work/base" apply "$work/cocci.diff" || die "the conversion does not apply to $base"
for f in "${files[@]}"; do
	git -C "$tree" show "HEAD:$f" > "$work/series/${f##*/}" || die "no $f in $tree"
done

# The residue, site by site, in the order of the report (file, line).
sed -n 's/^\([^:]*\):[0-9].*: \([a-z0-9_]*\)(): open-coded.*/\1 \2/p' "$work/report" > "$work/found"
: > "$work/residue"
while read -r f fn; do
	residue "$work/base/$f" "$work/series/${f##*/}" "$f" "$fn" >> "$work/residue"
done < "$work/found"
[ -z "${UPDATE:-}" ] || cp "$work/residue" "$here/hand-edits.diff"

ktap_print_header
ktap_set_plan $((1 + ${#sites[@]}))
printf '%s\n' "${sites[@]}" | sort > "$work/want"
cut -d' ' -f2 "$work/found" | sort > "$work/got"
ktap_test_result "the conversion finds the ${#sites[@]} vGIC uaccess sites of the base, no other" \
	cmp -s "$work/want" "$work/got"
if ! cmp -s "$work/want" "$work/got"; then
	echo "# found: $(paste -sd' ' "$work/got")"
fi
for fn in "${sites[@]}"; do
	f=$(awk -v fn="$fn" '$2 == fn { print $1 }' "$work/found")
	section "$here/hand-edits.diff" "$f" "$fn" > "$work/want.sec"
	section "$work/residue" "$f" "$fn" > "$work/got.sec"
	ok=1
	[ -n "$f" ] && [ -s "$work/want.sec" ] && diff -u "$work/want.sec" "$work/got.sec" > "$work/sec.diff" && ok=0
	ktap_test_result "$fn(): semantic patch + hand-edits.diff = the series' conversion" [ $ok -eq 0 ]
	[ $ok -eq 0 ] || sed 's/^/# /' "$work/sec.diff" 2>/dev/null | head -40
done
ktap_finished
