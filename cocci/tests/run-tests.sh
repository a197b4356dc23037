#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh [--update]: run every semantic patch of cocci/ on every
# fixture of cocci/tests/fixtures/ (series/: files as the series leaves
# them) and diff the output with cocci/tests/expected/; then run
# cocci/run.sh and check-tree.sh on small git trees made of the fixtures.
# No kernel tree is needed.  --update rewrites the expected files from the
# current output (review the diff before committing).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cocci=$(dirname "$here")
# shellcheck source=selftests/host/ktap.sh
. "$here/../../selftests/host/ktap.sh"
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

# The fixture trees: laid out like a kernel tree, with the kernel's
# .cocciconfig (which run.sh must not trip over).
# mktree DIR base|series FIXTURE...: the headers and kvm_main.c of Linux
# 7.3 (base) or of the series (series/), and the FIXTUREs ("series/F" is
# the series' version of F) under arch/arm64/kvm/, vgic_* under
# arch/arm64/kvm/vgic/.
mktree() {
	local t=$1 v=$2 f
	shift 2
	mkdir -p "$t/include/linux" "$t/virt/kvm" "$t/arch/arm64/kvm/vgic"
	printf '# fixture tree\n' > "$t/Makefile"
	printf '[spatch]\n\toptions = --timeout 200\n\toptions = --use-gitgrep\n' > "$t/.cocciconfig"
	[ "$v" = base ] && v= || v=series/
	cp "$fix/${v}kvm_host.h" "$t/include/linux/"
	cp "$fix/${v}kvm_main.c" "$t/virt/kvm/"
	for f; do
		case "${f##*/}" in
		vgic_*) cp "$fix/$f" "$t/arch/arm64/kvm/vgic/" ;;
		*) cp "$fix/$f" "$t/arch/arm64/kvm/" ;;
		esac
	done
	commit "$t" fixture
}
commit() {
	git -C "$1" init -q &&
	git -C "$1" add -A &&
	git -C "$1" -c user.name=test -c user.email=test@localhost commit -q -m "$2"
}

names=()
cmds=()
add() {
	names+=("$1")
	cmds+=("$2")
}

