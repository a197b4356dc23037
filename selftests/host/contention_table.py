#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The -EBUSY counts under contention, per operation, baseline beside patched.

    contention_table.py RUNS_DIR [--machines "gicv3 gicv2 riscv-aia"]

Reads RUNS_DIR/VARIANT-MACHINE/console.log and the lines of
arm64/vcpu_lock_contention and tools/aia_contention that count -EBUSY while
every vCPU thread loops on KVM_GET_ONE_REG:

    ... ok N OPERATION STATE, busy vCPU threads: B of N -EBUSY

Prints a markdown table, one row per operation and VM state and machine.
"""

import argparse
import os
import re
import sys

LINE = re.compile(r"^(?:# )*(?:not )?ok \d+ (?P<op>.+?)(?: (?P<state>before CTRL_INIT|"
                  r"before the first run|after the first run))?, busy vCPU threads: "
                  r"(?P<busy>\d+) of (?P<n>\d+) -EBUSY")
VARIANTS = ("baseline", "v1", "patched")


def cells(console):
    """[(operation, state, 'B of N')] of one console, in order."""
    out = []
    with open(console, errors="replace") as f:
        for line in f:
            m = LINE.match(line.strip())
            if m:
                out.append((m["op"], m["state"] or "-", f"{m['busy']} of {m['n']}"))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("runs")
    ap.add_argument("--machines", default="gicv3 gicv2 riscv-aia")
    args = ap.parse_args(argv)
    rows, seen = {}, []
    variants = set()
    if not os.path.isdir(args.runs):
        print(f"contention_table: error: no run directory {args.runs}", file=sys.stderr)
        return 2
    try:
        for m in args.machines.split():
            for v in VARIANTS:
                console = os.path.join(args.runs, f"{v}-{m}", "console.log")
                if not os.path.exists(console):
                    continue
                variants.add(v)
                for op, state, cell in cells(console):
                    key = (op, state, m)
                    if key not in rows:
                        rows[key] = {}
                        seen.append(key)
                    rows[key][v] = cell
    except OSError as e:
        print(f"contention_table: error: {e}", file=sys.stderr)
        return 2
    cols = [v for v in VARIANTS if v in variants]
    print("| operation | VM state | machine | " + " | ".join(cols) + " |")
    print("|---|---|---|" + "---:|" * len(cols))
    for key in seen:
        print("| %s | %s | %s | " % key + " | ".join(rows[key].get(v, "-") for v in cols) + " |")
    if not seen:
        print(f"\nNo contention counts in {args.runs}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
