#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-all.sh: `make vmm`. Debian's arm64 QEMU inside the lockdep L1 guest
# boots an L2 guest, migrates it through a file and back 3 times and resets
# it, on patched and baseline, on every machine (MACHINES), one after the
# other; then the error paths (bad-input.sh). Writes build/vmm.json and
# prints its table.
#
# A suite for selftests/host/test.sh: one "ok N ..."/"not ok N ..." line per
# check, ending with "vmm: N passed, N failed, N skipped". Patched must
# pass everywhere with zero splats; a baseline run that fails is a finding
# (skipped, with its error), not a failure.
#
# Kernels: the ones in $B/kernel are used when they are of the trees' HEAD
# and have every option of the fragment; otherwise they are built here
# (selftests/host/build-kernel.sh). VMM_BAD_INPUT=all (default) | cheap
# (no boots) | none picks the error-path cases; VMM_VARIANTS overrides
# "patched baseline".
. "$(dirname "$0")/lib.sh"
host=$top/selftests/host
variants=${VMM_VARIANTS:-patched baseline}
frag=${FRAGMENT:-$top/selftests/configs/kvm-lockdep.config}
export FRAGMENT=$frag PATCHES=${PATCHES:-$top/patches}
start=$(date +%s)
mkdir -p "$VMM_OUT"
timings=$VMM_OUT/timings.txt
: > "$timings"

. "$vmm_dir/bad-input.sh"
case "${VMM_BAD_INPUT:-all}" in
all) cases=$(bad_input_cases) ;;
cheap) cases=$(bad_input_cases --no-boot) ;;
none) cases= ;;
*) die "VMM_BAD_INPUT=${VMM_BAD_INPUT}: want all, cheap or none" ;;
esac

# TAP: the plan first; a run cut short pads it with "not ok" lines.
# shellcheck disable=SC2086 # lists of words
plan=$(( 2 + $(wc -w <<< "$variants") * $(wc -w <<< "$MACHINES") + $(wc -w <<< "$cases") ))
echo "TAP version 13"
echo "1..$plan"
n=0 pass=0 fail=0 skip=0
result() {	# result ok|fail|skip TEXT
	n=$((n + 1))
	case "$1" in
	ok) echo "ok $n $2"; pass=$((pass + 1)) ;;
	skip) echo "ok $n $2 # SKIP"; skip=$((skip + 1)) ;;
	*) echo "not ok $n $2"; fail=$((fail + 1)) ;;
	esac
}
timed() {	# timed WHAT CMD...: run, log "SECONDS<TAB>WHAT" to $timings
	local what=$1 t0 rc=0
	shift
	t0=$(date +%s)
	"$@" || rc=$?
	printf '%s\t%s\n' "$(( $(date +%s) - t0 ))" "$what" >> "$timings"
	return "$rc"
}
finish() {
	while [ "$n" -lt "$plan" ]; do
		result fail "not run: an earlier step failed"
	done
	note "timings (seconds):"
	sed 's/^/    /' "$timings" >&2
	note "make vmm took $(( $(date +%s) - start ))s"
	echo "vmm: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

kernel_fresh() {	# kernel_fresh VARIANT: Image of the tree's HEAD, with the fragment
	local v=$1 k=$B/kernel/$1 line
	[ -f "$k/arch/arm64/boot/Image" ] && [ -f "$k/.config" ] && [ -f "$k/commit" ] || return 1
	[ "$(cat "$k/commit")" = "$(git -C "$B/trees/$v" rev-parse HEAD 2>/dev/null)" ] || return 1
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) grep -qxF "$line" "$k/.config" || return 1 ;; esac
	done < "$frag"
}
prepare_kernels() {
	local v fetched=
	for v in $variants; do
		[ -f "$B/trees/$v/Makefile" ] && continue
		if [ -z "$fetched" ]; then
			[ -n "${SRCPKG:-}" ] || die "no $v tree in $B/trees: run make vmm (or make trees) first"
			"$host/fetch-source.sh" || return 1
			fetched=1
		fi
		"$host/make-tree.sh" "$v" || return 1
	done
	for v in $variants; do
		if kernel_fresh "$v"; then
			note "$v kernel is up to date ($B/kernel/$v)"
		else
			timed "kernel $v" "$host/build-kernel.sh" "$v" || return 1
		fi
	done
}
prepare_vmm() {
	timed "L2 kernel and initramfs" "$vmm_dir/build-l2.sh" &&
	timed "root image (mke2fs -d)" "$vmm_dir/make-root.sh" ext4 >/dev/null &&
	timed "L1 initramfs" "$vmm_dir/make-initramfs.sh" >/dev/null
}

logscan=$(host_logscan)
if out=$(python3 "$vmm_dir/tests/test_parse.py" "$logscan" 2>&1); then
	result ok "parse.py, merge.py, table.py on a recorded console ($(tail -n 1 <<< "$out"))"
else
	printf '%s\n' "$out" | sed 's/^/    /' >&2
	result fail "parse.py, merge.py, table.py on a recorded console ($(tail -n 1 <<< "$out"))"
fi
if ! timed "fetch the arm64 QEMU closure" "$vmm_dir/fetch-qemu.sh"; then
	result fail "fetch: Debian's arm64 qemu-system-arm and its closure (see the error above)"
	finish
fi
result ok "fetch: Debian's arm64 QEMU $(cat "$VMM_CACHE/qemu-version"), every library resolves"
if ! prepare_kernels; then
	result fail "the L1 kernels ($variants) could not be built"
	finish
fi
if ! prepare_vmm; then
	result fail "the L2 guest, the root image or the L1 initramfs could not be built"
	finish
fi

for v in $variants; do
	for m in $MACHINES; do
		rc=0
		VMM_PREPARED=1 timed "run $v/$m" "$vmm_dir/run.sh" "$v" "$m" || rc=$?
		what="$v/$m: $(cat "$VMM_OUT/$v-$m/verdict" 2>/dev/null || echo 'did not run')"
		if [ "$rc" -eq 0 ]; then
			result ok "$what"
		elif [ "$v" = patched ]; then
			result fail "$what"
		else
			result skip "$what (a finding: the 'before' fails; evidence in $VMM_OUT/$v-$m/console.log)"
		fi
	done
done

machines_json=$MACHINES
python3 "$vmm_dir/merge.py" --vmm-dir "$VMM_OUT" --variants "$variants" \
	--machines "$machines_json" --json "$B/vmm.json" || true
python3 "$vmm_dir/table.py" "$B/vmm.json" | tee "$VMM_OUT/table.txt"

for c in $cases; do
	if why=$(timed "bad input: $c" bad_input_run "$c"); then
		result ok "bad input: $c: one clear error line, non-zero exit"
	else
		result fail "bad input: $c: $why (log: $VMM_OUT/faults/$c.log)"
	fi
done
finish
