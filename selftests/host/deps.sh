#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check every host tool in packages.list. As root on Debian, apt-get install
# what is missing; otherwise print the exact command and fail.
. "$(dirname "$0")/lib.sh"

list=$(dirname "$0")/packages.list
missing=()
while read -r what pkg; do
	case "$what" in ''|'#'*) continue ;; esac
	if [ "${what:0:1}" = / ]; then
		[ -e "$what" ] && continue
	else
		command -v "$what" >/dev/null 2>&1 && continue
	fi
	missing+=("$pkg")
done < "$list"

[ "${#missing[@]}" -eq 0 ] && { note "deps: all host tools present"; exit 0; }

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	die "missing host packages; run as root: apt-get update && $cmd"
fi
step "apt-get update" apt-get -q update >&2 ||
	die "apt-get update failed: is the Debian archive reachable?"
step "install ${missing[*]}" env DEBIAN_FRONTEND=noninteractive $cmd >&2 ||
	die "apt-get install failed: $cmd"
