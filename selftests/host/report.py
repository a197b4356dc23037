#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The A/B report: every check of a job, one verdict.

    report.py --build B --logscan LOGSCAN [--machines "gicv3 gicv2"]
              --added FILE --must-fail-on-baseline FILE --known-tcg FILE

Reads $B/runs/VARIANT-MACHINE/{console.log,status}. Every variant
with a run directory is shown in the tables; the verdict compares patched
against baseline only. Per machine, the checks are: both boots ran their
plan to the end, no splat and debug_locks 1 on patched, every patched test
against its baseline result, the series' tests that must fail on baseline,
and the ABI differential (selftests/tools). The benchmark's goals are speed
goals, checked by `make bench` (selftests/host/bench.sh), not here.

Writes $B/report.txt (what it prints), $B/results.json (the runs and every
check: name, result pass/fail/skip, why) and $B/abi-MACHINE.json. The last line is "report: N passed, N failed, N
skipped"; the exit status is 1 when a check failed, 2 on an error (one
"report: error: ..." line).
"""

import argparse
import collections
import io
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import abi_diff  # noqa: E402
import ktap  # noqa: E402

AB = ("baseline", "patched")  # the verdict compares these two, only
FAILED = ("fail", "timeout")

Check = collections.namedtuple("Check", "name result why")


class ReportError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise ReportError(message)  # one line, not usage plus error


# Inputs

def read_status(path):
    status = {}
    try:
        with open(path) as f:
            for line in f:
                key, _, val = line.rstrip("\n").partition("=")
                status[key] = val
    except FileNotFoundError:
        pass
    return status


def read_lines(path):
    try:
        with open(path) as f:
            return [l.rstrip("\n") for l in f if l.strip()]
    except FileNotFoundError:
        return []


def list_lines(path):
    """[(lineno, line)] of a list file, blank lines and comments dropped."""
    with open(path) as f:
        return [(n, l.strip()) for n, l in enumerate(f, 1)
                if l.strip() and not l.startswith("#")]


def pairs(path, want):
    """[(FIRST, REST)] of a list of FIRST REST lines, WANT says which."""
    rows = []
    for n, line in list_lines(path):
        fields = line.split(None, 1)
        if len(fields) != 2:
            raise ReportError(f"{path}:{n}: want {want}, not {line!r}")
        rows.append(tuple(fields))
    return rows


def read_names(path):
    """The first word of every line: added.list, an initramfs VARIANT.tests."""
    return [line.split()[0] for _, line in list_lines(path)]


def read_must_fail(path):
    """{machine: [test]} from MACHINE TEST lines."""
    must = {}
    for machine, rest in pairs(path, "MACHINE TEST"):
        must.setdefault(machine, []).append(rest.split()[0])
    return must


def read_known_tcg(path):
    """{test: reason} from TEST REASON lines."""
    return dict(pairs(path, "TEST REASON"))


def logscan_hits(logscan, console):
    """Splats anywhere in the console log, including after the runner."""
    res = subprocess.run([logscan, console], capture_output=True, text=True)
    if res.returncode:
        raise ReportError(res.stderr.strip() or
                          f"{logscan} {console}: exit status {res.returncode}")
    return [dict(zip(("kind", "line"), l.split("\t", 1)))
            for l in res.stdout.splitlines()]


def load_run(run_dir, variant, machine, scan):
    """One boot, as far as it got; SCAN(console log) gives its splats."""
    run = {"variant": variant, "machine": machine, "dir": run_dir,
           "exists": os.path.isdir(run_dir),
           "status": read_status(os.path.join(run_dir, "status")),
           "plan": None, "tests": [], "splats": [], "debug_locks": None,
           "runner_done": False, "bailout": None, "console": None}
    console = os.path.join(run_dir, "console.log")
    if not os.path.exists(console):
        return run
    with open(console, errors="replace") as f:
        parsed = ktap.parse(f.read())
    for key in ("plan", "tests", "runner_done", "bailout", "debug_locks"):
        run[key] = parsed[key]
    run["splats"] = scan(console)
    run["console"] = console
    return run


def find_variants(runs_dir, machines):
    """baseline, patched, then every other VARIANT with a run directory."""
    try:
        names = os.listdir(runs_dir)
    except OSError as e:
        raise ReportError(f"{runs_dir}: {e.strerror} (nothing booted yet? "
                          "run: make ab)")
    found = {n[:-len(m) - 1] for n in names for m in machines
             if n.endswith("-" + m) and len(n) > len(m) + 1}
    return list(AB) + sorted(found - set(AB))


def load_runs(build, machines, scan):
    """({(variant, machine): run}, variants); A/B runs even when absent."""
    runs_dir = os.path.join(build, "runs")
    variants = find_variants(runs_dir, machines)
    runs = {}
    for v in variants:
        for m in machines:
            d = os.path.join(runs_dir, f"{v}-{m}")
            if v in AB or os.path.isdir(d):
                runs[(v, m)] = load_run(d, v, m, scan)
    return runs, variants


# The A/B judgement

def results_by_name(run):
    return {t["name"]: t["result"] for t in run["tests"]}


def where(run):
    return f"{run['variant']}/{run['machine']}"


def boot_problem(run):
    """Why a boot did not run its whole plan, or None when it did."""
    if not run["exists"]:
        return f"not run: no {run['dir']}"
    verdict = run["status"].get("verdict")
    if verdict is None:
        return (f"no status file in {run['dir']}: the boot is still running "
                "or was cut short")
    if verdict != "ok":
        return verdict
    if run["bailout"]:
        return f"bail out: {run['bailout']}"
    if not run["runner_done"]:
        return "no '# vcpulock: runner done' in the console"
    if run["plan"] != len(run["tests"]):
        return f"{len(run['tests'])} results for a plan of {run['plan']}"
    return None


def boot_check(run):
    name = f"{where(run)}: boot and runner finished"
    problem = boot_problem(run)
    if problem:
        return Check(name, "fail", problem)
    return Check(name, "pass", f"ok, {len(run['tests'])} results")


def splat_check(run):
    kinds = collections.Counter(s["kind"] for s in run["splats"])
    why = ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items()))
    return Check(f"{where(run)}: no splats", "fail" if kinds else "pass",
                 f"splats: {why}" if kinds else "none in the console")


def debug_locks_check(run):
    value = run["debug_locks"]
    if value == 1:
        why = "debug_locks 1"
    elif value == 0:
        why = ("debug_locks 0: lockdep turned itself off, later locking bugs "
               "went unseen")
    elif value is None:
        why = ("no debug_locks from the runner: whether lockdep stayed on is "
               "unknown")
    else:
        why = f"debug_locks {value}: not 1, whether lockdep stayed on is unknown"
    return Check(f"{where(run)}: debug_locks on",
                 "pass" if value == 1 else "fail", why)


def evidence(test):
    """The failing assertion, the skip reason or the directive, from a
    test's own output."""
    log = test.get("log", [])
    for i, line in enumerate(log):
        if "Test Assertion Failure" in line:
            return " / ".join(l.strip() for l in log[i + 1:i + 3])
        if test["result"] == "skip" and "# SKIP" in line:
            return line.strip()
    return test.get("directive") or test["result"]


