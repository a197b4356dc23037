#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check every host tool in packages.list. As root on Debian, apt-get install
# what is missing; otherwise print the exact command and fail. Then run each
# tool once the way the workbench runs it (probes below): a tool can be
# installed and still lack a part that only a Recommends, or some package
# that happened to be on the machine, would bring.
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
list=$here/packages.list
missing=()
while read -r what pkg _; do	# _: a trailing comment
	case "$what" in ''|'#'*) continue ;; esac
	if [ "${what:0:1}" = / ]; then
		# A path, or a glob of which any match will do.
		compgen -G "$what" >/dev/null && continue
	else
		command -v "$what" >/dev/null 2>&1 && continue
	fi
	missing+=("$pkg")
done < "$list"

if [ "${#missing[@]}" -eq 0 ]; then
	note "deps: all host tools present"
else
	mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
	cmd="apt-get install -y --no-install-recommends ${missing[*]}"
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		die "missing host packages; run as root: apt-get update && $cmd"
	fi
	step "apt-get update" apt-get -q update >&2 ||
		die "apt-get update failed: is the Debian archive reachable?"
	step "install ${missing[*]}" env DEBIAN_FRONTEND=noninteractive $cmd >&2 ||
		die "apt-get install failed: $cmd"
fi

# ---- probes: about a second in all. Each runs a part that a bookworm
# minbase root lacked, or could lack, with only the packages above
# (selftests/host/fresh-root.sh, docs/fresh-root.md) ----
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0 probes=0
probe() {	# probe WHAT HINT CMD...: CMD must succeed
	local what=$1 hint=$2 out
	shift 2
	probes=$((probes + 1))
	out=$("$@" 2>&1) && return 0
	note "deps: $what: FAILED: $(grep -v '^[[:space:]]*$' <<< "$out" | tail -n 1)"
	note "deps:   $hint"
	bad=$((bad + 1))
}

# Host programs (gen_init_cpio, logscan, the kernel's scripts): gcc only
# Recommends libc6-dev.
printf '#include <stdio.h>\nint main(void) { return puts("") < 0; }\n' > "$tmp/hello.c"
probe "gcc builds a host program" "libc6-dev gives <stdio.h>" \
	gcc -o "$tmp/hello" "$tmp/hello.c"
probe "${CROSS_COMPILE:-aarch64-linux-gnu-}gcc links a static arm64 program" \
	"libc6-dev-arm64-cross gives libc.a" \
	"${CROSS_COMPILE:-aarch64-linux-gnu-}gcc" -static -o "$tmp/hello-arm64" "$tmp/hello.c"
probe "riscv64-linux-gnu-gcc links a static riscv64 program" \
	"libc6-dev-riscv64-cross gives libc.a" \
	riscv64-linux-gnu-gcc -static -o "$tmp/hello-riscv64" "$tmp/hello.c"

# cocci/*.cocci are mostly python rules: spatch dlopen()s libpython3.X.so,
# the unversioned name, which only libpython3.X-dev has.
cat > "$tmp/probe.cocci" <<'EOF'
@r@
identifier f;
@@
f(...) { ... }

@script:python@
f << r.f;
@@
print("python rule on " + f)
EOF
spatch_python() {
	(cd "$tmp" && spatch --very-quiet --sp-file probe.cocci hello.c) | grep -qx 'python rule on main'
}
probe "spatch runs a python rule" "libpython3-dev gives the libpython3.X.so that spatch loads" \
	spatch_python

# selftests/tools/bench_report.py plots with gnuplot's pngcairo terminal.
probe "gnuplot writes a pngcairo plot" "gnuplot-nox has pngcairo (gnuplot-qt or -x11 would do too)" \
	gnuplot -e "set terminal pngcairo; set output '$tmp/p.png'; plot x"

# checkpatch.pl's spdxcheck.py imports ply and git (GitPython needs git),
# with Debian's python3, as checkpatch.sh runs it.
probe "/usr/bin/python3 imports ply and git (spdxcheck.py)" "python3-ply, python3-git and git" \
	/usr/bin/python3 -c 'import ply, git'

# The riscv-aia machine's QEMU is not bookworm's: fetch it into $CACHE.
"$here/fetch-qemu-riscv.sh"

# QEMU with every machine record, as boot.sh starts it: dumpdtb makes QEMU
# create the machine and all its devices (a default NIC would need its ROM
# file from ipxe-qemu, a Recommends), write the DTB and exit, without booting.
for mfile in "$here"/../machines/*; do
	probe "QEMU creates machine $(basename "$mfile")" \
		"the machine record's QEMU_OPTS must not need firmware or ROM files (-nic none)" \
		bash -c '. "$1" && "${QEMU:-qemu-system-aarch64}" -M "$QEMU_MACHINE,dumpdtb=$2" \
			-cpu "$QEMU_CPU" -smp "$QEMU_SMP" -m "$QEMU_MEM" $QEMU_OPTS \
			-nographic -no-reboot -monitor none -serial stdio < /dev/null' \
		probe "$mfile" "$tmp/machine.dtb"
done

[ "$bad" -eq 0 ] || die "deps: $bad of $probes probes failed: host tools installed but not working (see above)"
note "deps: $probes probes: the tools work as the workbench runs them"
