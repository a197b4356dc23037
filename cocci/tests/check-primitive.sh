#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-primitive.sh BASELINE_TREE PATCHED_TREE [--cocci FILE]
#
# Checks the series' semantic patch for code written against the removed
# kvm_trylock_all_vcpus(), PATCHED_TREE's
# scripts/coccinelle/api/kvm_lock_all_vcpus_unless_running.cocci (or FILE),
# on Linux 7.3.4 (BASELINE_TREE).  Both trees are only read.
#  1. the series ships it: git tracks it in PATCHED_TREE (skipped with
#     --cocci);
#  2. it has a patch mode and a report mode;
#  3. report mode on the baseline lists each use of kvm_trylock_all_vcpus()
#     that git grep finds (calls, function pointers, the export; not the
#     prototype, the definition or comments), and nothing else;
#  4. report mode on the patched tree lists nothing;
#  5. patch mode on the baseline applies, and changes the functions that
#     hold those calls and nothing else;
#  6. for each of kvm_vm_ioctl_set_counter_offset(), kvm_vgic_create() and
#     aia_create(): the baseline + the semantic patch + the hand edits of
#     tests/hand-edits-primitive.diff (explained in the .md) = the series;
#  7. at the five vGIC uaccess sites it renames the call and does nothing
#     else: the series converts those to vgic_lock_for_uaccess() instead
#     (check-conversion.sh).
# UPDATE=1 rewrites hand-edits-primitive.diff from the current output.
#
# The semantic patch matches the old name with a regular expression, so
# spatch cannot skip the files that do not mention it: it runs here on the
# KVM sources and on whatever else git grep finds, one file at a time as
# coccicheck does.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cocci/tests/lib.sh
. "$here/lib.sh"
SPATCH=${SPATCH:-spatch}
SPATCH_JOBS=${SPATCH_JOBS:-1}
API=scripts/coccinelle/api/kvm_lock_all_vcpus_unless_running.cocci
OLD=kvm_trylock_all_vcpus
direct=(arch/arm64/kvm/arch_timer.c:kvm_vm_ioctl_set_counter_offset
	arch/arm64/kvm/vgic/vgic-init.c:kvm_vgic_create
	arch/riscv/kvm/aia_device.c:aia_create)
vgic=(arch/arm64/kvm/vgic/vgic-its.c:vgic_its_attr_regs_access
      arch/arm64/kvm/vgic/vgic-its.c:vgic_its_ctrl
      arch/arm64/kvm/vgic/vgic-kvm-device.c:vgic_set_common_attr
      arch/arm64/kvm/vgic/vgic-kvm-device.c:vgic_v2_attr_regs_access
      arch/arm64/kvm/vgic/vgic-kvm-device.c:vgic_v3_attr_regs_access)

die() {
	echo "check-primitive: error: $*" >&2
	exit 1
}
usage() {
	echo "usage: check-primitive.sh BASELINE_TREE PATCHED_TREE [--cocci FILE]" >&2
	exit 2
}
trees=()
cocci=
while [ $# -gt 0 ]; do
	case "$1" in
	--cocci) [ $# -ge 2 ] || usage; cocci=$2; shift 2 ;;
	--cocci=*) cocci=${1#*=}; shift ;;
	-*) usage ;;
	*) trees+=("$1"); shift ;;
	esac
done
[ "${#trees[@]}" -eq 2 ] || usage
btree=$(cd "${trees[0]}" 2>/dev/null && pwd) || die "${trees[0]}: no such directory"
ptree=$(cd "${trees[1]}" 2>/dev/null && pwd) || die "${trees[1]}: no such directory"
command -v "$SPATCH" >/dev/null 2>&1 || die "spatch not found (install coccinelle, or set SPATCH=/path/to/spatch)"
for t in "$btree" "$ptree"; do
	[ "$(git -C "$t" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$t" 2>/dev/null && pwd -P)" ] &&
		[ -f "$t/virt/kvm/kvm_main.c" ] || die "$t is not a git kernel tree"
done
[ -z "$cocci" ] || [ -f "$cocci" ] || die "$cocci: no such file"
[ -z "$cocci" ] || cocci=$(cd "$(dirname "$cocci")" && pwd)/$(basename "$cocci")
sp=${cocci:-$ptree/$API}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/empty" "$work/base" "$work/cocci"