def test_verdict(test, before, added, known_tcg):
    """(result, why) of one patched test, given its baseline result."""
    name, res = test["name"], test["result"]
    before = before or "not run"
    if res == "pass":
        return "pass", f"baseline: {before}"
    if res == "skip":
        # Coverage lost is a regression too: the series may have broken
        # what the test needs.
        if before == "pass":
            return "fail", f"baseline: pass; patched skips: {evidence(test)}"
        return "skip", f"baseline: {before}"
    if name in added:
        return "fail", f"added by the series, must pass: {evidence(test)}"
    # Only a failure baseline shares can be excused, TCG's included.
    if before in FAILED and name in known_tcg:
        return "skip", (f"TCG: {known_tcg[name]}; baseline: {before}; "
                        f"evidence: {evidence(test)}")
    if before in FAILED:
        return "skip", f"fails on baseline too ({before}): {evidence(test)}"
    tcg = ("; on the known-TCG list, but that needs it to fail on baseline too"
           if name in known_tcg else "")
    return "fail", f"baseline: {before}{tcg}; patched: {evidence(test)}"


def test_checks(base, pat, added, known_tcg):
    bres = results_by_name(base)
    checks = []
    for test in pat["tests"]:
        if test["name"] == "kernel_log_clean":
            continue  # the splat and debug_locks checks judge the log
        res, why = test_verdict(test, bres.get(test["name"]), added, known_tcg)
        checks.append(Check(f"{where(pat)}: {test['name']}", res, why))
    return checks


