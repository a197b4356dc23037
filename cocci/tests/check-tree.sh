#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-tree.sh TREE [--convert-sites FN,FN,...|none] [--callers API=FN,FN,...]...
#
# Checks the semantic patches against a real kernel tree (read only):
#  1. the audit finds exactly the calls of the lock-all API that git grep
#     finds, minus prototypes, definitions, EXPORT_SYMBOL*() lines, comment
#     lines and files that are not C;
#  2. the pairing check is silent;
#  3. the conversion applies to exactly the given functions (default: the
#     five vGIC uaccess sites; "none" for a tree that the series converted),
#     once each, and its diff applies with git apply --check;
#  4. each lock API is called from exactly the expected functions, with
#     kvm->lock evidence at every call.  The defaults are Linux 7.3.4's
#     callers, or the series' with --convert-sites none; --callers API=
#     (nothing after "=") expects no call;
#  5. with --convert-sites none: git grep finds kvm_trylock_all_vcpus
#     nowhere in the tree, in any file: the series removed it.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
run=$here/../run.sh
# shellcheck source=selftests/host/ktap.sh
. "$here/../../selftests/host/ktap.sh"
LOCKS=(kvm_trylock_all_vcpus kvm_lock_all_vcpus kvm_lock_all_vcpus_unless_running
       kvm_lock_vcpu_unless_running)
sites=vgic_set_common_attr,vgic_v2_attr_regs_access,vgic_v3_attr_regs_access,vgic_its_attr_regs_access,vgic_its_ctrl
# x86 SEV and TDX, untouched by the series.
x86=sev_launch_update_vmsa,sev_vm_move_enc_context_from,snp_launch_update_vmsa,tdx_acquire_vm_state_locks
# shellcheck disable=SC2054 # the values are comma-separated lists
declare -A base=(
	[kvm_trylock_all_vcpus]=aia_create,kvm_vgic_create,kvm_vm_ioctl_set_counter_offset,$sites
	[kvm_lock_all_vcpus]=$x86
	[kvm_lock_all_vcpus_unless_running]=""
	[kvm_lock_vcpu_unless_running]=""
)
# shellcheck disable=SC2054
declare -A series=(
	[kvm_trylock_all_vcpus]=""
	[kvm_lock_all_vcpus]=$x86
	[kvm_lock_all_vcpus_unless_running]=aia_create,kvm_vgic_create,kvm_vm_ioctl_set_counter_offset,vgic_lock_for_uaccess
	[kvm_lock_vcpu_unless_running]=vgic_lock_for_uaccess
)
declare -A callers=()

