#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tabulate tools/vgic_first_run over every run of a build, as Markdown.

    first_run_table.py RUNS_DIR

Reads RUNS_DIR/VARIANT-MACHINE/console.log, picks the tool's
"first-run write REG OK_BEFORE OK_DURING EBUSY MISMATCHES" and
"first-run done ..." lines, and prints one table per machine with a
column per variant.
"""

import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

WRITE = re.compile(r"^first-run write (\S+) (\d+) (\d+) (\d+) (\d+)$")
DONE = re.compile(r"^first-run done rounds=(\d+) writes=(\d+) ebusy=(\d+) mismatches=(\d+)$")
ORDER = ("baseline", "v1", "patched")


def parse(console):
    with open(console, errors="replace") as f:
        run = ktap.parse(f.read())
    test = next((t for t in run["tests"] if t["name"] == "tools/vgic_first_run"), None)
    if not test:
        return None
    regs, done = {}, None
    for line in test["log"]:
        m = WRITE.match(line)
        if m:
            regs[m.group(1)] = tuple(int(x) for x in m.groups()[1:])
        m = DONE.match(line)
        if m:
            done = tuple(int(x) for x in m.groups())
    return {"result": test["result"], "regs": regs, "done": done}


def main(argv):
    if len(argv) != 2:
        print("usage: first_run_table.py RUNS_DIR", file=sys.stderr)
        return 2
    runs = {}
    try:
        for key in sorted(os.listdir(argv[1])):
            console = os.path.join(argv[1], key, "console.log")
            variant, _, machine = key.rpartition("-")
            if os.path.exists(console):
                r = parse(console)
                if r:
                    runs.setdefault(machine, {})[variant] = r
    except OSError as e:
        print("first_run_table: error: %s" % e, file=sys.stderr)
        return 1
    print("# The first-run window: vGIC writes racing the first KVM_RUN\n")
    print("`tools/vgic_first_run -r 200` (selftests/tools/vgic_first_run.c): each cell is")
    print("succeeded before the run / succeeded during it / -EBUSY (repeated after the")
    print("exit) / mismatches. A mismatch is a write that left a state neither an")
    print("unraced write before the run nor one after it leaves.\n")
    if not runs:
        print("No run in %s ran tools/vgic_first_run.\n" % argv[1])
    for machine in sorted(runs, reverse=True):
        variants = sorted(runs[machine], key=lambda v: (ORDER.index(v) if v in ORDER
                                                         else len(ORDER), v))
        print("## %s\n" % machine)
        print("| register | " + " | ".join(variants) + " |")
        print("|---|" + "---:|" * len(variants))
        regs = []
        for v in variants:
            regs += [r for r in runs[machine][v]["regs"] if r not in regs]
        for reg in regs:
            cells = []
            for v in variants:
                c = runs[machine][v]["regs"].get(reg)
                cells.append("-" if c is None else "%d / %d / %d / **%d**" % c)
            print("| %s | %s |" % (reg, " | ".join(cells)))
        print("| result | %s |\n" % " | ".join(
            "%s (%s)" % (runs[machine][v]["result"],
                         "%d of %d writes -EBUSY, %d mismatches" % (
                             runs[machine][v]["done"][2], runs[machine][v]["done"][1],
                             runs[machine][v]["done"][3])
                         if runs[machine][v]["done"] else "truncated")
            for v in variants))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
