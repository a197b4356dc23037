#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh [--update]: run every semantic patch of cocci/ on every
# fixture of cocci/tests/fixtures/ and diff the output with
# cocci/tests/expected/; then run cocci/run.sh on a small git tree made of
# the fixtures.  No kernel tree is needed.  --update rewrites the expected
# files from the current output (review the diff before committing).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cocci=$(dirname "$here")
fix=$here/fixtures
exp=$here/expected
SPATCH=${SPATCH:-spatch}
update=
[ "${1:-}" = --update ] && update=1

command -v "$SPATCH" >/dev/null 2>&1 || {
	echo "run-tests.sh: error: spatch not found (install coccinelle)" >&2
	exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# sp SCRIPT MODE FILE...: spatch as run.sh runs it, from the fixture
# directory so that the paths in the output are stable.
sp() {
	local script=$1 mode=$2 diff=--no-show-diff
	shift 2
	case "$mode" in patch|context) diff= ;; esac
	(cd "$fix" && "$SPATCH" --very-quiet --no-includes --include-headers \
		-D "$mode" $diff --sp-file "$cocci/$script.cocci" "$@" 2>&1) |
		sed 's|^+++ /tmp/cocci-output-[0-9]*-[0-9a-f]*-|+++ |'
}

# The fixture tree: laid out like a kernel tree, with the kernel's
# .cocciconfig (which run.sh must not trip over).
# mktree DIR [FIXTURE...]: FIXTUREs (default: all but the helper) under
# arch/arm64/kvm/, vgic_* under arch/arm64/kvm/vgic/.
mktree() {
	local t=$1 f
	shift
	[ $# -gt 0 ] || set -- call_forms.c bugs.c vgic_sites.c
	mkdir -p "$t/include/linux" "$t/virt/kvm" "$t/arch/arm64/kvm/vgic"
	printf '# fixture tree\n' > "$t/Makefile"
	printf '[spatch]\n\toptions = --timeout 200\n\toptions = --use-gitgrep\n' > "$t/.cocciconfig"
	cp "$fix/kvm_host.h" "$t/include/linux/"
	cp "$fix/kvm_main.c" "$t/virt/kvm/"
	for f; do
		case "$f" in
		vgic_*) cp "$fix/$f" "$t/arch/arm64/kvm/vgic/" ;;
		*) cp "$fix/$f" "$t/arch/arm64/kvm/" ;;
		esac
	done
	git -C "$t" init -q &&
	git -C "$t" add -A &&
	git -C "$t" -c user.name=test -c user.email=test@localhost commit -q -m fixture
}

names=()
cmds=()
add() {
	names+=("$1")
	cmds+=("$2")
}

