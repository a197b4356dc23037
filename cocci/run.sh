#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: run the vCPU lock-all semantic patches over a kernel git tree.
#
#   run.sh audit TREE [--json OUT]      table of every lock-all API call
#   run.sh audit-compare BASE PATCHED [--json OUT]
#                                       the audit of two trees, side by side
#   run.sh pairing TREE                 a lock-all without its unlock
#   run.sh convert TREE [--report]      the vgic_lock_for_uaccess() diff
#                                       (--report: the sites only)
#
# kvm_trylock_all_vcpus() callers outside the vGIC sites (out-of-tree or
# backported code) are converted by the series' own semantic patch,
# scripts/coccinelle/api/kvm_lock_all_vcpus_unless_running.cocci.
#
# Only the files that `git grep` finds mentioning the API are parsed.
# SPATCH names the spatch binary (default: spatch), SPATCH_JOBS the
# number of spatch processes (default: 1; the machine is shared).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=$(basename "$0")
SPATCH=${SPATCH:-spatch}
SPATCH_JOBS=${SPATCH_JOBS:-1}
# The lock calls, then their release; kvm_lock_vcpu_unless_running() is
# released with mutex_unlock(&vcpu->mutex).
LOCKS=(kvm_trylock_all_vcpus kvm_lock_all_vcpus kvm_lock_all_vcpus_unless_running
       kvm_lock_vcpu_unless_running)
APIS=("${LOCKS[@]}" kvm_unlock_all_vcpus)

die() {
	echo "$prog: error: $*" >&2
	exit 1
}

usage() {
	cat >&2 <<EOF
usage: $prog audit TREE [--json OUT]
       $prog audit-compare BASE_TREE PATCHED_TREE [--json OUT]
       $prog pairing TREE
       $prog convert TREE [--report]
EOF
	exit 2
}

need_spatch() {
	command -v "$SPATCH" >/dev/null 2>&1 ||
		die "spatch not found (install coccinelle, or set SPATCH=/path/to/spatch)"
}

# A git work tree with the kernel files this tool is about.
check_tree() {
	local t=$1
	[ -d "$t" ] || die "$t: no such directory"
	if [ "$(git -C "$t" rev-parse --show-toplevel 2>/dev/null)" != "$(cd "$t" && pwd -P)" ] ||
	   [ ! -f "$t/Makefile" ] || [ ! -f "$t/include/linux/kvm_host.h" ] || [ ! -d "$t/virt/kvm" ]; then
		die "$t is not a git kernel tree (want the top of a git work tree with Makefile, include/linux/kvm_host.h and virt/kvm/)"
	fi
}

# files TREE NAME...: the C files of TREE that mention one of the NAMEs.
files() {
	local t=$1 n args=()
	shift
	for n; do args+=(-e "$n"); done
	git -C "$t" grep -l -w "${args[@]}" -- '*.c' '*.h' || true
}

# spatch_on TREE COCCI MODE... : run COCCI over the API files of TREE.
# spatch runs from an empty directory on absolute paths: the tree's
# .cocciconfig asks for --use-gitgrep, which breaks on a file list.
# One file group per file, as coccicheck does: per-file rule dependencies.
spatch_on() {
	local t=$1 cocci=$2 abs f
	shift 2
	abs=$(cd "$t" && pwd -P)
	mapfile -t list < <(files "$t" "${names[@]}")
	[ "${#list[@]}" -gt 0 ] || return 0
	for f in "${list[@]}"; do printf '%s\n\n' "$abs/$f"; done > "$work/groups"
	local opt
	opt=$(sed -n 's|^// Options:||p' "$cocci")
	# shellcheck disable=SC2086
	(cd "$work/empty" && "$SPATCH" --very-quiet $opt --timeout 300 \
		--jobs "$SPATCH_JOBS" "$@" --sp-file "$cocci" \
		--file-groups "$work/groups") > "$work/out" 2> "$work/err" || {
		cat "$work/err" >&2
		die "spatch failed on $(basename "$cocci")"
	}
	# Tree-relative paths; spatch writes patch mode's new file under /tmp.
	sed -e "s|^--- $abs/|--- a/|" -e "s|^+++ /tmp/cocci-output-[^ ]*|+++ b/@@|" \
	    -e "s|$abs/||g" "$work/out" |
	awk '/^--- a\// { f = substr($0, 7) } /^\+\+\+ b\/@@/ { $0 = "+++ b/" f } 1'
}

