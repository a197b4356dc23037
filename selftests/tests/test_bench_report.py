#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests for selftests/tools/bench_report.py (run: python3 -m unittest)."""

import io
import os
import shutil
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import bench_report  # noqa: E402

GROUPS = ("v3-DIST-IIDR-preinit", "v3-DIST", "ITS_REGS")
VCPUS = (1, 8, 64, 256, 512)


def bench_text(ebusy=0, cost=lambda n: 20000, ref=lambda n: 20000, done=True,
               vcpus=VCPUS, noise=False):
    out = ["bench v1 kernel=test"]
    if noise:
        out.insert(0, "[    1.234] random console line")
    for g in GROUPS:
        for t in (1, 2, 4, 8):
            e = ebusy(g, t) if callable(ebusy) else ebusy
            out.append("bench ebusy %s %d 100000 %d %.6f" % (g, t, e, e / 100000))
    for phase in ("prerun", "postrun"):
        for g in ("v3-DIST", "v3-REDIST"):
            for n in vcpus:
                for kind, f in (("cost", cost), ("ref", ref)):
                    if f is None:
                        continue
                    m = f(n)
                    out.append("bench %s %s %s %d %d %d" % (kind, phase, g, n, m, m * 11 // 10))
    if done:
        out.append("bench done")
    return ("\r\n" if noise else "\n").join(out) + "\n"


class ReportCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def report(self, base, patched, plots=False):
        b = os.path.join(self.tmp, "b.log")
        p = os.path.join(self.tmp, "p.log")
        with open(b, "w") as f:
            f.write(base)
        with open(p, "w") as f:
            f.write(patched)
        out = io.StringIO()
        outdir = os.path.join(self.tmp, "out")
        ok = bench_report.make_report(b, p, outdir, plots=plots, out=out)
        return ok, out.getvalue(), outdir


BASELINE = bench_text(ebusy=lambda g, t: 1000 * t, cost=lambda n: 20000 * n)


class TestGoals(ReportCase):
    def test_good_patch_passes(self):
        ok, out, outdir = self.report(BASELINE, bench_text(noise=True))
        self.assertTrue(ok, out)
        self.assertNotIn("FAIL", out)
        self.assertEqual(out.count("PASS ebusy"), len(GROUPS))
        self.assertEqual(out.count("PASS scale"), 2)

    def test_spurious_ebusy_fails(self):
        patched = bench_text(ebusy=lambda g, t: 1 if (g, t) == ("ITS_REGS", 8) else 0)
        ok, out, _ = self.report(BASELINE, patched)
        self.assertFalse(ok)
        self.assertIn("FAIL ebusy ITS_REGS", out)
        self.assertIn("PASS ebusy v3-DIST:", out)

    def test_scaling_limit(self):
        ref = lambda n: 10000
        ok, out, _ = self.report(BASELINE, bench_text(cost=lambda n: 12000 if n == 512 else 10000,
                                                      ref=ref))
        self.assertTrue(ok, out)
        self.assertIn("12000 ns at 512 vCPUs vs 10000 ns on the 1-vCPU reference = 1.20x", out)
        ok, out, _ = self.report(BASELINE, bench_text(cost=lambda n: 12100 if n == 512 else 10000,
                                                      ref=ref))
        self.assertFalse(ok)
        self.assertIn("FAIL scale v3-DIST", out)

    def test_scaling_compares_with_the_reference_timed_alongside(self):
        # The emulator slowed down by 1.5x late in the run: the 512-vCPU
        # cell and its reference both show it, the 1-vCPU row does not.
        slow = lambda n: 15000 if n == 512 else 10000
        ok, out, _ = self.report(BASELINE, bench_text(cost=slow, ref=slow))
        self.assertTrue(ok, out)
        # A real O(nr_vcpus) cost does not show on the reference.
        ok, out, _ = self.report(BASELINE, bench_text(cost=slow, ref=lambda n: 10000))
        self.assertFalse(ok)
        self.assertIn("= 1.50x (limit 1.2x)", out)

    def test_missing_512_fails(self):
        ok, out, _ = self.report(BASELINE, bench_text(vcpus=(1, 8, 64)))
        self.assertFalse(ok)
        self.assertIn("missing 512-vCPU cost", out)

    def test_missing_reference_fails(self):
        ok, out, _ = self.report(BASELINE, bench_text(ref=None))
        self.assertFalse(ok)
        self.assertIn("missing 512-vCPU cost or its 1-vCPU reference", out)

    def test_truncated_patched_fails(self):
        ok, out, _ = self.report(BASELINE, bench_text(done=False))
        self.assertFalse(ok)
        self.assertIn("truncated", out)

    def test_truncated_baseline_only_warns(self):
        ok, out, _ = self.report(bench_text(done=False), bench_text())
        self.assertTrue(ok, out)
        self.assertIn("WARNING baseline", out)

    def test_baseline_failures_do_not_count(self):
        ok, out, _ = self.report(BASELINE, bench_text())
        self.assertTrue(ok)

    def test_no_cost_data_anywhere_is_skipped(self):
        # a GICv2-only host: part A only, parts B/C skipped by the tool
        base = "\n".join(l for l in BASELINE.splitlines() if " cost " not in l) + "\n"
        pat = "\n".join(l for l in bench_text().splitlines() if " cost " not in l) + "\n"
        ok, out, _ = self.report(base, pat)
        self.assertTrue(ok, out)
        self.assertIn("SKIP scale", out)
        # ...but patched missing what the baseline has is a failure
        ok, out, _ = self.report(BASELINE, pat)
        self.assertFalse(ok)
        self.assertIn("FAIL scale", out)

    def test_empty_patched_fails(self):
        ok, out, _ = self.report(BASELINE, "bench v1 kernel=x\nbench done\n")
        self.assertFalse(ok)


class TestOutputs(ReportCase):
    def test_files(self):
        ok, out, outdir = self.report(BASELINE, bench_text())
        for f in ("bench.md", "baseline.txt", "patched.txt", "bench.csv",
                  "cost_prerun.gp", "cost_postrun.gp", "ebusy.gp"):
            self.assertTrue(os.path.exists(os.path.join(outdir, f)), f)
        with open(os.path.join(outdir, "bench.md")) as f:
            md = f.read()
        self.assertIn("| v3-DIST | 512 | 10240000 / 11264000 (512.00x) | 20000 / 22000 (1.00x) |", md)
        self.assertIn("| ITS_REGS | 8 | 8000/100000 (0.0800) | 0/100000 (0.0000) |", md)
        with open(os.path.join(outdir, "bench.csv")) as f:
            rows = f.read().splitlines()
        # header + (3 groups x 4 threads + 2 kinds x 2 phases x 2 groups
        # x 5 vCPU counts) x 2 kernels
        self.assertEqual(len(rows), 1 + 2 * (12 + 40))

    def test_main_exit_codes(self):
        b = os.path.join(self.tmp, "b")
        p = os.path.join(self.tmp, "p")
        with open(b, "w") as f:
            f.write(BASELINE)
        with open(p, "w") as f:
            f.write(bench_text())
        with redirect_stdout(io.StringIO()):
            self.assertEqual(bench_report.main([b, p, os.path.join(self.tmp, "o"),
                                                "--no-plots"]), 0)
            self.assertEqual(bench_report.main([b, b, os.path.join(self.tmp, "o2"),
                                                "--no-plots"]), 1)

    @unittest.skipUnless(shutil.which("gnuplot"), "gnuplot not installed")
    def test_plots(self):
        ok, out, outdir = self.report(BASELINE, bench_text(), plots=True)
        for f in ("cost_prerun.png", "cost_postrun.png", "ebusy.png"):
            self.assertGreater(os.path.getsize(os.path.join(outdir, f)), 1000, f)


if __name__ == "__main__":
    unittest.main()