usage() {
	echo "usage: check-tree.sh TREE [--convert-sites FN,FN,...|none] [--callers API=FN,FN,...]..." >&2
	exit 2
}
[ $# -ge 1 ] || usage
tree=$1
shift
while [ $# -gt 0 ]; do
	case "$1" in
	--convert-sites) [ $# -ge 2 ] || usage; sites=$2; shift 2 ;;
	--convert-sites=*) sites=${1#*=}; shift ;;
	--callers) [ $# -ge 2 ] && [[ $2 == *=* ]] || usage; callers[${2%%=*}]=${2#*=}; shift 2 ;;
	*) usage ;;
	esac
done
for api in "${!callers[@]}"; do
	[ -n "${base[$api]+set}" ] || { echo "check-tree: error: --callers: $api is not a lock API (${LOCKS[*]})" >&2; exit 2; }
done
[ "$sites" = none ] && sites=
for api in "${LOCKS[@]}"; do
	[ -n "${callers[$api]+set}" ] && continue
	if [ -n "$sites" ]; then callers[$api]=${base[$api]}; else callers[$api]=${series[$api]}; fi
done
# One test per lock API; check 5 only applies to a converted tree.
plan=$((3 + ${#LOCKS[@]}))
[ -z "$sites" ] && plan=$((plan + 1))

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# list FILE: its lines joined with ", ", or "nothing"
list() {
	if [ -s "$1" ]; then paste -sd, "$1" | sed 's/,/, /g'; else echo nothing; fi
}

ktap_print_header
ktap_set_plan "$plan"

# 1. audit call set == git grep call set
"$run" audit "$tree" --json "$work/audit.json" > "$work/audit.txt" ||
	ktap_exit_fail_msg "cocci/run.sh audit failed on $tree"
python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    print("%s:%d" % (r["file"], r["line"]))
' "$work/audit.json" | sort -u > "$work/audit.set"
pats=()
for api in "${LOCKS[@]}" kvm_unlock_all_vcpus; do pats+=(-e "$api"); done
git -C "$tree" grep -nw "${pats[@]}" |
	awk -F: '
	$1 !~ /\.[ch]$/ { next }				# not C
	{ text = $0; sub(/^[^:]*:[^:]*:/, "", text) }
	text ~ /EXPORT_SYMBOL/ { next }				# export
	text ~ /^[ \t]*(\/\*|\*|\/\/)/ { next }			# comment line
	text ~ /^[ \t]*([a-z_]+[ \t]+)*(int|void)[ \t]+kvm_[a-z_]+[ \t]*\(/ { next }	# prototype, definition
	{ print $1 ":" $2 }' | sort -u > "$work/grep.set"
if cmp -s "$work/audit.set" "$work/grep.set"; then
	ktap_test_pass "audit call sites == git grep call sites ($(wc -l < "$work/grep.set"))"
else
	ktap_test_fail "audit call sites == git grep call sites"
	echo "# git grep:"; sed 's/^/#   /' "$work/grep.set"
	echo "# audit:"; sed 's/^/#   /' "$work/audit.set"
	echo "# only in git grep:"; comm -23 "$work/grep.set" "$work/audit.set" | sed 's/^/#   /'
	echo "# only in audit:"; comm -13 "$work/grep.set" "$work/audit.set" | sed 's/^/#   /'
fi

# 2. pairing silent
"$run" pairing "$tree" > "$work/pairing.txt" ||
	ktap_exit_fail_msg "cocci/run.sh pairing failed on $tree"
if [ ! -s "$work/pairing.txt" ]; then
	ktap_test_pass "pairing check silent"
else
	ktap_test_fail "pairing check silent"
	sed 's/^/# /' "$work/pairing.txt"
fi

# 3. conversion: exactly the expected functions, once each; diff applies
"$run" convert "$tree" --report > "$work/convert.txt" ||
	ktap_exit_fail_msg "cocci/run.sh convert --report failed on $tree"
"$run" convert "$tree" > "$work/convert.diff" ||
	ktap_exit_fail_msg "cocci/run.sh convert failed on $tree"
sed -n 's/^[^ ]*: \([a-z0-9_]*\)(): open-coded.*/\1/p' "$work/convert.txt" | sort > "$work/convert.got"
tr ',' '\n' <<< "$sites" | sed '/^$/d' | sort > "$work/convert.want"
want=$(wc -l < "$work/convert.want")
count() { grep -c "^+.*$1" "$work/convert.diff"; }
ok=0
cmp -s "$work/convert.got" "$work/convert.want" || ok=1
[ "$(count 'vgic_lock_for_uaccess(')" -eq "$want" ] || ok=1
[ "$(count 'vgic_unlock_for_uaccess(')" -eq "$want" ] || ok=1
if [ "$want" -gt 0 ]; then
	git -C "$tree" apply --check "$work/convert.diff" 2> "$work/apply.err" || ok=1
else
	[ ! -s "$work/convert.diff" ] || ok=1
fi
ktap_test_result "conversion applies to exactly $want site(s)" [ $ok -eq 0 ]
if [ $ok -ne 0 ]; then
	echo "# wanted: $(list "$work/convert.want")"
	echo "# got:    $(list "$work/convert.got")"
	sed 's/^/# /' "$work/apply.err" 2>/dev/null
fi

# 4. the callers of each lock API, from the audit
for api in "${LOCKS[@]}"; do
	python3 - "$work/audit.json" "$api" > "$work/rows" <<'PY' ||
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["api"] == sys.argv[2]:
        print("%s\t%s:%d\t%s" % (r["function"], r["file"], r["line"], r["kvm_lock_held"]))
PY
		{ echo "check-tree: error: cannot read the audit of $tree" >&2; exit 1; }
	cut -f1 "$work/rows" | sort -u > "$work/got"
	tr ',' '\n' <<< "${callers[$api]}" | sed '/^$/d' | sort -u > "$work/want"
	awk -F'\t' '$3 == "no"' "$work/rows" > "$work/nolock"
	if [ -s "$work/want" ]; then
		name="$api() is called from exactly $(list "$work/want"), kvm->lock held at each"
	else
		name="$api() is called from nothing"
	fi
	cmp -s "$work/got" "$work/want" && [ ! -s "$work/nolock" ]
	ktap_test_result "$name" [ $? -eq 0 ]
	[ ! -s "$work/rows" ] || echo "# $(wc -l < "$work/rows") call(s) from $(list "$work/got")"
	comm -23 "$work/want" "$work/got" | sed 's/^/# missing: /'
	comm -13 "$work/want" "$work/got" | sed 's/^/# unexpected: /'
	cut -f1,2 "$work/nolock" | sed 's/^/# no kvm->lock evidence: /'
done

# 5. the removed API is gone from a converted tree, calls, pointers,
#    prototypes, comments and documentation alike.
if [ -z "$sites" ]; then
	if ! git -C "$tree" grep -nw kvm_trylock_all_vcpus > "$work/left"; then
		ktap_test_pass "no use of kvm_trylock_all_vcpus left in the tree (git grep)"
	else
		ktap_test_fail "no use of kvm_trylock_all_vcpus left in the tree (git grep)"
		sed 's/^/# still: /' "$work/left"
	fi
fi

ktap_finished
