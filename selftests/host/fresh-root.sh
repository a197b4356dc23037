#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fresh-root.sh: does the workbench install what it needs on a machine that
# never had it? In a Debian bookworm minbase root made by debootstrap, with a
# git clone of the committed HEAD copied in (the work tree's uncommitted
# changes are not tested, as in CI), chroot and run `make deps`, then boot
# the host's patched kernel with a short plan (selftests/configs/smoke.list)
# through boot.sh on every machine, with the root's own QEMU. One KTAP line a
# step (ktap.sh); the last line is "fresh-root: N passed, N failed, N skipped".
#
# Run as root after a kernel build (make test or make kernel selftests):
# it needs $B/kernel/patched/arch/arm64/boot/Image and $B/selftests/patched.
# The root is made anew each run under $CACHE/fresh-root and deleted after.
#
#   FRESH_MACHINES	machines to boot (default: every arm64 machine record)
#   FRESH_PLAN		the plan (default: selftests/configs/smoke.list)
#   FRESH_MIRROR	Debian mirror (default: the host's apt sources' one)
#   FRESH_WORKTREE=1	test the work tree as it is (a dangling snapshot
#			commit, tracked and untracked files) instead of HEAD
#   FRESH_MUTATE=CMD	run CMD in the clone before `make deps` (to plant a
#			bug and see the check catch it; never the real tree)
#   FRESH_MUTATE_BOOT=CMD  the same, after `make deps`, before the boots
#   FRESH_KEEP=1	keep the root after the run (for a look inside)
#   HEAVY_WRAP=CMD	prefix every QEMU boot with CMD (a lock on a shared machine)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ktap.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
host=$top/selftests/host
B=$(realpath -m "${B:-$top/build}")
CACHE=${CACHE:-$HOME/.cache/vcpulock}
plan=${FRESH_PLAN:-$top/selftests/configs/smoke.list}
read -r -a machines <<< "${FRESH_MACHINES:-$(MACHINES=$(all_machines) machines_of arm64)}"
suite=bookworm
variant=patched
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
dir=$CACHE/fresh-root
root=$dir/root
logs=$dir/logs
image=$B/kernel/$variant/arch/arm64/boot/Image
read -r -a wrap <<< "${HEAVY_WRAP:-}"

# ---- preconditions: one clear line each, before the plan ----
[ "$(id -u)" -eq 0 ] || die "fresh-root: run as root (debootstrap, mount and chroot need it)"
[ -f "$plan" ] || die "fresh-root: no plan at $plan"
[ -f "$image" ] || die "fresh-root: no $variant kernel at $image (run: make kernel selftests VARIANT=$variant)"
[ -x "$B/selftests/$variant/runner/init" ] ||
	die "fresh-root: no $variant selftests in $B/selftests/$variant (run: make selftests VARIANT=$variant)"
for m in "${machines[@]}"; do
	[ -f "$top/selftests/machines/$m" ] || die "fresh-root: unknown machine '$m'"
done
if [ ! -x /usr/sbin/debootstrap ] || [ ! -f "$keyring" ]; then
	"$host/deps.sh" || die "fresh-root: cannot install debootstrap on the host"
fi

# host_sources: "URI SUITE" for every enabled deb line of the host's apt
# sources, one-line (*.list) and deb822 (*.sources) alike.
host_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { i = 2
			if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
			print $i, $(i + 1) }' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'function flush(u, s) {
				if (deb && on) for (u in U) for (s in S) print U[u], S[s]
				deb = 0; on = 1; split("", U); split("", S) }
			BEGIN { on = 1 }
			/^#/ { next }
			/^[ \t]*$/ { flush(); next }
			tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			tolower($1) == "uris:" { for (i = 2; i <= NF; i++) U[i] = $i }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) S[i] = $i }
			tolower($1) == "enabled:" { on = tolower($2) != "no" }
			END { flush() }' "$f"
	done
}
# mirror_for SUITE: the first http(s) URI that the host uses for SUITE.
mirror_for() {
	host_sources | awk -v s="$1" '$2 == s && $1 ~ /^https?:\/\// { sub(/\/+$/, "", $1); print $1; exit }'
}
mirror=${FRESH_MIRROR:-$(mirror_for "$suite")}
[ -n "$mirror" ] || die "fresh-root: the host's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/*.list, *.sources) name no http(s) mirror for $suite; set FRESH_MIRROR=URL"
security=$(mirror_for "$suite-security")
updates=$(mirror_for "$suite-updates")