# Every script on every fixture, in its main mode.
for f in "$fix"/*.c "$fix"/*.h; do
	b=$(basename "$f")
	add "$b.audit" "sp vcpu_lock_all_audit records $b"
	add "$b.pairing" "sp vcpu_lock_all_pairing report $b"
	add "$b.convert" "sp vgic_uaccess_lock patch $b"
	add "$b.guard" "sp kvm_trylock_all_vcpus report $b"
done
# The other modes, once each.
add "call_forms.c.audit-report" "sp vcpu_lock_all_audit report call_forms.c"
add "bugs.c.audit-org" "sp vcpu_lock_all_audit org bugs.c"
add "bugs.c.pairing-org" "sp vcpu_lock_all_pairing org bugs.c"
add "bugs.c.pairing-context" "sp vcpu_lock_all_pairing context bugs.c"
add "vgic_sites.c.convert-report" "sp vgic_uaccess_lock report vgic_sites.c"
add "vgic_sites.c.convert-org" "sp vgic_uaccess_lock org vgic_sites.c"
add "vgic_sites.c.convert-context" "sp vgic_uaccess_lock context vgic_sites.c"
add "fnptr.c.guard-org" "sp kvm_trylock_all_vcpus org fnptr.c"
add "fnptr.c.guard-context" "sp kvm_trylock_all_vcpus context fnptr.c"

# run.sh on the fixture tree.
tree_audit() {
	"$cocci/run.sh" audit "$work/tree" --json "$work/audit.json" &&
	echo "--- json" && cat "$work/audit.json"
}
tree_convert() {
	"$cocci/run.sh" convert "$work/tree" > "$work/convert.diff" &&
	git -C "$work/tree" apply --check "$work/convert.diff" &&
	cat "$work/convert.diff"
}
# patched: the conversion applied, plus a vgic_lock_for_uaccess().
tree_compare() {
	rm -rf "$work/patched" && cp -a "$work/tree" "$work/patched" &&
	git -C "$work/patched" apply "$work/convert.diff" &&
	cp "$fix/vgic_uaccess.c" "$work/patched/arch/arm64/kvm/vgic/" &&
	git -C "$work/patched" add -A &&
	git -C "$work/patched" -c user.name=test -c user.email=test@localhost commit -q -m patched &&
	"$cocci/run.sh" audit-compare "$work/tree" "$work/patched" --json "$work/compare.json" &&
	echo "--- json" && cat "$work/compare.json"
}
with_rc() {
	"$@"
	echo "exit $?"
}
# shellcheck disable=SC2034 # used by eval
clean_sites=form_if,vgic_set_common_attr,vgic_v2_attr_regs_access,vgic_v3_attr_regs_access,vgic_its_attr_regs_access,vgic_its_ctrl

# One line on stderr, a non-zero exit.
one_error() {
	local rc
	"$@" > "$work/err.out" 2> "$work/err.err"
	rc=$?
	echo "exit $rc, $(wc -l < "$work/err.err") line(s) on stderr, $(wc -c < "$work/err.out") bytes on stdout"
	sed 's|^|stderr: |; s|/tmp/[^ ]*|DIR|g' "$work/err.err"
}

add "tree.audit" "tree_audit"
add "tree.pairing" "$cocci/run.sh pairing \$work/tree"
add "tree.guard" "$cocci/run.sh guard \$work/tree"
add "tree.convert" "tree_convert"
add "tree.convert-report" "$cocci/run.sh convert \$work/tree --report"
add "tree.compare" "tree_compare"
add "tree.compare-self" "$cocci/run.sh audit-compare \$work/tree \$work/tree"
# check-tree.sh finds the planted bugs; it passes on the tree without them.
add "tree.check-tree" "with_rc $here/check-tree.sh \$work/tree"
add "clean.check-tree" "with_rc $here/check-tree.sh \$work/clean --convert-sites \$clean_sites"
add "error.not-a-tree" "one_error $cocci/run.sh audit \$work/empty"
add "error.not-git" "one_error $cocci/run.sh audit \$work/nogit"
add "error.no-spatch" "one_error env SPATCH=/nonexistent/spatch $cocci/run.sh audit \$work/tree"
add "error.usage" "one_error $cocci/run.sh frobnicate \$work/tree"

{ mktree "$work/tree" && mktree "$work/clean" call_forms.c vgic_sites.c; } ||
	{ echo "run-tests.sh: error: cannot make the fixture trees" >&2; exit 1; }
mkdir -p "$work/empty" "$work/nogit/include/linux" "$work/nogit/virt/kvm"
touch "$work/nogit/Makefile" "$work/nogit/include/linux/kvm_host.h"

echo "KTAP version 1"
echo "1..${#names[@]}"
pass=0
fail=0
for i in "${!names[@]}"; do
	n=$((i + 1))
	name=${names[$i]}
	# The fixture tree lives in a fresh directory each run.
	eval "${cmds[$i]}" 2>&1 | sed "s|$work|TMP|g" > "$work/got"
	if [ -n "$update" ]; then
		cp "$work/got" "$exp/$name"
	fi
	if [ -f "$exp/$name" ] && diff -u "$exp/$name" "$work/got" > "$work/diff"; then
		echo "ok $n $name"
		pass=$((pass + 1))
	else
		echo "not ok $n $name"
		[ -f "$exp/$name" ] || echo "# no expected output $exp/$name" > "$work/diff"
		sed 's/^/# /' "$work/diff" | head -40
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