def must_fail_check(machine, name, base, pat):
    before = results_by_name(base).get(name, "not run")
    after = results_by_name(pat).get(name, "not run")
    ok = before in FAILED and after == "pass"
    return Check(f"{machine}: {name} fails on baseline, passes on patched",
                 "pass" if ok else "fail",
                 f"baseline: {before}, patched: {after}")


def judge(machines, runs, added, must_fail_on_baseline, known_tcg):
    """The A/B checks, per machine: patched against baseline."""
    checks = []
    for m in machines:
        base, pat = runs[("baseline", m)], runs[("patched", m)]
        checks += [boot_check(base), boot_check(pat)]
        if pat["console"]:
            checks += [splat_check(pat), debug_locks_check(pat)]
        checks += test_checks(base, pat, added, known_tcg)
        checks += [must_fail_check(m, name, base, pat)
                   for name in must_fail_on_baseline.get(m, [])]
    return checks


# The tools' checks: the ABI differential, baseline vs patched

MACHINES_DIR = os.path.join(HERE, "..", "machines")


def machine_arch(m):
    """The ARCH= of machine record M (selftests/machines/M)."""
    path = os.path.join(MACHINES_DIR, m)
    try:
        with open(path) as f:
            arch = next((l.strip()[5:] for l in f if l.startswith("ARCH=")), None)
    except OSError as e:
        raise ReportError(f"machine {m}: {path}: {e.strerror}")
    if not arch:
        raise ReportError(f"machine {m}: {path} has no ARCH=")
    return arch


def arch_dir(arch):
    """As selftests/host/lib.sh arch_dir: where another ARCH's outputs go."""
    return "" if arch == "arm64" else arch


def tool_missing(build, tool, run):
    """Why RUN has no result for TOOL: not planned, or not reached."""
    if not run["exists"]:
        return f"no {where(run)} run ({run['dir']})"
    problem = boot_problem(run)
    if problem is None:
        # A boot that ran to the end ran its whole plan.
        return f"{tool} is not in the plan {where(run)} ran"
    plan = os.path.join(build, "initramfs", arch_dir(machine_arch(run["machine"])),
                        f"{run['variant']}.tests")
    if not os.path.exists(plan):
        return (f"{where(run)} did not finish ({problem}), and without {plan} "
                f"it is unknown whether {tool} was planned")
    if tool in read_names(plan):
        return (f"{tool} is in the plan ({plan}), but {where(run)} did not "
                f"finish it: {problem}")
    return f"{tool} is not in the plan ({plan})"