# Every script on every fixture, in its main mode.
for f in "$fix"/*.[ch] "$fix"/series/*.[ch]; do
	b=${f#"$fix"/}
	add "$b.audit" "sp vcpu_lock_all_audit records $b"
	add "$b.pairing" "sp vcpu_lock_all_pairing report $b"
	add "$b.convert" "sp vgic_uaccess_lock patch $b"
done
# The other modes, once each.
add "call_forms.c.audit-report" "sp vcpu_lock_all_audit report call_forms.c"
add "bugs.c.audit-org" "sp vcpu_lock_all_audit org bugs.c"
add "unless_running.c.audit-report" "sp vcpu_lock_all_audit report unless_running.c"
add "bugs.c.pairing-org" "sp vcpu_lock_all_pairing org bugs.c"
add "bugs.c.pairing-context" "sp vcpu_lock_all_pairing context bugs.c"
add "unless_running_bugs.c.pairing-org" "sp vcpu_lock_all_pairing org unless_running_bugs.c"
add "unless_running_bugs.c.pairing-context" "sp vcpu_lock_all_pairing context unless_running_bugs.c"
add "vgic_sites.c.convert-report" "sp vgic_uaccess_lock report vgic_sites.c"
add "vgic_sites.c.convert-org" "sp vgic_uaccess_lock org vgic_sites.c"
add "vgic_sites.c.convert-context" "sp vgic_uaccess_lock context vgic_sites.c"

# run.sh on the fixture trees:
#   tree    every fixture, planted bugs included
#   clean   the same without the bugs
#   base    Linux 7.3 in small: the vGIC sites and the other trylock callers
#   series  base as the series leaves it: the sites converted by run.sh
#           convert, series/trylock_callers.c, series/vgic_uaccess.c
tree_audit() {
	"$cocci/run.sh" audit "$work/tree" --json "$work/audit.json" &&
	echo "--- json" && cat "$work/audit.json"
}
tree_convert() {
	"$cocci/run.sh" convert "$work/tree" > "$work/convert.diff" &&
	git -C "$work/tree" apply --check "$work/convert.diff" &&
	cat "$work/convert.diff"
}
base_compare() {
	"$cocci/run.sh" audit-compare "$work/base" "$work/series" --json "$work/compare.json" &&
	echo "--- json" && cat "$work/compare.json"
}
mkseries() {
	mktree "$work/series" series vgic_sites.c series/trylock_callers.c series/vgic_uaccess.c &&
	"$cocci/run.sh" convert "$work/series" > "$work/series.diff" &&
	git -C "$work/series" apply "$work/series.diff" &&
	git -C "$work/series" -c user.name=test -c user.email=test@localhost commit -q -a -m converted
}
with_rc() {
	"$@"
	echo "exit $?"
}
# What check-tree.sh expects of the fixture trees, beside its defaults.
# shellcheck disable=SC2034 # used by eval
{
forms_try=form_if,kvm_vm_ioctl_form_not,form_scoped,form_callee,form_create
forms_lock=form_var,form_return,form_vcpu,form_guard,form_scoped_stmt,form_two
forms_ur=kvm_vm_ioctl_ur_not,ur_goto,ur_lock,ur_scoped
bugs_try=bug_error_return,bug_error_goto,bug_branch,ok_error_goto
bugs_lock=bug_var_return,bug_no_kvm_lock,ok_acquire
bugs_ur=bug_ur_error_return,ok_ur_error_return
bugs_vcpu=bug_ur_vcpu_return,bug_ur_vcpu_goto,bug_ur_vcpu_branch,bug_ur_no_kvm_lock,ok_ur_vcpu_goto
trylock=kvm_vm_ioctl_set_counter_offset,kvm_vgic_create,aia_create
sites=vgic_set_common_attr,vgic_v2_attr_regs_access,vgic_v3_attr_regs_access,vgic_its_attr_regs_access,vgic_its_ctrl
clean_callers="--callers kvm_trylock_all_vcpus=$forms_try,$trylock,$sites
	--callers kvm_lock_all_vcpus=$forms_lock
	--callers kvm_lock_all_vcpus_unless_running=$forms_ur
	--callers kvm_lock_vcpu_unless_running=ur_vcpu,ur_vcpu_not,ur_lock"
tree_callers="--callers kvm_trylock_all_vcpus=$forms_try,$bugs_try,$trylock,$sites
	--callers kvm_lock_all_vcpus=$forms_lock,$bugs_lock
	--callers kvm_lock_all_vcpus_unless_running=$forms_ur,$bugs_ur
	--callers kvm_lock_vcpu_unless_running=ur_vcpu,ur_vcpu_not,ur_lock,$bugs_vcpu"
}

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
add "tree.convert" "tree_convert"
add "tree.convert-report" "$cocci/run.sh convert \$work/tree --report"
add "tree.compare-self" "$cocci/run.sh audit-compare \$work/tree \$work/tree"
add "base.compare" "base_compare"
# check-tree.sh finds the planted bugs and the unconverted sites; it passes
# on the trees without them, with its defaults on base and series; on base
# taken for the series it fails every check that tells the two apart.
add "tree.check-tree" "with_rc $here/check-tree.sh \$work/tree --convert-sites form_if,\$sites \$tree_callers"
add "clean.check-tree" "with_rc $here/check-tree.sh \$work/clean --convert-sites form_if,\$sites \$clean_callers"
add "base.check-tree" "with_rc $here/check-tree.sh \$work/base --callers kvm_lock_all_vcpus="
add "series.check-tree" "with_rc $here/check-tree.sh \$work/series --convert-sites none --callers kvm_lock_all_vcpus="
add "base.check-tree-as-series" "with_rc $here/check-tree.sh \$work/base --convert-sites none --callers kvm_lock_all_vcpus="
add "error.not-a-tree" "one_error $cocci/run.sh audit \$work/empty"
add "error.not-git" "one_error $cocci/run.sh audit \$work/nogit"
add "error.no-spatch" "one_error env SPATCH=/nonexistent/spatch $cocci/run.sh audit \$work/tree"
add "error.usage" "one_error $cocci/run.sh frobnicate \$work/tree"
add "error.check-tree-callers" "one_error $here/check-tree.sh \$work/tree --callers kvm_frob=x"
add "error.check-primitive-not-a-tree" "one_error $here/check-primitive.sh \$work/empty \$work/tree"
add "error.check-conversion-no-base" "one_error $here/check-conversion.sh \$work/tree"

{ mktree "$work/tree" base call_forms.c bugs.c vgic_sites.c trylock_callers.c \
	unless_running.c unless_running_bugs.c &&
  mktree "$work/clean" base call_forms.c vgic_sites.c trylock_callers.c unless_running.c &&
  mktree "$work/base" base vgic_sites.c trylock_callers.c &&
  mkseries; } ||
	{ echo "run-tests.sh: error: cannot make the fixture trees" >&2; exit 1; }
mkdir -p "$work/empty" "$work/nogit/include/linux" "$work/nogit/virt/kvm"
touch "$work/nogit/Makefile" "$work/nogit/include/linux/kvm_host.h"

ktap_print_header
ktap_set_plan "${#names[@]}"
for i in "${!names[@]}"; do
	name=${names[$i]}
	# The fixture tree lives in a fresh directory each run.
	eval "${cmds[$i]}" 2>&1 | sed "s|$work|TMP|g" > "$work/got"
	if [ -n "$update" ]; then
		mkdir -p "$(dirname "$exp/$name")"
		cp "$work/got" "$exp/$name"
	fi
	if [ -f "$exp/$name" ] && diff -u "$exp/$name" "$work/got" > "$work/diff"; then
		ktap_test_pass "$name"
	else
		ktap_test_fail "$name"
		[ -f "$exp/$name" ] || echo "# no expected output $exp/$name" > "$work/diff"
		sed 's/^/# /' "$work/diff" | head -40
	fi
done
ktap_finished
