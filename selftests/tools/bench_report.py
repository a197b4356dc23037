#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Report a vgic_lock_bench baseline/patched pair and check the goals.

    bench_report.py BASELINE.txt PATCHED.txt OUTDIR [--no-plots]

Inputs may be raw serial-console logs: only "bench ..." lines are read.
OUTDIR receives:
  bench.md                tables, baseline and patched side by side, goals
  baseline.txt patched.txt  copies of the inputs
  bench.csv               every parsed number
  *.dat *.gp *.png        gnuplot data, scripts and plots (pngcairo)

Goals, checked on the patched run only (the baseline is just shown):
  ebusy  every part A group (all are accesses before the first KVM_RUN)
         saw 0 spurious -EBUSY at every thread count;
  scale  for every "cost prerun" group, median ns at 512 vCPUs
         <= 1.2 x median ns on the 1-vCPU reference VM that the tool
         timed in alternating bursts with it ("bench ref" line), so that
         a drift of the emulator's speed during the run cancels out.
One PASS/FAIL line per goal and group; exit 1 if any fails, or if the
patched input is truncated (no "bench done").
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys

SCALE_LIMIT = 1.2
SCALE_AT = 512


class Bench:
    def __init__(self, path):
        self.path = path
        self.kernel = None
        self.done = False
        self.ebusy = {}    # (group, threads) -> (accesses, ebusy, rate)
        self.cost = {}     # (phase, group, nvcpus) -> (median, p90)
        self.ref = {}      # the same, for the 1-vCPU VM timed alongside
        self.errors = []
        with open(path, "r", errors="replace") as f:
            for n, raw in enumerate(f.read().splitlines(), 1):
                self._line(n, raw.strip("\r\n\x00 "))
        if self.kernel is None:
            self.errors.append("%s: no 'bench v1' header" % path)
        if not self.done:
            self.errors.append("%s: truncated: no 'bench done' line" % path)

    def _line(self, n, line):
        # Inside the runner's KTAP, a test's output is prefixed "# ".
        if line.startswith("# "):
            line = line[2:]
        if line.startswith("bench v1 "):
            m = re.search(r"kernel=(\S+)", line)
            self.kernel = m.group(1) if m else "?"
            return
        if line == "bench done":
            self.done = True
            return
        p = line.split()
        try:
            if line.startswith("bench ebusy ") and len(p) == 7:
                self.ebusy[(p[2], int(p[3]))] = (int(p[4]), int(p[5]), float(p[6]))
            elif line.startswith(("bench cost ", "bench ref ")) and len(p) == 7:
                table = self.cost if p[1] == "cost" else self.ref
                table[(p[2], p[3], int(p[4]))] = (int(p[5]), int(p[6]))
            elif line.startswith("bench "):
                self.errors.append("%s:%d: malformed: %r" % (self.path, n, line))
        except ValueError:
            self.errors.append("%s:%d: malformed: %r" % (self.path, n, line))

    def ebusy_groups(self):
        return sorted({g for g, _ in self.ebusy}, key=group_order)

    def cost_groups(self, phase):
        return sorted({g for ph, g, _ in self.cost if ph == phase}, key=group_order)


def group_order(g):
    return (not g.startswith("v3"), g.startswith("ITS"), g)


def check_goals(patched, baseline=None):
    """Return [(ok, text)] for every goal/group on the patched run.

    ok is None for a goal neither run has data for (e.g. part B/C on a
    GICv2-only host): reported as SKIP, not a failure.
    """
    goals = []
    groups = patched.ebusy_groups()
    if not groups:
        goals.append((False, "ebusy: no part A data in patched run"))
    for g in groups:
        rows = sorted((t, v) for (gg, t), v in patched.ebusy.items() if gg == g)
        bad = [(t, v[1], v[0]) for t, v in rows if v[1] != 0]
        total = sum(v[0] for _, v in rows)
        if bad:
            goals.append((False, "ebusy %s: spurious EBUSY before the first run: %s" %
                          (g, ", ".join("%d threads %d/%d" % b for b in bad))))
        else:
            goals.append((True, "ebusy %s: 0 spurious EBUSY in %d accesses (threads %s)" %
                          (g, total, ",".join(str(t) for t, _ in rows))))
    groups = patched.cost_groups("prerun")
    if not groups:
        if baseline is not None and not baseline.cost_groups("prerun"):
            goals.append((None, "scale: no pre-run cost data in either run "
                          "(no v3 vGIC, e.g. a GICv2 host)"))
        else:
            goals.append((False, "scale: no pre-run cost data in patched run"))
    for g in groups:
        big = patched.cost.get(("prerun", g, SCALE_AT))
        one = patched.ref.get(("prerun", g, SCALE_AT))
        if not big or not one:
            goals.append((False, "scale %s: missing %d-vCPU cost or its 1-vCPU reference"
                          % (g, SCALE_AT)))
            continue
        ratio = big[0] / one[0] if one[0] else float("inf")
        goals.append((ratio <= SCALE_LIMIT,
                      "scale %s: median %d ns at %d vCPUs vs %d ns on the 1-vCPU "
                      "reference = %.2fx (limit %.1fx)" %
                      (g, big[0], SCALE_AT, one[0], ratio, SCALE_LIMIT)))
    return goals