def abi_check(build, m, base, pat, out):
    res = abi_diff.compare(abi_diff.Sweep(base["console"]),
                           abi_diff.Sweep(pat["console"]))
    path = os.path.join(build, f"abi-{m}.json")
    with open(path, "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    abi_diff.report(res, out)
    errors = res["baseline"]["errors"] + res["patched"]["errors"]
    why = (f"{res['compared']} cells compared, {res['intended_total']} intended "
           f"and {res['unintended_total']} unintended differences, "
           f"{len(res['goal_violations'])} spurious -EBUSY under contention; {path}")
    if errors:
        why = f"{len(errors)} input errors, first: {errors[0]}; {why}"
    return res["result"].lower(), why


def tool_checks(build, machines, runs):
    """([Check], [line]): the tools' checks and their own reports."""
    # The benchmark's goals are speed goals: `make bench` checks them.
    tools = (("tools/vgic_abi_sweep", "ABI differential, baseline vs patched",
              abi_check),)
    checks, details = [], []
    # The vGIC tools run on the arm64 machines only
    for m in [m for m in machines if machine_arch(m) == "arm64"]:
        pair = [runs[(v, m)] for v in AB]
        for tool, what, check in tools:
            name = f"{m}: {what}"
            why = next((tool_missing(build, tool, r) for r in pair
                        if tool not in results_by_name(r)), None)
            if why:
                checks.append(Check(name, "skip", why))
                continue
            out = io.StringIO()
            checks.append(Check(name, *check(build, m, *pair, out)))
            # Indented, so that only the checks start a line with PASS/FAIL.
            details += [f"{name}:"] + [f"    {l}" for l in
                                       out.getvalue().splitlines()] + [""]
    return checks, details


# The text

def run_table(runs):
    lines = [f"{'variant':<9} {'machine':<9} {'pass':>5} {'fail':>5} "
             f"{'skip':>5} {'t/o':>4} {'splats':>6} {'lockdep':>7} "
             f"{'secs':>5}  boot"]
    for (v, m), run in runs.items():
        c = collections.Counter(t["result"] for t in run["tests"])
        lines.append(
            f"{v:<9} {m:<9} {c['pass']:>5} {c['fail']:>5} {c['skip']:>5} "
            f"{c['timeout']:>4} {len(run['splats']):>6} "
            f"{str(run['debug_locks']):>7} "
            f"{run['status'].get('seconds', '-'):>5}  "
            f"{boot_problem(run) or 'ok'}")
    return lines


def test_matrix(machines, variants, runs):
    cols = [(v, m) for m in machines for v in variants if (v, m) in runs]
    results = {k: results_by_name(runs[k]) for k in cols}
    names = sorted({n for r in results.values() for n in r})
    lines = [f"{'test':<34} " + " ".join(f"{v[:4] + '/' + m:>14}"
                                         for v, m in cols)]
    for n in names:
        lines.append(f"{n:<34} " + " ".join(f"{results[k].get(n, '-'):>14}"
                                            for k in cols))
    return lines


def events(runs):
    lines = []
    for run in runs.values():
        lines += [f"splat {where(run)}: {s['kind']}: {s['line']}"
                  for s in run["splats"]]
    return lines


# The other suites of `make test` and the VMM test, for the final report

SUMMARY = re.compile(r"(?:^|: )(\d+) passed, (\d+) failed(?:, (\d+) skipped)?")
NOT_OK = re.compile(r"^not ok \d+ (.*)")


def read_suites(logs_dir):
    """{suite: {passed, failed, skipped, failures}} from test.sh's logs."""
    suites = {}
    for name in sorted(os.listdir(logs_dir)):
        if not name.endswith(".log"):
            continue
        with open(os.path.join(logs_dir, name), errors="replace") as f:
            lines = f.read().splitlines()
        summary = [m for m in map(SUMMARY.search, lines) if m]
        suite = {"failures": [m.group(1) for m in map(NOT_OK.match, lines) if m]}
        if summary:
            p, f_, sk = summary[-1].groups()
            suite.update(passed=int(p), failed=int(f_), skipped=int(sk or 0))
        else:
            suite.update(passed=0, failed=1, skipped=0,
                         failures=suite["failures"] or ["no summary line"])
        suites[name[:-4]] = suite
    return suites


def suites_table(suites):
    lines = [f"{'suite':<18} {'pass':>5} {'fail':>5} {'skip':>5}  first failure"]
    for name, st in suites.items():
        lines.append(f"{name:<18} {st['passed']:>5} {st['failed']:>5} "
                     f"{st['skipped']:>5}  {(st['failures'] or ['-'])[0]}")
    return lines


def vmm_table(path):
    """(lines, document) of build/vmm.json, the VMM test's results."""
    if not os.path.exists(path):
        return [f"VMM test: no {path} (make vmm was not run)"], None
    sys.path.insert(0, os.path.join(HERE, "..", "vmm"))
    import table  # noqa: E402 -- selftests/vmm/table.py
    with open(path) as f:
        doc = json.load(f)
    return table.render(doc).splitlines(), doc


def make_report(args):
    """(text, results) of the whole job."""
    machines = args.machines.split()
    added = set(read_names(args.added))
    must = read_must_fail(args.must_fail_on_baseline)
    known_tcg = read_known_tcg(args.known_tcg)
    runs, variants = load_runs(args.build, machines,
                               lambda console: logscan_hits(args.logscan, console))
    checks = judge(machines, runs, added, must, known_tcg)
    more, details = tool_checks(args.build, machines, runs)
    checks += more
    count = collections.Counter(c.result for c in checks)
    lines = (run_table(runs) + [""] + test_matrix(machines, variants, runs)
             + events(runs) + [""] + details
             + [f"{c.result.upper():<5} {c.name} ({c.why})" for c in checks]
             + [f"report: {count['pass']} passed, {count['fail']} failed, "
                f"{count['skip']} skipped"])
    results = {"variants": variants, "machines": machines,
               "runs": [dict(r, key=f"{v}-{m}") for (v, m), r in runs.items()],
               "checks": [c._asdict() for c in checks],
               "summary": {"passed": count["pass"], "failed": count["fail"],
                           "skipped": count["skip"]}}
    if args.vmm:
        more, results["vmm"] = vmm_table(args.vmm)
        lines = ["VMM test (make vmm): Debian's arm64 QEMU in the lockdep guest"] + more + [""] + lines
    if args.suites:
        results["suites"] = read_suites(args.suites)
        lines = ["Suites of make test (build/test-logs)"] + suites_table(results["suites"]) + [""] + lines
    return "\n".join(lines) + "\n", results


def parse_args(argv):
    ap = Parser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True, help="the build directory (B)")
    ap.add_argument("--machines", required=True, help="the machines, as MACHINES")
    ap.add_argument("--logscan", required=True, help="host logscan binary")
    ap.add_argument("--added", required=True, help="file: tests the series adds")
    ap.add_argument("--must-fail-on-baseline", required=True,
                    help="file: MACHINE TEST lines that must show the bug")
    ap.add_argument("--known-tcg", required=True,
                    help="file: TEST REASON, TCG-only failures")
    ap.add_argument("--suites", help="test.sh's log directory: every suite's results too")
    ap.add_argument("--vmm", help="build/vmm.json: the VMM test's table and results too")
    return ap.parse_args(argv)


def error(message):
    print(f"report: error: {message}", file=sys.stderr)
    return 2


def main(argv=None):
    try:
        args = parse_args(argv)
        # A report from an earlier job must not pass for this one's.
        for name in ("report.txt", "results.json"):
            if os.path.exists(os.path.join(args.build, name)):
                os.remove(os.path.join(args.build, name))
        text, results = make_report(args)
        with open(os.path.join(args.build, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        with open(os.path.join(args.build, "report.txt"), "w") as f:
            f.write(text)
    except (ReportError, abi_diff.SweepError) as e:
        return error(str(e))
    except OSError as e:
        return error(f"{e.filename}: {e.strerror}" if e.filename else str(e))
    sys.stdout.write(text)
    return 1 if results["summary"]["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
