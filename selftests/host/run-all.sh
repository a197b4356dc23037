#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-all.sh: the whole A/B job. Source -> trees -> kernels -> selftests ->
# initramfs -> boots (every variant on every machine) -> report. A boot that
# fails is reported and the other boots still run; the report decides.
. "$(dirname "$0")/lib.sh"
need_var B MACHINES
host=$(dirname "$0")
start=$(date +%s)

"$host/fetch-source.sh"
for v in baseline patched; do
	"$host/make-tree.sh" "$v"
done
for v in baseline patched; do
	"$host/build-kernel.sh" "$v"
done
# Patched first: baseline borrows the tests the series adds.
for v in patched baseline; do
	"$host/build-selftests.sh" "$v"
done
for v in baseline patched; do
	"$host/make-initramfs.sh" "$v"
done
for m in $MACHINES; do
	for v in baseline patched; do
		"$host/boot.sh" "$v" "$m" || note "$v/$m: boot failed; continuing with the others"
	done
done
note "whole job so far: $(( $(date +%s) - start ))s"
"$host/report.sh"
