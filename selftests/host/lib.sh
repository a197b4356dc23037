# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the host-side steps. Sourced, not run.

set -euo pipefail

die() {
	echo "vcpulock: error: $*" >&2
	exit 1
}

note() {
	echo "vcpulock: $*" >&2
}

# step DESCRIPTION CMD...: run CMD, say what it does and how long it took,
# and add "SECONDS<TAB>DESCRIPTION" to $B/timings.log for the run's summary.
step() {
	local what=$1 start rc=0 secs
	shift
	note "$what ..."
	start=$(date +%s)
	"$@" || rc=$?
	secs=$(( $(date +%s) - start ))
	if [ -n "${B:-}" ] && [ -d "$B" ]; then
		printf '%s\t%s%s\n' "$secs" "$what" "$([ "$rc" -eq 0 ] || echo " (FAILED)")" \
			>> "$B/timings.log"
	fi
	if [ "$rc" -ne 0 ]; then
		note "$what: FAILED after ${secs}s"
		return "$rc"
	fi
	note "$what: done in ${secs}s"
}

need_var() {
	local v
	for v; do
		[ -n "${!v:-}" ] || die "$v is not set (run this step through the Makefile)"
	done
}

# kmake TREE OUT ARCH CROSS_COMPILE MAKE-ARGS...: an O= kernel build through
# ccache. Paths are hashed relative to $B, so a fresh clone still hits.
kmake() {
	local tree=$1 out=$2 arch=$3 cross=$4
	shift 4
	CCACHE_BASEDIR=$B make -s -C "$tree" O="$out" ARCH="$arch" \
		CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" HOSTCC="ccache gcc" \
		-j"$JOBS" "$@"
}

# kbuild_checkout COMMIT: check COMMIT out at the one source path every
# arm64 kernel build uses ($B/kbuild/src), print that path. git rewrites
# only the files that differ, so an O= build there stays incremental.
kbuild_checkout() {
	local src=$B/kbuild/src repo
	repo=$(cat "$B/base-repo")
	if [ ! -e "$src/.git" ]; then
		mkdir -p "$B/kbuild"
		git -C "$repo" worktree prune
		git -C "$repo" worktree add -q --detach "$src" "$1" >&2 ||
			die "cannot make the build worktree $src"
	fi
	git -C "$src" checkout -q --force --detach "$1" >&2 ||
		die "cannot check out $1 in $src"
	echo "$src"
}

# debian_mirror: the first Debian archive URI in the system's apt sources
# (deb822 .sources or one-line .list), for private apt configurations that
# should go through the same mirror or proxy. Fails if there is none.
debian_mirror() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list \
		 /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk '
			/^URIs:/ { for (i = 2; i <= NF; i++) print $i }
			/^deb[ \t]/ { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { print $i; break } }
		' "$f" | grep -E '/debian/?$' | grep -v security | head -n 1)
		if [ -n "$uri" ]; then
			echo "${uri%/}"
			return 0
		fi
	done
	return 1
}

# apt_private DIR SUITE [ARCH]: a private apt configuration in DIR for
# SUITE (of the system's own Debian mirror), updated; fills the array
# APT_OPTS for apt-get. The system's sources, pins and architectures stay
# as they are.
apt_private() {
	local dir=$1 suite=$2 arch=${3:-} mirror
	mirror=$(debian_mirror) ||
		die "no Debian mirror in the system's apt sources (/etc/apt/sources.list{,.d/})"
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	echo "deb $mirror $suite main" > "$dir/sources.list"
	APT_OPTS=(-o "Dir::Etc::SourceList=$dir/sources.list"
		  -o "Dir::Etc::SourceParts=/dev/null"
		  -o "Dir::State::Lists=$dir/lists"
		  -o "Dir::State::Status=$dir/status"
		  -o "Dir::Cache=$dir/cache"
		  -o "APT::Sandbox::User=root")
	[ -z "$arch" ] || APT_OPTS+=(-o "APT::Architecture=$arch" -o "APT::Architectures=$arch")
	touch "$dir/status"
	step "apt-get update ($suite${arch:+, $arch})" apt-get -q "${APT_OPTS[@]}" update >&2 ||
		die "cannot reach the Debian archive for $suite (apt-get update failed)"
}

