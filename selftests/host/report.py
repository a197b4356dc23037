#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the boots' console logs into the A/B report.

Reads $B/runs/VARIANT-MACHINE/{console.log,status}, prints a table of
variant x machine, writes $B/results.json, and exits non-zero when the
patched variant is worse than baseline: a boot that did not finish, a test
that fails on patched but not on baseline, a failing test the series adds,
a series test that does not show the bug on baseline, or any splat.
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

VARIANTS = ("baseline", "patched")


def read_status(path):
    status = {}
    try:
        with open(path) as f:
            for line in f:
                key, _, val = line.rstrip("\n").partition("=")
                status[key] = val
    except FileNotFoundError:
        status["verdict"] = "not run"
    return status


def read_lines(path):
    try:
        with open(path) as f:
            return [l.rstrip("\n") for l in f if l.strip()]
    except FileNotFoundError:
        return []


def host_scan(logscan, console):
    """Splats anywhere in the console log, including after the runner."""
    out = subprocess.run([logscan, console], check=True, capture_output=True,
                         text=True).stdout
    hits = []
    for line in out.splitlines():
        kind, _, text = line.partition("\t")
        hits.append({"kind": kind, "line": text})
    return hits


def load_run(runs, variant, machine, logscan):
    d = os.path.join(runs, f"{variant}-{machine}")
    run = {"variant": variant, "machine": machine,
           "status": read_status(os.path.join(d, "status")),
           "retries": read_lines(os.path.join(d, "retries"))}
    console = os.path.join(d, "console.log")
    if not os.path.exists(console):
        run.update(tests=[], splats=[], debug_locks=None, runner_done=False)
        return run
    with open(console, errors="replace") as f:
        parsed = ktap.parse(f.read())
    run["tests"] = parsed["tests"]
    run["runner_done"] = parsed["runner_done"]
    run["bailout"] = parsed["bailout"]
    run["debug_locks"] = parsed["debug_locks"]
    run["splats"] = host_scan(logscan, console)
    run["console"] = console
    return run


def results_by_name(run):
    return {t["name"]: t["result"] for t in run["tests"]}


def summarize(run):
    counts = {"pass": 0, "fail": 0, "skip": 0, "timeout": 0}
    for t in run["tests"]:
        counts[t["result"]] = counts.get(t["result"], 0) + 1
    return counts


def read_list(path):
    try:
        with open(path) as f:
            return [l.split()[0] for l in f
                    if l.strip() and not l.startswith("#")]
    except FileNotFoundError:
        return []


def evidence(test):
    """The failing assertion (or the directive) from a test's own output."""
    log = test.get("log", [])
    for i, line in enumerate(log):
        if "Test Assertion Failure" in line:
            return " / ".join(l.strip() for l in log[i + 1:i + 3])
    return test.get("directive") or test["result"]


