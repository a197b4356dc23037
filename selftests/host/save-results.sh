#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# save-results.sh DEST: copy one A/B run's figures from $B into DEST (the
# committed docs/results/), with the versions they were measured on. Every
# figure in docs/ comes from such a copy.
. "$(dirname "$0")/lib.sh"
need_var B MACHINES
dest=${1:?usage: save-results.sh DEST}
[ -f "$B/report.txt" ] || die "no report in $B (run: make ab)"
mkdir -p "$dest"

cp "$B/report.txt" "$dest/ab-report.txt"
for m in $MACHINES; do
	[ -d "$B/bench/$m" ] && { rm -rf "$dest/bench-$m"; cp -r "$B/bench/$m" "$dest/bench-$m"; }
	for v in baseline patched; do
		log=$B/runs/$v-$m/console.log
		[ -f "$log" ] || continue
		# The raw numbers: the tools' own lines, runner prefix removed.
		sed -n 's/^# \(bench \|abi-sweep \)/\1/p' "$log" > "$dest/raw-bench-$v-$m.txt"
		cp "$B/runs/$v-$m/status" "$dest/status-$v-$m.txt"
		rm -f "$dest/retries-$v-$m.txt"
		[ ! -f "$B/runs/$v-$m/retries" ] || cp "$B/runs/$v-$m/retries" "$dest/retries-$v-$m.txt"
	done
	[ -f "$B/abi-$m.json" ] && python3 - "$B/abi-$m.json" > "$dest/abi-diff-$m.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("compared", "identical", "unintended_total", "racy_total"):
    if k in d:
        print("%s: %s" % (k, d[k]))
for label, groups in sorted(d.get("intended", {}).items()):
    for g, n in sorted(groups.items()):
        print("intended %s %s: %d" % (label, g, n))
PY
done
{
	echo "# Provenance"
	echo
	echo "Copied by \`selftests/host/save-results.sh\` from the run in \`$B\` on $(date -u +%F)."
	echo
	echo "- workbench: $(git -C "$B/.." log -1 --format='%h %s' 2>/dev/null || echo unknown)"
	echo "- host: $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo)"
	echo "- qemu: $(qemu-system-aarch64 --version | head -n 1)"
	echo "- machines: $(for m in $MACHINES; do . "$(dirname "$0")/../machines/$m"; printf '%s (%s) ' "$m" "$QEMU_MACHINE"; done)"
	echo "- base: $(git -C "$B/trees/baseline" log -1 --format='%h %s')"
	echo "- patched: $(git -C "$B/trees/patched" log -1 --format='%h %s') ($(git -C "$B/trees/patched" rev-list --count "$(cat "$B/base-commit")..HEAD") patches)"
	echo "- guest kernel: $(grep -m1 -o 'Linux version [^ ]*' "$B/runs/patched-gicv3/console.log" 2>/dev/null || echo unknown)"
	echo "- compiler: $(aarch64-linux-gnu-gcc --version | head -n 1)"
} > "$dest/PROVENANCE.md"
note "results saved in $dest"
