#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Report vgic_lock_bench runs of several kernels and check the goals.

    bench_report.py NAME=LOG [NAME=LOG...] OUTDIR [--no-plots]

Each LOG is a raw serial-console log (only "bench ..." lines are read) of
one kernel, NAME its variant. "baseline" and "patched" must be among them;
others (v1) are shown beside them. OUTDIR receives bench.md (tables and
goals), bench.csv (every number), NAME.txt (the inputs) and gnuplot
*.dat/*.gp/*.png.

Goals, on the patched run:
  ebusy   0 -EBUSY in every part A cell (every group, before and after the
          first run, 1 to 8 contending threads) and part D cell (vGIC
          creation), at the goal's count where it has one: >= 100000
          operations for the distributor and the counter offset after the
          first run, >= 1000 VMs per vGIC creation cell;
  busy    failing with -EBUSY while vCPU 0 is in KVM_RUN takes no longer
          than on baseline: median and p99 within 1.1x of baseline's;
  postrun the cost of one access after the first run is within 1.1x of
          baseline's at every vCPU count up to 512;
  prerun  the cost of one access before the first run at 512 vCPUs is
          within 1.1x of the 1-vCPU reference VM timed alongside.
Under TCG the guest clock is wall time, so the emulator's speed reads as
cost. A boot's own speed is its "bench null" (a lock-free VM ioctl), and a
comparison between two boots is made in units of each boot's null ioctl.
A goal that a shorter run cannot show (fewer operations than the goal
asks) is SHORT, not PASS. Exit 1 if a goal fails or an input is broken
(one "bench_report: error: ..." line for an unreadable one).
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys

LIMIT = 1.1
SCALE_AT = 512
GOAL_ACCESSES = 100000
GOAL_VMS = 1000
# The cells that the goal's count is about: after the first run
GOAL_GROUPS = ("v3-DIST", "v2-DIST", "COUNTER_OFFSET")
PREFIX = "bench "


class BenchError(Exception):
    pass


class Bench:
    def __init__(self, name, path):
        self.name, self.path = name, path
        self.kernel = None
        self.done = False
        self.null = None
        self.ebusy = {}    # (group, state, threads) -> (operations, ebusy)
        self.busy = {}     # group -> (samples, ebusy, median, p99)
        self.cost = {}     # (phase, group, nvcpus) -> (median, p90)
        self.ref = {}      # the same, for the 1-vCPU VM timed alongside
        self.errors = []
        try:
            with open(path, errors="replace") as f:
                lines = f.read().splitlines()
        except OSError as e:
            raise BenchError("%s: %s" % (path, e.strerror or e))
        for n, raw in enumerate(lines, 1):
            self._line(n, raw.strip("\r\n\x00 "))
        if self.kernel is None:
            self.errors.append("%s: no 'bench v2' header" % path)
        elif not self.done:
            self.errors.append("%s: truncated: no 'bench done' line" % path)

    def _line(self, n, line):
        # Inside the runner's KTAP, a test's output is prefixed "# ".
        if line.startswith("# "):
            line = line[2:]
        if not line.startswith(PREFIX):
            return
        p = line.split()
        try:
            if p[1] == "v2":
                self.kernel = next((f[7:] for f in p if f.startswith("kernel=")), "?")
            elif p[1] == "done":
                self.done = True
            elif p[1] == "null" and len(p) == 3:
                self.null = int(p[2])
            elif p[1] == "ebusy" and len(p) == 7:
                self.ebusy[(p[2], p[3], int(p[4]))] = (int(p[5]), int(p[6]))
            elif p[1] == "busy" and len(p) == 7:
                self.busy[p[2]] = tuple(int(x) for x in p[3:7])
            elif p[1] in ("cost", "ref") and len(p) == 7:
                table = self.cost if p[1] == "cost" else self.ref
                table[(p[2], p[3], int(p[4]))] = (int(p[5]), int(p[6]))
            else:
                self.errors.append("%s:%d: malformed: %r" % (self.path, n, line))
        except (ValueError, IndexError):
            self.errors.append("%s:%d: malformed: %r" % (self.path, n, line))

    def speed(self, ns):
        """@ns in units of this boot's null ioctl."""
        return ns / self.null if self.null else None


def order(key):
    g = key[0] if isinstance(key, tuple) else key
    return (g.startswith("v2"), g.startswith("CREATE"), g.startswith("COUNTER"), key)


def check_goals(runs):
    """[(verdict, text)] for every goal on patched; verdict PASS/FAIL/SHORT/SKIP."""
    b, p = runs["baseline"], runs["patched"]
    goals = []
    if not p.ebusy:
        goals.append(("FAIL", "ebusy: no part A/D data in the patched run"))
    for key in sorted(p.ebusy, key=order):
        ops, ebusy = p.ebusy[key]
        want = (GOAL_VMS if key[0].startswith("CREATE") else
                GOAL_ACCESSES if key[0] in GOAL_GROUPS and key[1] == "postrun" else 0)
        what = "%s %s, %d threads: %d -EBUSY in %d" % (key[0], key[1], key[2], ebusy, ops)
        if ebusy:
            goals.append(("FAIL", "ebusy " + what))
        elif ops < want:
            goals.append(("SHORT", "ebusy %s (goal: %d)" % (what, want)))
        else:
            goals.append(("PASS", "ebusy " + what))
    for g in sorted(p.busy, key=order):
        if g not in b.busy or not (b.null and p.null):
            goals.append(("SKIP", "busy %s: no baseline figure to compare with" % g))
            continue
        ps, pe, pmed, p99 = p.busy[g]
        bs, be, bmed, b99 = b.busy[g]
        rmed, r99 = p.speed(pmed) / b.speed(bmed), p.speed(p99) / b.speed(b99)
        ok = pe == ps and rmed <= LIMIT and r99 <= LIMIT
        goals.append(("PASS" if ok else "FAIL",
                      "busy %s: %d of %d -EBUSY, median %d ns, p99 %d ns: %.2fx and "
                      "%.2fx baseline's (limit %.1fx)" % (g, pe, ps, pmed, p99, rmed, r99,
                                                          LIMIT)))
    for (ph, g, n) in sorted(k for k in p.cost if k[0] == "postrun"):
        base = b.cost.get((ph, g, n))
        if not base or not (b.null and p.null):
            goals.append(("SKIP", "postrun %s at %d vCPUs: no baseline figure" % (g, n)))
            continue
        r = p.speed(p.cost[(ph, g, n)][0]) / b.speed(base[0])
        goals.append(("PASS" if r <= LIMIT else "FAIL",
                      "postrun %s at %d vCPUs: %.2fx baseline (limit %.1fx)"
                      % (g, n, r, LIMIT)))
    for (ph, g, n) in sorted(k for k in p.cost if k[0] == "prerun" and k[2] == SCALE_AT):
        big, one = p.cost[(ph, g, n)], p.ref.get((ph, g, n))
        if not one:
            goals.append(("FAIL", "prerun %s: no 1-vCPU reference at %d vCPUs" % (g, n)))
            continue
        r = big[0] / one[0]
        goals.append(("PASS" if r <= LIMIT else "FAIL",
                      "prerun %s: %d ns at %d vCPUs vs %d ns on the 1-vCPU reference "
                      "= %.2fx (limit %.1fx)" % (g, big[0], n, one[0], r, LIMIT)))
    if not any(k[0] == "prerun" for k in p.cost) and not any(
            k[0] == "prerun" for k in b.cost):
        goals.append(("SKIP", "prerun/postrun cost: no data in either run "
                      "(no vGICv3 on this machine)"))
    return goals


def fmt_ebusy(v):
    return "-" if v is None else "%d / %d" % (v[1], v[0])


def markdown(runs, goals, plots, command):
    names = list(runs)
    out = ["# vGIC and vCPU locking benchmark", "",
           "Command: `%s`" % command, "",
           "| variant | kernel | null ioctl (ns) |", "|---|---|---:|"]
    out += ["| %s | %s | %s |" % (n, r.kernel, r.null) for n, r in runs.items()]
    out += ["", "## Goals (patched)", ""]
    out += ["- **%s** %s" % g for g in goals]
    for r in runs.values():
        out += ["- WARNING %s: %s" % (r.name, e) for e in r.errors]
    keys = sorted(set().union(*(r.ebusy for r in runs.values())), key=order)
    out += ["", "## -EBUSY while vCPU threads loop KVM_GET_ONE_REG", "",
            "-EBUSY / operations; part D creates one VM per operation.", "",
            "| operation | state | threads | " + " | ".join(names) + " |",
            "|---|---|---:|" + "---:|" * len(names)]
    for k in keys:
        out.append("| %s | %s | %d | " % k + " | ".join(
            fmt_ebusy(r.ebusy.get(k)) for r in runs.values()) + " |")
    if "ebusy" in plots:
        out += ["", "![-EBUSY rate](%s)" % plots["ebusy"]]
    groups = sorted(set().union(*(r.busy for r in runs.values())), key=order)
    out += ["", "## Time to fail while vCPU 0 is in KVM_RUN", "",
            "median / p99 ns (-EBUSY count of samples).", "",
            "| operation | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for g in groups:
        cells = []
        for r in runs.values():
            v = r.busy.get(g)
            cells.append("-" if v is None else "%d / %d (%d of %d)" % (v[2], v[3], v[1], v[0]))
        out.append("| %s | %s |" % (g, " | ".join(cells)))
    for phase, title in (("prerun", "Cost of one access before the first run"),
                         ("postrun", "Cost of one access after the first run")):
        keys = sorted({k[1:] for r in runs.values() for k in r.cost if k[0] == phase},
                      key=order)
        if not keys:
            continue
        out += ["", "## %s" % title, "",
                "median ns (ratio to the 1-vCPU reference VM timed alongside).", "",
                "| group | vCPUs | " + " | ".join(names) + " |",
                "|---|---:|" + "---:|" * len(names)]
        for g, n in keys:
            cells = []
            for r in runs.values():
                v, ref = r.cost.get((phase, g, n)), r.ref.get((phase, g, n))
                cells.append("-" if v is None else
                             "%d (%.2fx)" % (v[0], v[0] / ref[0]) if ref else "%d" % v[0])
            out.append("| %s | %d | %s |" % (g, n, " | ".join(cells)))
        if phase in plots:
            out += ["", "![%s cost](%s)" % (phase, plots[phase])]
    out += ["", "Raw: %s; bench.csv; plots from *.gp via gnuplot." %
            ", ".join("%s.txt" % n for n in names), ""]
    return "\n".join(out)


def write_csv(path, runs):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["variant", "kind", "phase", "group", "x", "operations",
                    "ebusy", "median_ns", "p_ns"])
        for n, r in runs.items():
            w.writerow([n, "null", "", "", "", "", "", r.null, ""])
            for (g, st, t), (ops, e) in sorted(r.ebusy.items()):
                w.writerow([n, "ebusy", st, g, t, ops, e, "", ""])
            for g, (s, e, med, p99) in sorted(r.busy.items()):
                w.writerow([n, "busy", "postrun", g, "", s, e, med, p99])
            for kind, table in (("cost", r.cost), ("ref", r.ref)):
                for (ph, g, x), (med, p90) in sorted(table.items()):
                    w.writerow([n, kind, ph, g, x, "", "", med, p90])


def gnuplot_files(outdir, runs):
    """Write .dat and .gp files; return {plot: (script, png)}."""
    scripts, colors = {}, {}

    def style(variant, group):
        c = colors.setdefault(group, len(colors) + 1)
        dt = {"baseline": 2, "v1": 3}.get(variant, 1)
        return "lc %d dt %d pt %d" % (c, dt, 7 if variant == "patched" else 6)

    def plot(name, series, title, xlabel, ylabel, extra):
        if not series:
            return
        lines = ", \\\n     ".join("'%s' using %s with linespoints %s title '%s'"
                                   % s for s in series)
        with open(os.path.join(outdir, name + ".gp"), "w") as f:
            f.write("set terminal pngcairo size 900,560 noenhanced\n"
                    "set output '%s.png'\nset title '%s'\nset xlabel '%s'\n"
                    "set ylabel '%s'\n%sset grid\nset key outside right\n"
                    "plot %s\n" % (name, title, xlabel, ylabel, extra, lines))
        scripts[name] = (name + ".gp", name + ".png")

    for phase in ("prerun", "postrun"):
        series = []
        for v, r in runs.items():
            for g in sorted({k[1] for k in r.cost if k[0] == phase}):
                dat = "cost_%s_%s_%s.dat" % (phase, v, g)
                with open(os.path.join(outdir, dat), "w") as f:
                    f.write("# nvcpus median_ns p90_ns\n")
                    for (ph, gg, n), (med, p90) in sorted(r.cost.items(),
                                                          key=lambda kv: kv[0][2]):
                        if ph == phase and gg == g:
                            f.write("%d %d %d\n" % (n, med, p90))
                series.append((dat, "1:($2/1000)", style(v, g), "%s %s" % (v, g)))
        plot("cost_" + phase, series, "access cost %s (median)" % phase, "vCPUs",
             "us per access", "set logscale xy\n")
    series = []
    for v, r in runs.items():
        for g, st in sorted({k[:2] for k in r.ebusy}, key=order):
            dat = "ebusy_%s_%s_%s.dat" % (v, g, st)
            with open(os.path.join(outdir, dat), "w") as f:
                f.write("# threads rate\n")
                for (gg, s, t), (ops, e) in sorted(r.ebusy.items()):
                    if (gg, s) == (g, st):
                        f.write("%d %f\n" % (t, e / ops if ops else 0))
            series.append((dat, "1:2", style(v, g), "%s %s %s" % (v, g, st)))
    plot("ebusy", series, "-EBUSY rate under busy vCPU threads", "contending vCPU threads",
         "EBUSY / operations", "set logscale x 2\nset yrange [0:1]\n")
    return scripts


def run_gnuplot(outdir, scripts):
    done = {}
    for key, (gp, png) in scripts.items():
        try:
            subprocess.run(["gnuplot", gp], cwd=outdir, check=True,
                           capture_output=True, timeout=120)
            done[key] = png
        except (OSError, subprocess.SubprocessError) as e:
            print("bench_report: gnuplot %s failed: %s" % (gp, e), file=sys.stderr)
    return done


def make_report(inputs, outdir, plots=True, out=None, command=""):
    """inputs: [(variant, log)]; return True if every goal that ran is met."""
    out = out or sys.stdout
    runs = {n: Bench(n, path) for n, path in inputs}
    for need in ("baseline", "patched"):
        if need not in runs:
            raise BenchError("no %s run among %s" % (need, ", ".join(runs)))
    os.makedirs(outdir, exist_ok=True)
    for n, path in inputs:
        shutil.copyfile(path, os.path.join(outdir, "%s.txt" % n))
    write_csv(os.path.join(outdir, "bench.csv"), runs)
    scripts = gnuplot_files(outdir, runs)
    pngs = run_gnuplot(outdir, scripts) if plots else {}
    goals = check_goals(runs)
    with open(os.path.join(outdir, "bench.md"), "w") as f:
        f.write(markdown(runs, goals, pngs, command))
    ok = True
    for r in runs.values():
        for e in r.errors:
            out.write("%s %s input: %s\n" % ("FAIL" if r.name == "patched" else "WARNING",
                                             r.name, e))
            ok = ok and r.name != "patched"
    for verdict, text in goals:
        out.write("%s %s\n" % (verdict, text))
        ok = ok and verdict != "FAIL"
    out.write("bench_report: %s (%s)\n" % ("PASS" if ok else "FAIL",
                                          os.path.join(outdir, "bench.md")))
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", metavar="NAME=LOG")
    ap.add_argument("outdir")
    ap.add_argument("--no-plots", action="store_true", help="write .gp/.dat, skip gnuplot")
    ap.add_argument("--command", default="", help="the command that made the runs")
    a = ap.parse_args(argv)
    try:
        inputs = []
        for spec in a.inputs:
            name, sep, path = spec.partition("=")
            if not sep or not name or not path:
                raise BenchError("want NAME=LOG, got %r" % spec)
            inputs.append((name, path))
        ok = make_report(inputs, a.outdir, plots=not a.no_plots, command=a.command)
    except (BenchError, OSError) as e:
        print("bench_report: error: %s" % e, file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
