#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merge the VMM runs' result.json files into build/vmm.json.

Reads $B/vmm/VARIANT-MACHINE/result.json for every variant and machine
asked for; a run that left no result counts as not run. Patched must pass
on every machine; a baseline that fails is a finding, kept with its
evidence (the error, the failed step, the splat lines), not a failure.
Exits 1 when patched did not pass somewhere.
"""

import argparse
import json
import os
import sys


def load(vmm_dir, variant, machine):
    path = os.path.join(vmm_dir, f"{variant}-{machine}", "result.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {"variant": variant, "machine": machine, "ok": False,
                "error": f"not run (no {path})", "round_trips": 0,
                "resumed": False, "reset_ok": False, "splats": None,
                "debug_locks": None, "qemu_version": None,
                "heartbeat_before": [], "heartbeat_after": [],
                "save_s": [], "restore_s": []}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--vmm-dir", required=True, help="$B/vmm")
    ap.add_argument("--variants", default="patched baseline")
    ap.add_argument("--machines", required=True, help="the machines, as MACHINES")
    ap.add_argument("--json", required=True)
    args = ap.parse_args()

    runs, problems, findings = [], [], []
    for v in args.variants.split():
        for m in args.machines.split():
            r = load(args.vmm_dir, v, m)
            runs.append(r)
            if r.get("ok"):
                continue
            if v == "patched":
                problems.append(f"patched/{m}: {r.get('error')}")
            else:
                findings.append({"run": f"{v}/{m}", "error": r.get("error"),
                                 "failed_step": r.get("failed_step"),
                                 "splat_lines": r.get("splat_lines", []),
                                 "console": os.path.join(args.vmm_dir, f"{v}-{m}",
                                                         "console.log")})
    versions = sorted({r["qemu_version"] for r in runs if r.get("qemu_version")})
    out = {"qemu_version": versions[0] if len(versions) == 1 else versions,
           "runs": runs, "problems": problems, "findings": findings,
           "ok": not problems}
    try:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
    except OSError as e:
        print(f"merge: error: {args.json}: {e.strerror}", file=sys.stderr)
        return 2
    for p in problems:
        print(f"vmm: problem: {p}", file=sys.stderr)
    for fd in findings:
        print(f"vmm: finding: {fd['run']}: {fd['error']}", file=sys.stderr)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