# config_has_fragment FRAGMENT CONFIG: every CONFIG_ line of FRAGMENT is in
# CONFIG; each one that is not is a note saying what CONFIG has instead.
config_has_fragment() {
	local frag=$1 config=$2 line missing=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF "$line" "$config" || {
				note "config: $line was requested but the result has: $(grep -E "^(# )?${line%%=*}[= ]" "$config" || echo 'nothing')"
				missing=1
			}
			;;
		esac
	done < "$frag"
	return "$missing"
}

# host_logscan: build the host side of the runner's log scanner, print its path.
host_logscan() {
	local runner
	runner=$(cd "$(dirname "${BASH_SOURCE[0]}")/../runner" && pwd)
	make -s -C "$runner" O="$B/host/runner" "$B/host/runner/logscan" >&2 ||
		die "cannot build the host log scanner"
	echo "$B/host/runner/logscan"
}

# stamp_ok FILE VALUE: is FILE there and does it hold VALUE?
stamp_ok() {
	[ -f "$1" ] && [ "$(cat "$1")" = "$2" ]
}

# The workbench's own architecture: its kernels, selftests and initramfs
# sit at the top of $B/kernel, $B/selftests and $B/initramfs; those of a
# machine of another ARCH (riscv-aia) under a directory named after it.
# arch_dir ARCH prints "" or "/ARCH", to append to those three.
arch_dir() {
	[ "$1" = arm64 ] || printf '/%s' "$1"
}

# plan_of ARCH: the test plan of the machines of ARCH: PLAN (default
# selftests/configs/tests.list) for arm64, selftests/configs/tests-ARCH.list
# for another.
plan_of() {
	local configs
	configs=$(cd "$(dirname "${BASH_SOURCE[0]}")/../configs" && pwd)
	if [ "$1" = arm64 ]; then
		echo "${PLAN:-$configs/tests.list}"
	else
		echo "$configs/tests-$1.list"
	fi
}

# machine_arch MACHINE: the ARCH of a machine record.
machine_arch() {
	(load_machine "$1" && echo "$ARCH")
}

# all_machines: every machine record in selftests/machines, in name order.
all_machines() {
	local dir
	dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../machines" && pwd)
	ls "$dir" | tr '\n' ' '
}

# machines_of ARCH: the machines of $MACHINES whose record has ARCH, in order.
machines_of() {
	local m
	for m in $MACHINES; do
		[ "$(machine_arch "$m")" != "$1" ] || printf '%s ' "$m"
	done
}

# load_machine MACHINE: source selftests/machines/MACHINE, the QEMU machine
# record (QEMU, QEMU_MACHINE, QEMU_CPU, QEMU_SMP, QEMU_MEM, QEMU_OPTS, ARCH,
# CROSS_COMPILE, KERNEL_IMAGE, KERNEL_CMDLINE, BOOT_TIMEOUT, DESCRIPTION).
load_machine() {
	local dir v
	dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../machines" && pwd)
	[ -f "$dir/$1" ] || die "unknown MACHINE '$1' (have: $(ls "$dir" | tr '\n' ' '))"
	# shellcheck source=/dev/null
	. "$dir/$1"
	for v in QEMU QEMU_MACHINE QEMU_CPU QEMU_SMP QEMU_MEM ARCH CROSS_COMPILE \
		 KERNEL_IMAGE KERNEL_CMDLINE BOOT_TIMEOUT DESCRIPTION; do
		[ -n "${!v:-}" ] || die "machine record $dir/$1 has no $v"
	done
}

# variant_patches VARIANT: print the directory of VARIANT's patches, empty
# for the base itself (selftests/configs/variants; PATCHES= overrides
# patched's). Dies on an unknown variant.
variant_patches() {
	local top list name dir
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	list=$top/selftests/configs/variants
	while read -r name dir; do
		case "$name" in ''|'#'*) continue ;; esac
		[ "$name" = "$1" ] || continue
		if [ "$name" = patched ] && [ -n "${PATCHES:-}" ]; then
			echo "$PATCHES"
		elif [ "$dir" != - ]; then
			echo "$top/$dir"
		fi
		return 0
	done < "$list"
	die "unknown VARIANT '$1' (have: $(awk '!/^#/ && NF { printf "%s ", $1 }' "$list"))"
}

check_variant() {
	variant_patches "$1" >/dev/null
}
