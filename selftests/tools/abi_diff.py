#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two vgic_abi_sweep outputs (baseline vs patched kernel).

    abi_diff.py BASELINE.txt PATCHED.txt [--json OUT] [--no-goal]

Both inputs may be raw serial-console logs: only lines starting with
"abi " / "abi-sweep " are read. Every range line is expanded to cells
(DEV GROUP STATE OP CONT OFFSET -> set of errnos) and cells are compared
one by one. DEV is v2, v3, its, or vm for the VM-wide operations the
series converts (vGIC creation, KVM_ARM_SET_COUNTER_OFFSET). Let x be the
cell's uncontended ("none") result, which must be the same single errno in
both files. The only allowed differences are:

  ebusy-dropped         CONT=loop (vCPU threads loop KVM_GET_ONE_REG), any
                        STATE: baseline's set is {x, EBUSY} or {EBUSY}
                        (x != EBUSY) and patched's is exactly {x}. No
                        operation may fail because a vCPU thread is in an
                        ioctl other than KVM_RUN; labelled prerun-... or
                        postrun-... by STATE.
  postrun-target-only   CONT=run1 (vCPUs 1..n-1 parked in KVM_RUN, vCPU 0
                        idle), STATE=ran, per-vCPU group (v3
                        CPU_SYSREGS*, v2 CPU*) aimed at vCPU 0:
                        baseline {EBUSY}, patched {x}. After the first run
                        only the target vCPU is locked.

Everything else must be identical: all CONT=none cells (including bad user
pointers, unknown groups, offset+1/+2, non-existent vCPUs), all CONT=run
cells (every vCPU in KVM_RUN: both kernels must fail fast with EBUSY), and
cells present in only one file.

Goal check (fatal unless --no-goal): a patched CONT=loop cell whose set
holds EBUSY although x != EBUSY is a spurious -EBUSY, even when the
baseline happens to show the same set.