def verdict(ok):
    return "SKIP" if ok is None else "PASS" if ok else "FAIL"


def fmt_ebusy(v):
    return "-" if v is None else "%d/%d (%.4f)" % (v[1], v[0], v[2])


def fmt_cost(v, base=None):
    if v is None:
        return "-"
    s = "%d / %d" % v
    if base:
        s += " (%.2fx)" % (v[0] / base[0])
    return s


def markdown(b, p, goals, plots):
    out = ["# vGIC device-attribute locking benchmark", "",
           "| | kernel | input |", "|---|---|---|",
           "| baseline | %s | %s |" % (b.kernel, os.path.basename(b.path)),
           "| patched | %s | %s |" % (p.kernel, os.path.basename(p.path)), ""]
    out += ["## Goals (patched)", ""]
    out += ["- **%s** %s" % (verdict(ok), t) for ok, t in goals]
    out += [""]
    for src in (b, p):
        for e in src.errors:
            out.append("- WARNING: %s" % e)
    out += ["## Part A: spurious -EBUSY before the first run", "",
            "vCPU threads loop KVM_GET_ONE_REG while the main thread gets "
            "one register; cells are EBUSY/accesses (rate).", "",
            "| group | threads | baseline | patched |", "|---|---:|---:|---:|"]
    groups = sorted(set(b.ebusy_groups()) | set(p.ebusy_groups()), key=group_order)
    for g in groups:
        ts = sorted({t for gg, t in list(b.ebusy) + list(p.ebusy) if gg == g})
        for t in ts:
            out.append("| %s | %d | %s | %s |" % (g, t, fmt_ebusy(b.ebusy.get((g, t))),
                                                  fmt_ebusy(p.ebusy.get((g, t)))))
    if "ebusy" in plots:
        out += ["", "![spurious EBUSY rate](%s)" % plots["ebusy"]]
    for phase, title in (("prerun", "Part B: cost of one access before the first run"),
                         ("postrun", "Part C: cost of one access after the first run")):
        out += ["", "## %s" % title, "",
                "median / p90 ns per access (ratio of the median to that of the "
                "1-vCPU reference VM timed alongside).", "",
                "| group | vCPUs | baseline | patched |", "|---|---:|---:|---:|"]
        groups = sorted(set(b.cost_groups(phase)) | set(p.cost_groups(phase)),
                        key=group_order)
        for g in groups:
            ns = sorted({n for ph, gg, n in list(b.cost) + list(p.cost)
                         if ph == phase and gg == g})
            for n in ns:
                out.append("| %s | %d | %s | %s |" % (
                    g, n,
                    fmt_cost(b.cost.get((phase, g, n)), b.ref.get((phase, g, n))),
                    fmt_cost(p.cost.get((phase, g, n)), p.ref.get((phase, g, n)))))
        if phase in plots:
            out += ["", "![%s cost](%s)" % (phase, plots[phase])]
    out += ["", "Raw: baseline.txt, patched.txt, bench.csv; plots from *.gp via gnuplot.", ""]
    return "\n".join(out)


def write_csv(path, b, p):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kernel", "kind", "phase", "group", "x", "accesses",
                    "ebusy", "rate", "median_ns", "p90_ns"])
        for name, src in (("baseline", b), ("patched", p)):
            for (g, t), (a, e, r) in sorted(src.ebusy.items()):
                w.writerow([name, "ebusy", "prerun", g, t, a, e, r, "", ""])
            for kind, table in (("cost", src.cost), ("ref", src.ref)):
                for (ph, g, n), (med, p90) in sorted(table.items()):
                    w.writerow([name, kind, ph, g, n, "", "", "", med, p90])