def judge(machines, runs, added, must_fail_on_baseline, known_tcg):
    """Return (checks, problems): one check per patched test and boot."""
    checks, problems = [], []
    for m in machines:
        base, pat = runs[("baseline", m)], runs[("patched", m)]
        bres, pres = results_by_name(base), results_by_name(pat)
        boot_ok = pat["status"].get("verdict") == "ok"
        checks.append((f"patched/{m}: boot and runner finished",
                       "pass" if boot_ok else "fail",
                       pat["status"].get("verdict")))
        if pat.get("bailout"):
            problems.append(f"patched/{m}: bail out: {pat['bailout']}")
        if not boot_ok:
            problems.append(f"patched/{m}: {pat['status'].get('verdict')}")
        splat_kinds = sorted({s["kind"] for s in pat["splats"]})
        checks.append((f"patched/{m}: no splats, debug_locks on",
                       "pass" if not splat_kinds and pat["debug_locks"] == 1
                       else "fail",
                       f"splats={len(pat['splats'])} debug_locks={pat['debug_locks']}"))
        if splat_kinds:
            problems.append(f"patched/{m}: splats: {', '.join(splat_kinds)}")
        if pat["debug_locks"] != 1:
            problems.append(f"patched/{m}: debug_locks is {pat['debug_locks']}")
        for name, res in pres.items():
            if name == "kernel_log_clean":
                continue
            before = bres.get(name)
            if res in ("pass", "skip"):
                checks.append((f"patched/{m}: {name}", res, f"baseline: {before}"))
                continue
            test = next(t for t in pat["tests"] if t["name"] == name)
            if name in added:
                checks.append((f"patched/{m}: {name}", "fail", "added by the series"))
                problems.append(f"patched/{m}: {name} ({res}) is added by the series")
            elif name in known_tcg:
                # Timing under TCG decides these, on either kernel.
                checks.append((f"patched/{m}: {name}", "skip",
                               f"TCG: {known_tcg[name]}; baseline: {before}; "
                               f"evidence: {evidence(test)}"))
            elif before in ("fail", "timeout"):
                # Shown as the "before"; it fails on baseline too.
                checks.append((f"patched/{m}: {name}", "skip",
                               f"fails on baseline too ({before}): {evidence(test)}"))
            else:
                checks.append((f"patched/{m}: {name}", "fail",
                               f"baseline: {before}"))
                problems.append(f"patched/{m}: {name} {res}, baseline {before}")
        for name in must_fail_on_baseline.get(m, []):
            before, after = bres.get(name), pres.get(name)
            ok = before in ("fail", "timeout") and after == "pass"
            checks.append((f"{m}: {name} fails on baseline, passes on patched",
                           "pass" if ok else "fail",
                           f"baseline: {before}, patched: {after}"))
            if not ok:
                problems.append(f"{m}: {name} should fail on baseline and pass "
                                f"on patched (baseline: {before}, patched: {after})")
    return checks, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", required=True, help="the build directory (B)")
    ap.add_argument("--machines", default="gicv3 gicv2")
    ap.add_argument("--logscan", required=True, help="host logscan binary")
    ap.add_argument("--added", help="file: tests the series adds")
    ap.add_argument("--must-fail-on-baseline",
                    help="file: MACHINE TEST lines that must show the bug")
    ap.add_argument("--known-tcg", help="file: TEST REASON, TCG-only failures")
    ap.add_argument("--json", help="where to write the results")
    args = ap.parse_args()

    machines = args.machines.split()
    runs_dir = os.path.join(args.build, "runs")
    runs = {(v, m): load_run(runs_dir, v, m, args.logscan)
            for v in VARIANTS for m in machines}
    added = set(read_list(args.added)) if args.added else set()
    must = {}
    if args.must_fail_on_baseline:
        with open(args.must_fail_on_baseline) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    m, t = line.split()[:2]
                    must.setdefault(m, []).append(t)

    print(f"{'variant':<9} {'machine':<7} {'pass':>5} {'fail':>5} {'skip':>5} "
          f"{'t/o':>4} {'splats':>6} {'lockdep':>7} {'secs':>5}  boot")
    for (v, m), run in runs.items():
        c = summarize(run)
        print(f"{v:<9} {m:<7} {c['pass']:>5} {c['fail']:>5} {c['skip']:>5} "
              f"{c['timeout']:>4} {len(run['splats']):>6} "
              f"{str(run['debug_locks']):>7} {run['status'].get('seconds', '-'):>5}  "
              f"{run['status'].get('verdict')}"
              + (f" (attempt {run['status']['attempts']})"
                 if run["status"].get("attempts", "1") != "1" else ""))
    print()
    names = sorted({t["name"] for r in runs.values() for t in r["tests"]})
    print(f"{'test':<34} " + " ".join(f"{v[:4] + '/' + m:>11}"
                                     for m in machines for v in VARIANTS))
    for n in names:
        row = []
        for m in machines:
            for v in VARIANTS:
                row.append(results_by_name(runs[(v, m)]).get(n, "-"))
        print(f"{n:<34} " + " ".join(f"{r:>11}" for r in row))
    for (v, m), run in runs.items():
        for s in run["splats"]:
            print(f"splat {v}/{m}: {s['kind']}: {s['line']}")
        # Boots repeated because they hit only known upstream splats.
        for r in run["retries"]:
            print(f"rebooted {v}/{m}: {r}")
    print()

    known_tcg = {}
    if args.known_tcg:
        with open(args.known_tcg) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    name, _, why = line.strip().partition("\t")
                    known_tcg[name] = why.strip()
    checks, problems = judge(machines, runs, added, must, known_tcg)
    for name, res, why in checks:
        print(f"{res.upper():<5} {name} ({why})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"runs": [dict(r, key=f"{r['variant']}-{r['machine']}")
                                for r in runs.values()],
                       "checks": [{"name": n, "result": r, "why": w}
                                  for n, r, w in checks],
                       "problems": problems}, f, indent=1)
    for p in problems:
        print(f"vcpulock: FAIL: {p}", file=sys.stderr)
    passed = sum(1 for c in checks if c[1] == "pass")
    failed = sum(1 for c in checks if c[1] == "fail")
    skipped = sum(1 for c in checks if c[1] == "skip")
    print(f"report: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if problems or failed else 0


if __name__ == "__main__":
    sys.exit(main())