Exit status: 0 pass, 1 unintended difference / goal failure / truncated
or malformed input, 2 usage error.
"""

import argparse
import json
import re
import sys
from collections import Counter, defaultdict

MAX_RANGE = 1 << 22
PRERUN = ("preinit", "init")
LINE_RE = re.compile(
    r"^abi (\S+) (\S+) (\S+) (has|get|set) (\S+) "
    r"0x([0-9a-fA-F]+)(?:-0x([0-9a-fA-F]+)/(\d+))? (\S+)$")


class SweepError(Exception):
    pass


class Sweep:
    def __init__(self, path):
        self.path = path
        self.kernel = None
        self.cells = {}
        self.done_cells = None
        self.unavailable = {}
        self.errors = []
        self._parse()

    def _parse(self):
        try:
            with open(self.path, "r", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError as e:
            raise SweepError("%s: %s" % (self.path, e))
        for n, raw in enumerate(lines, 1):
            line = raw.strip("\r\n\x00 ")
            # Inside the runner's KTAP, a test's output is prefixed "# ".
            if line.startswith("# "):
                line = line[2:]
            if line.startswith("abi-sweep v1 "):
                m = re.search(r"kernel=(\S+)", line)
                self.kernel = m.group(1) if m else "?"
                continue
            if line.startswith("abi-sweep done "):
                m = re.search(r"cells=(\d+)", line)
                if m:
                    self.done_cells = int(m.group(1))
                continue
            if line.startswith("abi-sweep device "):
                p = line.split()
                if len(p) >= 5:
                    self.unavailable[p[2]] = p[4]
                continue
            if not line.startswith("abi "):
                continue
            m = LINE_RE.match(line)
            if not m:
                self.errors.append("%s:%d: malformed: %r" % (self.path, n, line))
                continue
            dev, grp, state, op, cont, a, b, stride, res = m.groups()
            start = int(a, 16)
            offs = [start]
            if b is not None:
                end, stride = int(b, 16), int(stride)
                if stride <= 0 or end < start or (end - start) % stride or \
                        (end - start) // stride >= MAX_RANGE:
                    self.errors.append("%s:%d: bad range: %r" % (self.path, n, line))
                    continue
                offs = range(start, end + 1, stride)
            rs = frozenset(res.split("|"))
            for o in offs:
                key = (dev, grp, state, op, cont, o)
                if key in self.cells:
                    self.errors.append("%s:%d: duplicate cell %s" %
                                       (self.path, n, fmt_key(key)))
                self.cells[key] = rs
        if self.kernel is None:
            self.errors.append("%s: no 'abi-sweep v1' header" % self.path)
        if self.done_cells is None:
            self.errors.append("%s: truncated: no 'abi-sweep done' line" % self.path)
        elif self.done_cells != len(self.cells):
            self.errors.append("%s: 'done' says %d cells, read %d" %
                               (self.path, self.done_cells, len(self.cells)))


def fmt_key(k):
    return "%s %s %s %s %s 0x%x" % k


def fmt_set(s):
    if s is None:
        return "-"
    return "|".join(sorted(s, key=lambda e: (e != "0", e)))


def family(group):
    """'REDIST.vcpu0+1' -> ('REDIST', 'vcpu0')."""
    base = re.split(r"[+!]", group, maxsplit=1)[0]
    fam, _, target = base.partition(".")
    return fam, target


def per_vcpu(dev, fam):
    # Only a vCPU's own CPU interface is out of the other vCPUs' reach; any
    # vCPU can read any redistributor, so REDIST still locks them all.
    return (dev == "v3" and fam == "CPU_SYSREGS") or \
           (dev == "v2" and fam == "CPU")


def uncontended(cells, key):
    return cells.get(key[:4] + ("none",) + key[5:])


def classify(key, b, p, bcells, pcells):
    """Return (verdict, label); verdict in identical/intended/unintended."""
    dev, grp, state, op, cont, off = key
    if b == p:
        return "identical", None
    if cont == "none" or cont == "run":
        return "unintended", "must be identical"
    xb, xp = uncontended(bcells, key), uncontended(pcells, key)
    if xb is None or xb != xp or len(xb) != 1:
        return "unintended", "uncontended results differ or missing"
    x = next(iter(xb))
    busy = "EBUSY"
    fam, target = family(grp)
    if cont == "loop":
        if x != busy and p == {x} and busy in b and b <= {x, busy}:
            return "intended", ("postrun" if state == "ran" else "prerun") + \
                "-ebusy-dropped"
        return "unintended", "contended cell"
    if cont == "run1" and state == "ran":
        if per_vcpu(dev, fam) and target in ("vcpu0", "cpu0") and \
                x != busy and b == {busy} and p == {x}:
            return "intended", "postrun-target-only"
        return "unintended", "run1 cell"
    return "unintended", "unknown contention %s" % cont


def goal_violation(key, p, pcells):
    """Patched contended cell showing a spurious EBUSY."""
    if key[4] != "loop" or p is None:
        return False
    x = uncontended(pcells, key)
    return x is not None and "EBUSY" not in x and "EBUSY" in p


def compare(base, patched, goal=True):
    res = {
        "baseline": {"path": base.path, "kernel": base.kernel,
                     "cells": len(base.cells), "errors": base.errors},
        "patched": {"path": patched.path, "kernel": patched.kernel,
                    "cells": len(patched.cells), "errors": patched.errors},
    }
    counts = Counter()
    intended = defaultdict(Counter)
    unintended = []
    goals = []
    keys = sorted(set(base.cells) | set(patched.cells))
    for k in keys:
        b, p = base.cells.get(k), patched.cells.get(k)
        if goal and goal_violation(k, p, patched.cells):
            goals.append(k)
        if b is None or p is None:
            counts["unintended"] += 1
            unintended.append((k, b, p, "missing in %s" %
                               ("baseline" if b is None else "patched")))
            continue
        counts["compared"] += 1
        verdict, label = classify(k, b, p, base.cells, patched.cells)
        counts[verdict] += 1
        if verdict == "intended":
            intended[label]["%s/%s" % (k[0], family(k[1])[0])] += 1
        elif verdict == "unintended":
            unintended.append((k, b, p, label))
    failed = bool(base.errors or patched.errors or unintended or goals)
    res.update({
        "compared": counts["compared"],
        "identical": counts["identical"],
        "intended": {l: dict(c) for l, c in intended.items()},
        "intended_total": counts["intended"],
        "unintended_total": len(unintended),
        "unintended": [{"cell": fmt_key(k), "baseline": fmt_set(b),
                        "patched": fmt_set(p), "why": why}
                       for k, b, p, why in unintended],
        "goal_violations": [fmt_key(k) for k in goals],
        "result": "FAIL" if failed else "PASS",
    })
    return res


def report(res, out=None, limit=60):
    w = (out or sys.stdout).write
    for side in ("baseline", "patched"):
        s = res[side]
        w("%-8s %s kernel=%s cells=%d\n" % (side, s["path"], s["kernel"], s["cells"]))
        for e in s["errors"][:limit]:
            w("  ERROR %s\n" % e)
    w("cells compared: %d\n" % res["compared"])
    w("identical:      %d\n" % res["identical"])
    w("intended differences: %d\n" % res["intended_total"])
    for label, per in sorted(res["intended"].items()):
        for grp, n in sorted(per.items()):
            w("  %-22s %-18s %d\n" % (label, grp, n))
    w("unintended differences: %d\n" % res["unintended_total"])
    for u in res["unintended"][:limit]:
        w("  %s: baseline=%s patched=%s (%s)\n" %
          (u["cell"], u["baseline"], u["patched"], u["why"]))
    if res["unintended_total"] > limit:
        w("  ... %d more (see --json)\n" % (res["unintended_total"] - limit))
    if res["goal_violations"]:
        w("patched spurious EBUSY under contention: %d\n" %
          len(res["goal_violations"]))
        for c in res["goal_violations"][:limit]:
            w("  %s\n" % c)
    w("RESULT: %s\n" % res["result"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("baseline")
    ap.add_argument("patched")
    ap.add_argument("--json", metavar="OUT", help="write the full result as JSON")
    ap.add_argument("--no-goal", action="store_true",
                    help="do not fail on patched spurious EBUSY under contention")
    ap.add_argument("--limit", type=int, default=60, help="cells listed per section")
    a = ap.parse_args(argv)
    try:
        base, patched = Sweep(a.baseline), Sweep(a.patched)
        res = compare(base, patched, goal=not a.no_goal)
        report(res, limit=a.limit)
        if a.json:
            with open(a.json, "w") as f:
                json.dump(res, f, indent=1, sort_keys=True)
    except (SweepError, OSError) as e:
        print("abi_diff: error: %s" % e, file=sys.stderr)
        return 1
    return 1 if res["result"] == "FAIL" else 0


if __name__ == "__main__":
    sys.exit(main())