# spatch_on TREE MODE FILE...: the semantic patch over FILEs of TREE,
# with tree-relative paths in its output.  From an empty directory: the
# tree's .cocciconfig asks for --use-gitgrep, which breaks on a file list.
spatch_on() {
	local t=$1 mode=$2 abs opt f
	shift 2
	abs=$(cd "$t" && pwd -P)
	for f; do printf '%s\n\n' "$abs/$f"; done > "$work/groups"
	opt=$(sed -n 's|^// Options:||p' "$sp")
	[ "$mode" = patch ] || opt="$opt --no-show-diff"
	# shellcheck disable=SC2086
	(cd "$work/empty" && "$SPATCH" --very-quiet $opt --timeout 300 --jobs "$SPATCH_JOBS" \
		-D "$mode" --sp-file "$sp" --file-groups "$work/groups") > "$work/out" 2> "$work/err" || {
		cat "$work/err" >&2
		die "spatch failed on $sp ($mode mode, $t)"
	}
	sed -e "s|^--- $abs/|--- a/|" -e "s|^+++ /tmp/cocci-output-[^ ]*|+++ b/@@|" \
	    -e "s|$abs/||g" "$work/out" |
	awk '/^--- a\// { f = substr($0, 7) } /^\+\+\+ b\/@@/ { $0 = "+++ b/" f } 1'
}

# kvm_files TREE: the KVM sources, and any C file that names the old API.
kvm_files() {
	{
		git -C "$1" ls-files -- 'virt/kvm/*.[ch]' 'arch/*/kvm/*.[ch]' \
			'include/linux/kvm*.h' 'arch/*/include/asm/kvm*.h'
		git -C "$1" grep -lw "$OLD" -- '*.[ch]'
	} | sort -u
}

# report_set: FILE:LINE of each report line, sorted.
report_set() {
	sed -n 's/^\([^: ]*\):\([0-9]*\):[0-9-]*: .*/\1:\2/p' | sort -u
}

names=()
checks=()
add() {
	names+=("$1")
	checks+=("$2")
}
add "the series ships $API" check_shipped
add "it has a patch mode and a report mode" check_modes
add "report mode on the baseline lists each use of $OLD(), nothing else" check_report_base
add "report mode on the patched tree lists nothing" check_report_patched
add "patch mode on the baseline applies and changes only the functions holding the calls" check_patch
for d in "${direct[@]}"; do
	add "${d#*:}(): semantic patch + hand-edits-primitive.diff = the series" "check_direct $d"
done
add "the ${#vgic[@]} vGIC uaccess sites: the call renamed, nothing else" check_vgic

check_shipped() {
	git -C "$ptree" ls-files --error-unmatch -- "$API" >/dev/null 2>&1 && return 0
	if [ -e "$ptree/$API" ]; then
		echo "# $API is in the tree but not in git (ignored or untracked): git am of the series does not create it"
	else
		echo "# $ptree has no $API"
	fi
	grep -ns "$API" "$ptree/MAINTAINERS" | sed 's/^/# yet MAINTAINERS:/'
	return 1
}

check_modes() {
	grep -q '^virtual patch' "$sp" && grep -q '^virtual report' "$sp"
}