def gnuplot_files(outdir, b, p):
    """Write .dat and .gp files; return {plot: (script, png)}."""
    scripts = {}
    colors = {}

    def style(kernel, group):
        # one colour per group; baseline dashed with open points
        c = colors.setdefault(group, len(colors) + 1)
        return "lc %d dt %d pt %d" % (c, 2 if kernel == "baseline" else 1,
                                      6 if kernel == "baseline" else 7)

    # cost vs vCPUs, one line per (kernel, group)
    for phase in ("prerun", "postrun"):
        series = []
        for name, src in (("baseline", b), ("patched", p)):
            for g in src.cost_groups(phase):
                dat = "cost_%s_%s_%s.dat" % (phase, name, g)
                with open(os.path.join(outdir, dat), "w") as f:
                    f.write("# nvcpus median_ns p90_ns\n")
                    for (ph, gg, n), (med, p90) in sorted(src.cost.items(),
                                                          key=lambda kv: kv[0][2]):
                        if ph == phase and gg == g:
                            f.write("%d %d %d\n" % (n, med, p90))
                series.append((dat, "%s %s" % (name, g), style(name, g)))
        if not series:
            continue
        png = "cost_%s.png" % phase
        gp = "cost_%s.gp" % phase
        plots = ", \\\n     ".join(
            "'%s' using 1:($2/1000) with linespoints %s title '%s'" % (d, dt, t)
            for d, t, dt in series)
        with open(os.path.join(outdir, gp), "w") as f:
            f.write("set terminal pngcairo size 900,560 noenhanced\n"
                    "set output '%s'\n"
                    "set title 'vGIC attr access cost %s (median)'\n"
                    "set logscale xy\nset xlabel 'vCPUs'\nset ylabel 'us per access'\n"
                    "set key top left\nset grid\n"
                    "plot %s\n" % (png, phase, plots))
        scripts[phase] = (gp, png)
    # EBUSY rate vs threads, one line per (kernel, group)
    series = []
    for name, src in (("baseline", b), ("patched", p)):
        for g in src.ebusy_groups():
            dat = "ebusy_%s_%s.dat" % (name, g)
            with open(os.path.join(outdir, dat), "w") as f:
                f.write("# threads rate ebusy accesses\n")
                for (gg, t), (a, e, r) in sorted(src.ebusy.items()):
                    if gg == g:
                        f.write("%d %f %d %d\n" % (t, r, e, a))
            series.append((dat, "%s %s" % (name, g), style(name, g)))
    if series:
        plots = ", \\\n     ".join(
            "'%s' using 1:2 with linespoints %s title '%s'" % (d, dt, t)
            for d, t, dt in series)
        with open(os.path.join(outdir, "ebusy.gp"), "w") as f:
            f.write("set terminal pngcairo size 900,560 noenhanced\n"
                    "set output 'ebusy.png'\n"
                    "set title 'spurious -EBUSY before the first run'\n"
                    "set logscale x 2\nset xlabel 'contending vCPU threads'\n"
                    "set ylabel 'EBUSY / accesses'\nset yrange [0:1]\n"
                    "set key outside right\nset grid\n"
                    "plot %s\n" % plots)
        scripts["ebusy"] = ("ebusy.gp", "ebusy.png")
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


def make_report(base_path, patched_path, outdir, plots=True, out=None):
    out = out or sys.stdout
    b, p = Bench(base_path), Bench(patched_path)
    os.makedirs(outdir, exist_ok=True)
    shutil.copyfile(base_path, os.path.join(outdir, "baseline.txt"))
    shutil.copyfile(patched_path, os.path.join(outdir, "patched.txt"))
    write_csv(os.path.join(outdir, "bench.csv"), b, p)
    scripts = gnuplot_files(outdir, b, p)
    pngs = run_gnuplot(outdir, scripts) if plots else {}
    goals = check_goals(p, b)
    with open(os.path.join(outdir, "bench.md"), "w") as f:
        f.write(markdown(b, p, goals, pngs))
    for e in b.errors:
        out.write("WARNING baseline: %s\n" % e)
    ok = True
    for e in p.errors:
        out.write("FAIL patched input: %s\n" % e)
        ok = False
    for good, text in goals:
        out.write("%s %s\n" % (verdict(good), text))
        ok = ok and good is not False
    out.write("bench_report: %s (%s)\n" % ("PASS" if ok else "FAIL",
                                          os.path.join(outdir, "bench.md")))
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("baseline")
    ap.add_argument("patched")
    ap.add_argument("outdir")
    ap.add_argument("--no-plots", action="store_true", help="write .gp/.dat, skip gnuplot")
    a = ap.parse_args(argv)
    try:
        ok = make_report(a.baseline, a.patched, a.outdir, plots=not a.no_plots)
    except OSError as e:
        print("bench_report: error: %s" % e, file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
