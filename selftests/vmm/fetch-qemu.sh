#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-qemu.sh: Debian bookworm's arm64 qemu-system-arm (and busybox-static,
# for the /bin/sh and cat of QEMU's "exec:" migration) with their whole
# dependency closure, unpacked into $CACHE/vmm/root for the L1 guest.
#
# As fetch-source.sh fetches the kernel: a private apt configuration under
# $CACHE/vmm/apt (its own sources, lists, an empty dpkg status, arm64 as
# the native architecture); the system's apt is not touched. apt resolves
# the closure against the empty status (a simulated install), `apt-get
# download` fetches exactly those versions, `dpkg-deb -x` unpacks them. No
# maintainer script runs. qemu-user-static (amd64, same archive) lets the
# host run arm64's dynamic loader for check-closure.sh before any boot.
#
# Writes $CACHE/vmm/{root/,closure.txt,qemu-version}; skips all of it when
# the root is there for the same package list. VMM_PACKAGES overrides the
# package list (the bad-input test uses a name that does not exist).
. "$(dirname "$0")/lib.sh"
packages=${VMM_PACKAGES:-qemu-system-arm busybox-static}
suite=bookworm
apt_dir=$VMM_CACHE/apt
debs=$VMM_CACHE/debs
stamp="$suite arm64: $packages"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$debs" \
	"$VMM_CACHE/host"

if stamp_ok "$VMM_CACHE/root.stamp" "$stamp" && [ -x "$VMM_ROOT/usr/bin/qemu-system-aarch64" ] &&
   [ -x "$VMM_QEMU_USER" ] && [ -s "$VMM_CACHE/qemu-version" ]; then
	note "QEMU root up to date: $VMM_ROOT ($(cat "$VMM_CACHE/qemu-version"))"
	"$vmm_dir/check-closure.sh" "$VMM_ROOT"
	exit 0
fi

# The archive the system uses (deb822 sources), bookworm's suites only.
sources() {
	local f=/etc/apt/sources.list.d/debian.sources
	[ -f "$f" ] && awk -v suite="$suite" '
		function flush() {
			if (types ~ /(^| )deb( |$)/)
				for (i = 1; i <= nu; i++)
					for (j = 1; j <= ns; j++)
						if (s[j] == suite || index(s[j], suite "-") == 1)
							printf "deb [arch=arm64,amd64] %s %s %s\n", u[i], s[j], comps
			types = ""; nu = ns = 0; comps = "main"
		}
		BEGIN { comps = "main" }
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0 }
		/^URIs:/ { sub(/^URIs:[ \t]*/, ""); nu = split($0, u, /[ \t]+/) }
		/^Suites:/ { sub(/^Suites:[ \t]*/, ""); ns = split($0, s, /[ \t]+/) }
		/^Components:/ { sub(/^Components:[ \t]*/, ""); comps = $0 }
		END { flush() }' "$f"
}
sources > "$apt_dir/sources.list.new" || true
if [ ! -s "$apt_dir/sources.list.new" ]; then
	printf 'deb [arch=arm64,amd64] http://deb.debian.org/debian %s main\n' \
		"$suite" "$suite-updates" > "$apt_dir/sources.list.new"
	echo "deb [arch=arm64,amd64] http://deb.debian.org/debian-security $suite-security main" \
		>> "$apt_dir/sources.list.new"
fi
mv "$apt_dir/sources.list.new" "$apt_dir/sources.list"
: > "$apt_dir/status"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	  -o "Dir::Etc::SourceParts=/dev/null"
	  -o "Dir::Etc::Preferences=/dev/null"
	  -o "Dir::Etc::PreferencesParts=/dev/null"
	  -o "Dir::State::Lists=$apt_dir/lists"
	  -o "Dir::State::status=$apt_dir/status"
	  -o "Dir::Cache=$apt_dir/cache"
	  -o "APT::Architecture=arm64"
	  -o "APT::Architectures::=arm64" -o "APT::Architectures::=amd64"
	  -o "APT::Sandbox::User=root")
apt_q() {	# apt_q LOG CMD ARGS...: quiet apt, its output in LOG
	local log=$1
	shift
	"$@" > "$log" 2>&1
}
log=$VMM_CACHE/apt.log
step "apt-get update ($suite, arm64)" apt_q "$log" apt-get -q "${apt_opts[@]}" update ||
	die "cannot reach the Debian archive ($(grep -m1 -E '^(E|W):' "$log" || tail -n 1 "$log"))"

# The closure: what apt would install on an empty arm64 system.
# shellcheck disable=SC2086 # a list of package names
if ! apt_q "$log" apt-get -q "${apt_opts[@]}" -s --no-install-recommends install $packages; then
	die "cannot fetch package(s) '$packages': $(grep -m1 '^E:' "$log" || tail -n 1 "$log")"
fi
awk '/^Inst /{ v = $3; gsub(/[()]/, "", v); print $2, v }' "$log" | sort > "$VMM_CACHE/closure.txt"
[ -s "$VMM_CACHE/closure.txt" ] || die "apt resolved no packages for '$packages' (see $log)"
mapfile -t want < <(awk '{ print $1 "=" $2 }' "$VMM_CACHE/closure.txt")
note "closure of '$packages': ${#want[@]} packages"

(cd "$debs" && apt_q "$log" apt-get -q "${apt_opts[@]}" download "${want[@]}" qemu-user-static:amd64) ||
	die "cannot fetch package: $(grep -m1 -E '^E:' "$log" || tail -n 1 "$log")"

unpack() {
	local name ver deb
	rm -rf "$VMM_ROOT.tmp"
	mkdir -p "$VMM_ROOT.tmp"
	while read -r name ver; do
		deb=$(ls "$debs/${name}_${ver/:/%3a}_arm64.deb" "$debs/${name}_${ver/:/%3a}_all.deb" 2>/dev/null | head -n 1)
		[ -n "$deb" ] || die "cannot fetch package $name=$ver (no .deb in $debs)"
		dpkg-deb -x "$deb" "$VMM_ROOT.tmp" || die "dpkg-deb -x $deb failed"
	done < "$VMM_CACHE/closure.txt"
}
step "unpack ${#want[@]} packages (dpkg-deb -x, no maintainer scripts)" unpack
deb=$(ls "$debs"/qemu-user-static_*_amd64.deb | tail -n 1)
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$VMM_CACHE/host" ./usr/bin/qemu-aarch64-static ||
	die "cannot unpack qemu-aarch64-static from $deb"
rm -rf "$VMM_ROOT"
mv "$VMM_ROOT.tmp" "$VMM_ROOT"

"$vmm_dir/check-closure.sh" "$VMM_ROOT" /usr/bin/qemu-system-aarch64 /bin/busybox
ver=$("$VMM_QEMU_USER" -L "$VMM_ROOT" "$VMM_ROOT/usr/bin/qemu-system-aarch64" --version | head -n 1) ||
	die "qemu-system-aarch64 --version failed under qemu-aarch64"
pkgver=$(awk '$1 == "qemu-system-arm" { print $2 }' "$VMM_CACHE/closure.txt")
echo "${ver#QEMU emulator version } [qemu-system-arm $pkgver arm64]" > "$VMM_CACHE/qemu-version"
echo "$stamp" > "$VMM_CACHE/root.stamp"
note "QEMU root: $VMM_ROOT ($(du -sm "$VMM_ROOT" | cut -f1) MiB): $(cat "$VMM_CACHE/qemu-version")"