check_report_base() {
	mapfile -t files < <(kvm_files "$btree")
	spatch_on "$btree" report "${files[@]}" > "$work/report.base" || return 1
	report_set < "$work/report.base" > "$work/report.set"
	# Every use: no prototype, definition or comment.
	git -C "$btree" grep -nw "$OLD" -- '*.[ch]' | awk -F: '
	{ text = $0; sub(/^[^:]*:[^:]*:/, "", text) }
	text ~ /^[ \t]*(\/\*|\*|\/\/)/ { next }
	text ~ /^[ \t]*([a-z_]+[ \t]+)*(int|void)[ \t]+kvm_[a-z_]+[ \t]*\(/ { next }
	{ print $1 ":" $2 }' | sort -u > "$work/grep.set"
	[ -s "$work/grep.set" ] || { echo "# git grep finds no use of $OLD() in $btree"; return 1; }
	if cmp -s "$work/report.set" "$work/grep.set"; then
		echo "# $(wc -l < "$work/grep.set") uses: $(paste -sd' ' "$work/grep.set")"
		return 0
	fi
	comm -23 "$work/grep.set" "$work/report.set" | sed 's/^/# not reported: /'
	comm -13 "$work/grep.set" "$work/report.set" | sed 's/^/# reported, no use: /'
	return 1
}

check_report_patched() {
	mapfile -t files < <(kvm_files "$ptree")
	spatch_on "$ptree" report "${files[@]}" > "$work/report.patched" || return 1
	[ ! -s "$work/report.patched" ] || { sed 's/^/# /' "$work/report.patched"; return 1; }
}

# The functions each file is expected to change in: "FILE FN FN...".
expected_fns() {
	printf '%s\n' "${direct[@]}" "${vgic[@]}" | awk -F: '
	{ fns[$1] = fns[$1] " " $2 } END { for (f in fns) print f fns[f] }' | sort
}

check_patch() {
	local f fns rc=0
	[ -s "$work/report.set" ] || { echo "# no report of the baseline to take the files from"; return 1; }
	mapfile -t files < <(cut -d: -f1 "$work/report.set" | sort -u)
	spatch_on "$btree" patch "${files[@]}" > "$work/cocci.diff" || return 1
	for f in "${files[@]}"; do
		mkdir -p "$work/base/${f%/*}" "$work/cocci/${f%/*}"
		cp "$btree/$f" "$work/base/$f"
		cp "$btree/$f" "$work/cocci/$f"
	done
	(cd "$work/cocci" && git apply "$work/cocci.diff") 2>&1 | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || return 1
	sed -n 's|^+++ b/||p' "$work/cocci.diff" | sort > "$work/changed.files"
	expected_fns | cut -d' ' -f1 > "$work/want.files"
	cmp -s "$work/changed.files" "$work/want.files" ||
		{ echo "# changes $(paste -sd' ' "$work/changed.files"), want $(paste -sd' ' "$work/want.files")"; rc=1; }
	while read -r f fns; do
		[ -f "$work/cocci/$f" ] || continue
		# shellcheck disable=SC2086
		if ! cmp -s <(fn_filter drop "$work/base/$f" $fns) <(fn_filter drop "$work/cocci/$f" $fns); then
			echo "# $f: changed outside $fns"
			rc=1
		fi
		for fn in $fns; do
			cmp -s <(fn_filter keep "$work/base/$f" "$fn") <(fn_filter keep "$work/cocci/$f" "$fn") &&
				{ echo "# $f: $fn() unchanged"; rc=1; }
		done
	done < <(expected_fns)
	return $rc
}

# The residue of the direct callers, made once, before their checks.
make_residue() {
	local d f
	: > "$work/residue"
	for d in "${direct[@]}"; do
		f=${d%%:*}
		mkdir -p "$work/series/${f%/*}"
		git -C "$ptree" show "HEAD:$f" > "$work/series/$f" 2>/dev/null || : > "$work/series/$f"
		if [ -f "$work/cocci/$f" ]; then
			residue "$work/cocci/$f" "$work/series/$f" "$f" "${d#*:}"
		else
			printf '## %s %s()\n(the semantic patch does not change %s)\n' "$f" "${d#*:}" "$f"
		fi >> "$work/residue"
	done
	[ -z "${UPDATE:-}" ] || cp "$work/residue" "$here/hand-edits-primitive.diff"
}

check_direct() {
	local f=${1%%:*} fn=${1#*:}
	[ -f "$work/residue" ] || make_residue
	section "$here/hand-edits-primitive.diff" "$f" "$fn" > "$work/want.sec"
	section "$work/residue" "$f" "$fn" > "$work/got.sec"
	[ -s "$work/want.sec" ] || { echo "# hand-edits-primitive.diff has no section for $f $fn()"; return 1; }
	diff -u "$work/want.sec" "$work/got.sec" > "$work/sec.diff" && return 0
	sed 's/^/# /' "$work/sec.diff" | head -40
	return 1
}

check_vgic() {
	local d f fn rc=0
	for d in "${vgic[@]}"; do
		f=${d%%:*} fn=${d#*:}
		[ -f "$work/cocci/$f" ] || { echo "# $f: not changed"; rc=1; continue; }
		cmp -s <(fn_filter keep "$work/base/$f" "$fn" | sed "s/\\b$OLD(/kvm_lock_all_vcpus_unless_running(/") \
		       <(fn_filter keep "$work/cocci/$f" "$fn") ||
			{ echo "# $fn(): more than the call renamed"; rc=1; }
	done
	return $rc
}

ktap_print_header
ktap_set_plan "${#names[@]}"
if [ -n "$cocci" ]; then
	ktap_test_skip "${names[0]}" "--cocci $cocci given"
else
	check_shipped > "$work/msg"
	ktap_test_result "${names[0]}" [ $? -eq 0 ]
	cat "$work/msg"
fi
for i in $(seq 1 $((${#names[@]} - 1))); do
	if [ ! -f "$sp" ]; then
		ktap_test_skip "${names[$i]}" "no semantic patch"
		continue
	fi
	${checks[$i]} > "$work/msg"
	ktap_test_result "${names[$i]}" [ $? -eq 0 ]
	cat "$work/msg"
done
ktap_finished