mkdir -p "$dir"
exec 9> "$dir/lock"
flock -n 9 || die "fresh-root: another fresh-root.sh holds $dir/lock"

# ---- mounts and the root: undone on every exit ----
mounts=()
mount_in() {	# mount_in TARGET MOUNT-ARGS...
	mount "${@:2}" "$root/$1" && mounts+=("$root/$1")
}
# unmount_all: everything mounted under $root, ours or a crashed run's.
unmount_all() {
	local m i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
	done
	mounts=()
	[ -d "$root" ] || return 0
	# A crashed earlier run may have left some: deepest first.
	while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done < <(awk -v r="$root/" 'index($2 "/", r) == 1 { print $2 }' /proc/self/mounts | sort -r)
}
remove_root() {
	unmount_all
	[ -d "$root" ] || return 0
	if awk -v r="$root/" 'index($2 "/", r) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
		note "fresh-root: something is still mounted under $root; not deleting it"
		return 1
	fi
	rm -rf --one-file-system "$root"
}
cleanup() {
	unmount_all
	if [ "${FRESH_KEEP:-}" = 1 ]; then
		note "fresh-root: root kept in $root (delete it with: rm -rf --one-file-system $root)"
	else
		remove_root || true
	fi
	rm -rf "$dir/pack"
	rm -f "$dir/boot-start" "$dir/waited"
}
# A long command runs in its own process group, in the background: bash
# runs a trap only once the foreground command is done, and a signal must
# end the run (and undo the mounts) at once, not after apt has finished.
child=
run_bg() {	# run_bg CMD...
	local rc=0
	setsid "$@" < /dev/null &
	child=$!
	wait "$child" || rc=$?
	child=
	return "$rc"
}
on_signal() {
	if [ -n "$child" ]; then
		kill -TERM -- "-$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# in_root CMD...: CMD inside the root, as root, with a clean environment.
in_root() {
	run_bg chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# ---- the plan ----
ntests=$(grep -cvE '^[[:space:]]*(#|$)' "$plan") || true
[ "$ntests" -gt 0 ] || die "fresh-root: no tests in $plan"
steps=$((3 + ${#machines[@]}))
rm -rf "$logs"
mkdir -p "$logs"
broken=
ktap_print_header
ktap_set_plan "$steps"
# run_step NAME WHAT FUNC: one KTAP line, with the step's time as its
# comment; after a failed root step the rest skip.
run_step() {
	local name=$1 what=$2 start rc=0 secs took w log
	shift 2
	log=$logs/$KTAP_TESTNO-$name.log
	if [ -n "$broken" ]; then
		ktap_test_skip "$what" "$broken failed"
		return 0
	fi
	start=$(date +%s)
	step "$what" logged "$log" "$@" || rc=$?
	secs=$(( $(date +%s) - start ))
	took="${secs}s"
	if [ -f "$dir/waited" ]; then	# time spent waiting for $HEAVY_WRAP
		w=$(cat "$dir/waited")
		took="$((secs - w))s, plus ${w}s waiting for '${wrap[*]}'"
		rm -f "$dir/waited"
	fi
	if [ "$rc" -eq 0 ]; then
		ktap_test_pass "$what" "$took"
	else
		ktap_test_fail "$what" "$took"
		why "$log" | while IFS= read -r l; do ktap_print_msg "$l"; done
		ktap_print_msg "full log: $log"
		# The boots do not need each other; everything needs the root.
		case "$name" in boot-*) ;; *) broken=$name ;; esac
	fi
}
logged() {	# logged LOG CMD...: CMD with its output in LOG only
	local log=$1
	shift
	"$@" > "$log" 2>&1
}
# why LOG: the one line that says what went wrong, then the last lines.
why() {
	local line
	# A probe of deps.sh names the broken tool; else the last error.
	line=$(grep -m 1 'vcpulock: deps: .*: FAILED: ' "$1" ||
	       grep -E 'vcpulock: error:|^E: ' "$1" | tail -n 1 || true)
	[ -z "$line" ] || echo "$line"
	echo "last lines:"
	tail -n 15 "$1" | sed 's/^/  | /'
}

# 1. debootstrap. The .debs of minbase (plus make, which the README's
# `make` presumes) are cached as a --make-tarball; the root is installed
# from them anew each run, so it never had anything else.
arch=$(dpkg --print-architecture)
tarball=$dir/$suite-minbase-$arch.tar.gz
boot_opts=(--variant=minbase --include=make --keyring="$keyring")
case "$mirror" in https:*) boot_opts[1]=--include=make,ca-certificates ;; esac
make_root() {
	remove_root || return 1
	if [ -f "$tarball" ] && [ -n "$(find "$tarball" -mtime +30)" ]; then
		note "fresh-root: $tarball is over 30 days old: fetching it again"
		rm -f "$tarball"
	fi
	if [ ! -f "$tarball" ]; then
		rm -rf "$dir/tarball.work"
		run_bg debootstrap "${boot_opts[@]}" --make-tarball="$tarball.tmp" \
			"$suite" "$dir/tarball.work" "$mirror" || return 1
		mv "$tarball.tmp" "$tarball"
		rm -rf --one-file-system "$dir/tarball.work"
	fi
	run_bg debootstrap "${boot_opts[@]}" --unpack-tarball="$tarball" \
		"$suite" "$root" "$mirror" || return 1
	# The host's mirror for the suites the host uses; nothing else.
	{
		echo "deb $mirror $suite main"
		[ -z "$updates" ] || echo "deb $updates $suite-updates main"
		[ -z "$security" ] || echo "deb $security $suite-security main"
	} > "$root/etc/apt/sources.list"
	[ ! -e /etc/resolv.conf ] || cp -L /etc/resolv.conf "$root/etc/resolv.conf"
	# No daemon of an installed package starts inside the root.
	printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
	chmod +x "$root/usr/sbin/policy-rc.d"
	note "root: $(in_root dpkg-query -f '.\n' -W | wc -l) packages; sources:"
	sed 's/^/    /' "$root/etc/apt/sources.list" >&2
}
run_step debootstrap "debootstrap $suite minbase from $mirror" make_root

# 2. The clone, with the host's smoke initramfs and kernel in its build/.
if [ "${FRESH_WORKTREE:-}" = 1 ]; then
	idx=$(mktemp)
	cp "$(git -C "$top" rev-parse --absolute-git-dir)/index" "$idx"
	GIT_INDEX_FILE=$idx git -C "$top" add -A
	tree=$(GIT_INDEX_FILE=$idx git -C "$top" write-tree)
	rm -f "$idx"
	rev=$(GIT_AUTHOR_NAME=fresh-root GIT_AUTHOR_EMAIL=fresh-root@localhost \
	      GIT_COMMITTER_NAME=fresh-root GIT_COMMITTER_EMAIL=fresh-root@localhost \
	      git -C "$top" commit-tree -p HEAD -m "fresh-root: work tree snapshot" "$tree")
	what="work tree snapshot ${rev:0:12} (on HEAD $(git -C "$top" rev-parse --short HEAD))"
else
	rev=$(git -C "$top" rev-parse HEAD)
	what="HEAD ${rev:0:12} (committed files only)"
fi
clone() {
	git clone -q --no-hardlinks --no-checkout "$top" "$root/vcpulock" &&
	git -C "$root/vcpulock" checkout -q --detach "$rev" || return 1
	if [ -n "${FRESH_MUTATE:-}" ]; then
		note "mutating the clone: $FRESH_MUTATE"
		(cd "$root/vcpulock" && bash -c "$FRESH_MUTATE") || return 1
		git -C "$root/vcpulock" diff --stat >&2
	fi
	# The smoke initramfs, packed on the host from the host's build (no
	# kernel or selftest is built in the root), and the host's kernel.
	local pack=$dir/pack cb=$root/vcpulock/build
	rm -rf "$pack"
	mkdir -p "$pack/selftests" "$pack/trees"
	ln -s "$B/selftests/$variant" "$pack/selftests/$variant"
	ln -s "$B/trees/$variant" "$pack/trees/$variant"
	# The clone's own make-initramfs.sh, run on the host's build.
	B=$pack PLAN=$plan "$root/vcpulock/selftests/host/make-initramfs.sh" "$variant" || return 1
	mkdir -p "$cb/initramfs"
	cp "$pack/initramfs/$variant.cpio.gz" "$cb/initramfs/$variant.cpio.gz"
	local m img
	for m in "${machines[@]}"; do	# each record's KERNEL_IMAGE (HEAD's records have one)
		# shellcheck source=/dev/null
		img=$(. "$root/vcpulock/selftests/machines/$m"; echo "${KERNEL_IMAGE:-arch/arm64/boot/Image}")
		[ -f "$B/kernel/$variant/$img" ] || { echo "vcpulock: error: no $B/kernel/$variant/$img for $m"; return 1; }
		mkdir -p "$(dirname "$cb/kernel/$variant/$img")"
		cp "$B/kernel/$variant/$img" "$cb/kernel/$variant/$img"
	done
}
run_step clone "clone $what, with the host's kernel and a $ntests-test initramfs" clone

# 3. make deps, from nothing, as root, non-interactively. Then it must find
# every tool it asked for.
make_deps() {
	mount_in proc -t proc proc &&
	mount_in sys -t sysfs -o ro sysfs &&
	mount_in dev --bind /dev &&
	mount_in dev/pts --bind /dev/pts || return 1
	in_root make -C /vcpulock deps || return 1
	local again
	again=$(in_root make -C /vcpulock deps 2>&1) || true
	echo "$again"
	grep -q 'all host tools present' <<< "$again" ||
		{ echo "vcpulock: error: a second make deps still finds tools missing"; return 1; }
}
run_step deps "make deps in the root" make_deps

# 4. The smoke boots, with the root's QEMU, through boot.sh.
smoke() {	# smoke MACHINE
	local m=$1 run=$root/vcpulock/build/runs/$variant-$1 log=$logs/console-$1.log
	local t0 t1 rc=0 bad
	t0=$(date +%s)
	rm -f "$dir/waited" "$dir/boot-start"
	run_bg "${wrap[@]}" bash -c 'date +%s > "$0"; exec "$@"' "$dir/boot-start" \
		chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin B=/vcpulock/build JOBS=2 \
		BOOT_TIMEOUT_OVERRIDE="${FRESH_BOOT_TIMEOUT:-600}" \
		/vcpulock/selftests/host/boot.sh "$variant" "$m" || rc=$?
	t1=$(cat "$dir/boot-start" 2>/dev/null || echo "$t0")
	[ "$t1" -le "$t0" ] || echo "$((t1 - t0))" > "$dir/waited"
	# The console outlives the root (QEMU's serial output has CRLFs).
	[ ! -f "$run/console.log" ] || tr -d '\r' < "$run/console.log" > "$log"
	# boot.sh has said why, with the last console lines.
	[ "$rc" -eq 0 ] || { note "$m: the console is kept in $log"; return "$rc"; }
	# The runner ran the whole plan, and no planned test failed (splats are
	# the A/B job's business: kernel_log_clean is shown, not judged).
	grep -qx "1\.\.$((ntests + 1))" "$log" ||
		{ echo "vcpulock: error: $m: the runner's plan is not $ntests tests + kernel_log_clean (console: $log)"; return 1; }
	bad=$(grep -E '^not ok [0-9]+ ' "$log" | grep -v ' kernel_log_clean' || true)
	[ -z "$bad" ] || { echo "vcpulock: error: $m: $bad (console: $log)"; return 1; }
	grep -E '^(ok|not ok) [0-9]+ |^# Totals' "$log"
}
if [ -n "${FRESH_MUTATE_BOOT:-}" ] && [ -z "$broken" ]; then
	note "mutating the clone before the boots: $FRESH_MUTATE_BOOT"
	(cd "$root/vcpulock" && bash -c "$FRESH_MUTATE_BOOT") || die "fresh-root: FRESH_MUTATE_BOOT failed"
	git -C "$root/vcpulock" diff --stat >&2
fi
for m in "${machines[@]}"; do
	run_step "boot-$m" "smoke boot on $m ($ntests-test plan, the root's QEMU, boot.sh)" smoke "$m"
done

ktap_finished
