# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by check-conversion.sh and check-primitive.sh, which compare what
# a semantic patch makes of the base tree with what the series made of it,
# function by function: line numbers elsewhere in a file then do not
# matter, and a helper the series adds next to the callers is not mistaken
# for a hand edit of them.

# fn_filter keep|drop FILE FN...: the definitions of the FNs in FILE, or
# FILE without them.  Kernel style: the name starts a line or follows its
# type on that line, and the body ends at the first "}" in column 0.
fn_filter() {
	local mode=$1 file=$2
	shift 2
	awk -v mode="$mode" -v fns="$*" '
	BEGIN { n = split(fns, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
	!on && $0 !~ /;[ \t]*$/ && match($0, /^([A-Za-z_][^(]*[ *])?[A-Za-z_][A-Za-z0-9_]*\(/) {
		name = substr($0, 1, RLENGTH - 1)
		sub(/.*[ *]/, "", name)
		if (name in want)
			on = 1
	}
	(on && mode == "keep") || (!on && mode == "drop") { print }
	on && /^}/ { on = 0 }' "$file"
}

# residue OURS THEIRS NAME FN...: for each FN, a "## NAME FN()" line, then
# the diff from its definition in OURS (what the semantic patch made) to
# that in THEIRS (the series'), or "(none)".  Lines are counted from the
# first line of the definition.
residue() {
	local ours=$1 theirs=$2 name=$3 fn t
	shift 3
	t=$(mktemp -d)
	for fn; do
		echo "## $name $fn()"
		fn_filter keep "$ours" "$fn" > "$t/ours"
		fn_filter keep "$theirs" "$fn" > "$t/theirs"
		if [ ! -s "$t/ours" ] || [ ! -s "$t/theirs" ]; then
			echo "(no definition of $fn() on one side)"
		elif diff -U2 --label "semantic patch" --label "series" "$t/ours" "$t/theirs" > "$t/diff"; then
			echo "(none)"
		else
			cat "$t/diff"
		fi
	done
	rm -rf "$t"
}

# section FILE NAME FN: the "## NAME FN()" section of a residue file.
section() {
	awk -v h="## $2 $3()" '$0 == h { on = 1; print; next } /^## / { on = 0 } on' "$1"
}

# KTAP output: ktap_print_header, ktap_set_plan, ktap_test_result, ...,
# ktap_finished (the workbench's shared helper).
# shellcheck source=selftests/host/ktap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../selftests/host/ktap.sh"