# audit_records TREE: the audit, one tab-separated key=value line per call.
audit_records() {
	names=("${APIS[@]}")
	spatch_on "$1" "$here/vcpu_lock_all_audit.cocci" -D records
}

# The table and the JSON are made from the records by one python script.
records_tool() {
	APIS="${APIS[*]}" python3 - "$@" <<'EOF'
import json, os, sys

APIS = os.environ["APIS"].split()
# What the series replaced kvm_trylock_all_vcpus() with, in the same function.
REPLACES = {"kvm_lock_all_vcpus_unless_running": "kvm_trylock_all_vcpus"}

KEYS = ["file", "line", "function", "api", "kvm_lock_held",
        "config_lock_after", "failure_return", "entry_point"]

def load(path):
    recs = []
    for l in open(path):
        l = l.rstrip("\n")
        if not l:
            continue
        r = dict(kv.split("=", 1) for kv in l.split("\t"))
        r["line"] = int(r["line"])
        recs.append(r)
    return sorted(recs, key=lambda r: (r["file"], r["line"]))

def table(rows, head):
    w = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    fmt = lambda r: "  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip()
    print(fmt(head))
    for r in rows:
        print(fmt(r))

def audit(path, out):
    recs = load(path)
    head = ["FILE:LINE", "FUNCTION", "CALL", "KVM_LOCK_HELD",
            "CONFIG_LOCK_AFTER", "FAILURE_RETURN", "ENTRY_POINT"]
    table([["%s:%d" % (r["file"], r["line"]), r["function"],
            "%s(%s)" % (r["api"], r["kvm"]), r["kvm_lock_held"],
            r["config_lock_after"], r["failure_return"], r["entry_point"]]
           for r in recs], head)
    print("%d call sites in %d files: %s" % (len(recs), len({r["file"] for r in recs}),
          per_api(recs)))
    nolock = [r for r in recs if r["kvm_lock_held"] == "no"]
    for r in nolock:
        print("no kvm->lock evidence: %s:%d %s()" % (r["file"], r["line"], r["function"]))
    if out:
        with open(out, "w") as f:
            json.dump([{k: r[k] for k in KEYS} for r in recs], f, indent=1)
            f.write("\n")

def per_api(recs):
    return ", ".join("%s %d" % (a, sum(r["api"] == a for r in recs)) for a in APIS)

def site_keys(recs):
    # Line numbers move between trees: match by function, call and rank.
    seen, keyed = {}, {}
    for r in recs:
        k = (r["file"], r["function"], r["api"], r["kvm"])
        seen[k] = seen.get(k, 0) + 1
        keyed[k + (seen[k],)] = r
    return keyed

def replacements(kb, kp):
    # A call gone from a function and a call of its replacement added to
    # the same function, on the same kvm: one row, "replaced".
    pairs = {}
    for k in sorted(kp):
        old = REPLACES.get(k[2])
        if not old or k in kb:
            continue
        for ko in sorted(kb):
            if ko[:2] == k[:2] and ko[2] == old and ko[3] == k[3] and \
               ko not in kp and ko not in pairs.values():
                pairs[k] = ko
                break
    return pairs

def compare(bpath, ppath, out):
    base, patched = load(bpath), load(ppath)
    kb, kp = site_keys(base), site_keys(patched)
    rows, changes = [], {"gone": [], "added": [], "replaced": [], "changed": []}
    attrs = ["kvm_lock_held", "config_lock_after", "failure_return", "entry_point"]
    pairs = replacements(kb, kp)
    paired = set(pairs.values())
    keys = (set(kb) - paired) | set(kp)
    for k in sorted(keys, key=lambda k: (k[0], k[1], (kb.get(k) or kp.get(k))["line"])):
        b, p = kb.get(k) or kb.get(pairs.get(k)), kp.get(k)
        if k in pairs:
            status = "replaced"
            changes["replaced"].append({"base": {x: b[x] for x in KEYS},
                                        "patched": {x: p[x] for x in KEYS}})
        elif b and p:
            diff = [a for a in attrs if b[a] != p[a]]
            status = "changed:" + ",".join(diff) if diff else "same"
            if diff:
                changes["changed"].append({"base": {x: b[x] for x in KEYS},
                                           "patched": {x: p[x] for x in KEYS},
                                           "fields": diff})
        elif b:
            status = "gone"
            changes["gone"].append({x: b[x] for x in KEYS})
        else:
            status = "added"
            changes["added"].append({x: p[x] for x in KEYS})
        r = b or p
        call = "%s(%s)" % (r["api"], r["kvm"])
        if status == "replaced":
            call += " -> %s(%s)" % (p["api"], p["kvm"])
        rows.append([status, r["file"], r["function"], call,
                     b["line"] if b else "-", p["line"] if p else "-",
                     b["kvm_lock_held"] if b else "-", p["kvm_lock_held"] if p else "-"])
    table(rows, ["STATUS", "FILE", "FUNCTION", "CALL", "BASE_LINE", "PATCHED_LINE",
                 "BASE_KVM_LOCK", "PATCHED_KVM_LOCK"])
    print("base: %d call sites; patched: %d call sites; gone: %d; added: %d; replaced: %d; "
          "changed: %d; same: %d"
          % (len(base), len(patched), len(changes["gone"]), len(changes["added"]),
             len(changes["replaced"]), len(changes["changed"]), sum(r[0] == "same" for r in rows)))
    print("base: " + per_api(base))
    print("patched: " + per_api(patched))
    for what in ("gone", "added"):
        for r in changes[what]:
            print("%s: %s:%d %s() %s" % (what, r["file"], r["line"], r["function"], r["api"]))
    for c in changes["replaced"]:
        b, p = c["base"], c["patched"]
        print("replaced: %s:%d %s() %s -> %s:%d %s" % (b["file"], b["line"], b["function"],
              b["api"], p["file"], p["line"], p["api"]))
    for c in changes["changed"]:
        print("changed: %s %s() %s: %s" % (c["base"]["file"], c["base"]["function"], c["base"]["api"],
              "; ".join("%s %s -> %s" % (f, c["base"][f], c["patched"][f]) for f in c["fields"])))
    if out:
        with open(out, "w") as f:
            json.dump({"base": [{x: r[x] for x in KEYS} for r in base],
                       "patched": [{x: r[x] for x in KEYS} for r in patched],
                       **changes}, f, indent=1)
            f.write("\n")

if sys.argv[1] == "audit":
    audit(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
else:
    compare(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
EOF
}

# report lines sorted by file, then line number
sort_report() {
	sort -t: -k1,1 -k2,2n -s
}

[ $# -ge 1 ] || usage
cmd=$1
shift
json=
args=()
report=
while [ $# -gt 0 ]; do
	case "$1" in
	--json) [ $# -ge 2 ] || usage; json=$2; shift 2 ;;
	--json=*) json=${1#--json=}; shift ;;
	--report) report=1; shift ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) args+=("$1"); shift ;;
	esac
done

case "$cmd" in
audit|pairing|convert) [ "${#args[@]}" -eq 1 ] || usage ;;
audit-compare) [ "${#args[@]}" -eq 2 ] || usage ;;
*) usage ;;
esac
[ -z "$json" ] || [ "$cmd" = audit ] || [ "$cmd" = audit-compare ] || usage
[ -z "$report" ] || [ "$cmd" = convert ] || usage

need_spatch
for t in "${args[@]}"; do check_tree "$t"; done
command -v python3 >/dev/null 2>&1 || die "python3 not found"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/empty"

case "$cmd" in
audit)
	audit_records "${args[0]}" > "$work/records"
	records_tool audit "$work/records" ${json:+"$json"}
	;;
audit-compare)
	audit_records "${args[0]}" > "$work/base.records"
	audit_records "${args[1]}" > "$work/patched.records"
	records_tool compare "$work/base.records" "$work/patched.records" ${json:+"$json"}
	;;
pairing)
	names=("${LOCKS[@]}")
	spatch_on "${args[0]}" "$here/vcpu_lock_all_pairing.cocci" -D report --no-show-diff | sort_report
	;;
convert)
	names=(kvm_trylock_all_vcpus)
	if [ -n "$report" ]; then
		spatch_on "${args[0]}" "$here/vgic_uaccess_lock.cocci" -D report --no-show-diff | sort_report
	else
		spatch_on "${args[0]}" "$here/vgic_uaccess_lock.cocci" -D patch
	fi
	;;
esac
