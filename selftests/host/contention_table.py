#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The -EBUSY counts under contention, per operation, baseline beside patched.

    contention_table.py RUNS_DIR [--machines "gicv3 gicv2 riscv-aia"]

Reads RUNS_DIR/VARIANT-MACHINE/console.log and the lines of
arm64/vcpu_lock_contention and tools/aia_contention that count -EBUSY while
every vCPU thread loops on KVM_GET_ONE_REG:

    ... ok N OPERATION STATE, busy vCPU threads: B of N -EBUSY

Prints a markdown table, one row per operation and VM state and machine,
then each of those tests' own totals per boot.
"""

import argparse
import os
import re
import sys

TEST = re.compile(r"^# selftests: kvm: (?P<test>\S+)")
# A test's own totals, nested in the runner's output (not the runner's)
TOTALS = re.compile(r"^# # Totals: pass:(?P<p>\d+) fail:(?P<f>\d+) .*skip:(?P<s>\d+)")
LINE = re.compile(r"^(?:# )*(?:not )?ok \d+ (?P<op>.+?)(?: (?P<state>before CTRL_INIT|"
                  r"before the first run|after the first run))?, busy vCPU threads: "
                  r"(?P<busy>\d+) of (?P<n>\d+) -EBUSY")
VARIANTS = ("baseline", "v1", "patched")
COUNTED = ("arm64/vcpu_lock_contention", "tools/aia_contention")


def cells(console):
    """([(operation, state, 'B of N')], {test: 'P passed, F failed, S skipped'})
    of one console, in order."""
    out, totals, test = [], {}, None
    with open(console, errors="replace") as f:
        for line in f:
            line = line.strip()
            m = LINE.match(line)
            if m:
                out.append((m["op"], m["state"] or "-", f"{m['busy']} of {m['n']}"))
            m = TEST.match(line)
            if m:
                test = m["test"]
            m = TOTALS.match(line)
            if m and test and test not in totals:
                totals[test] = f"{m['p']} passed, {m['f']} failed, {m['s']} skipped"
    return out, totals


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("runs")
    ap.add_argument("--machines", default="gicv3 gicv2 riscv-aia")
    args = ap.parse_args(argv)
    rows, seen = {}, []
    variants = set()
    totals = {}
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
                found, tests = cells(console)
                for test, line in tests.items():
                    if test in COUNTED:
                        totals[(test, m, v)] = line
                for op, state, cell in found:
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
    if totals:
        print("\nEvery case of the tests above, per boot (their own Totals line):\n")
        print("| test | machine | " + " | ".join(cols) + " |")
        print("|---|---|" + "---|" * len(cols))
        for test, m in dict.fromkeys((t, m) for t, m, _ in totals):
            print(f"| {test} | {m} | " +
                  " | ".join(totals.get((test, m, v), "-") for v in cols) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
