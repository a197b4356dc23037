#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-tree.sh TREE [--convert-sites FN,FN,...|none]
#
# Checks the semantic patches against a real kernel tree (read only):
#  1. the audit finds exactly the calls that
#     git grep -nw 'kvm_\(try\)\?lock_all_vcpus\|kvm_unlock_all_vcpus'
#     finds, minus prototypes, definitions, EXPORT_SYMBOL*() lines,
#     comment lines and files that are not C;
#  2. the pairing check is silent;
#  3. the conversion applies to exactly the given functions (default: the
#     five vGIC uaccess sites; "none" for a tree that is converted already),
#     once each, and its diff applies with git apply --check.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
run=$here/../run.sh
sites=vgic_set_common_attr,vgic_v2_attr_regs_access,vgic_v3_attr_regs_access,vgic_its_attr_regs_access,vgic_its_ctrl

usage() {
	echo "usage: check-tree.sh TREE [--convert-sites FN,FN,...|none]" >&2
	exit 2
}
[ $# -ge 1 ] || usage
tree=$1
shift
while [ $# -gt 0 ]; do
	case "$1" in
	--convert-sites) [ $# -ge 2 ] || usage; sites=$2; shift 2 ;;
	--convert-sites=*) sites=${1#*=}; shift ;;
	*) usage ;;
	esac
done
[ "$sites" = none ] && sites=
# Check 4 only applies to a converted tree.
plan=3
[ -z "$sites" ] && plan=4

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
failed=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

echo "KTAP version 1"
echo "1..$plan"

# 1. audit call set == git grep call set
"$run" audit "$tree" --json "$work/audit.json" > "$work/audit.txt" || exit 1
python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    print("%s:%d" % (r["file"], r["line"]))
' "$work/audit.json" | sort -u > "$work/audit.set"
git -C "$tree" grep -nw 'kvm_\(try\)\?lock_all_vcpus\|kvm_unlock_all_vcpus' |
	awk -F: '
	$1 !~ /\.[ch]$/ { next }				# not C
	{ text = $0; sub(/^[^:]*:[^:]*:/, "", text) }
	text ~ /EXPORT_SYMBOL/ { next }				# export
	text ~ /^[ \t]*(\/\*|\*|\/\/)/ { next }			# comment line
	text ~ /^[ \t]*([a-z_]+[ \t]+)*(int|void)[ \t]+kvm_[a-z_]+_all_vcpus[ \t]*\(/ { next }	# prototype, definition
	{ print $1 ":" $2 }' | sort -u > "$work/grep.set"
if cmp -s "$work/audit.set" "$work/grep.set"; then
	result 0 "audit call sites == git grep call sites ($(wc -l < "$work/grep.set"))"
else
	result 1 "audit call sites == git grep call sites"
	echo "# git grep:"; sed 's/^/#   /' "$work/grep.set"
	echo "# audit:"; sed 's/^/#   /' "$work/audit.set"
	echo "# only in git grep:"; comm -23 "$work/grep.set" "$work/audit.set" | sed 's/^/#   /'
	echo "# only in audit:"; comm -13 "$work/grep.set" "$work/audit.set" | sed 's/^/#   /'
fi

# 2. pairing silent
"$run" pairing "$tree" > "$work/pairing.txt" || exit 1
if [ ! -s "$work/pairing.txt" ]; then
	result 0 "pairing check silent"
else
	result 1 "pairing check silent"
	sed 's/^/# /' "$work/pairing.txt"
fi

# 3. conversion: exactly the expected functions, once each; diff applies
"$run" convert "$tree" --report > "$work/convert.txt" || exit 1
"$run" convert "$tree" > "$work/convert.diff" || exit 1
sed -n 's/^[^ ]*: \([a-z0-9_]*\)(): open-coded.*/\1/p' "$work/convert.txt" | sort > "$work/convert.got"
tr ',' '\n' <<< "$sites" | sed '/^$/d' | sort > "$work/convert.want"
want=$(wc -l < "$work/convert.want")
count() { grep -c "^+.*$1" "$work/convert.diff"; }
ok=0
cmp -s "$work/convert.got" "$work/convert.want" || ok=1
[ "$(count 'vgic_lock_for_uaccess(&locks')" -eq "$want" ] || ok=1
[ "$(count 'vgic_unlock_for_uaccess(&locks)')" -eq "$want" ] || ok=1
[ "$(count 'struct vgic_uaccess_locks locks;')" -eq "$want" ] || ok=1
if [ "$want" -gt 0 ]; then
	git -C "$tree" apply --check "$work/convert.diff" 2> "$work/apply.err" || ok=1
else
	[ ! -s "$work/convert.diff" ] || ok=1
fi
result $ok "conversion applies to exactly $want site(s)"
if [ $ok -ne 0 ]; then
	echo "# wanted: $(paste -sd, "$work/convert.want")"
	echo "# got:    $(paste -sd, "$work/convert.got")"
	sed 's/^/# /' "$work/apply.err" 2>/dev/null
fi

# 4. In a converted tree no vGIC device-attribute path (an entry point in a
#    kvm_arm_vgic*_ops .get_attr/.set_attr) calls kvm_trylock_all_vcpus.
if [ -z "$sites" ]; then
	"$run" audit "$tree" --json "$work/audit.json" >/dev/null
	left=$(python3 - "$work/audit.json" <<'PY'
import json, re, sys
for r in json.load(open(sys.argv[1])):
    if r["api"] == "kvm_trylock_all_vcpus" and \
       re.search(r"ops:kvm_arm_vgic\w*_ops\.(get|set)_attr", r["entry_point"]):
        print("%s:%s %s" % (r["file"], r["line"], r["function"]))
PY
) || { echo "check-tree: cannot read the audit of $tree" >&2; exit 1; }
	if [ -z "$left" ]; then
		result 0 "no vGIC device-attribute path calls kvm_trylock_all_vcpus"
	else
		result 1 "no vGIC device-attribute path calls kvm_trylock_all_vcpus"
		sed 's/^/# still: /' <<< "$left"
	fi
fi

echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
