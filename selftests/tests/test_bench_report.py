#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests for selftests/tools/bench_report.py (run: python3 -m unittest)."""

import io
import os
import shutil
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import bench_report  # noqa: E402

GROUPS = (("v3-DIST-IIDR", "prerun"), ("v3-DIST", "prerun"), ("v3-DIST", "postrun"),
          ("COUNTER_OFFSET", "postrun"))
VCPUS = (1, 8, 64, 256, 512)


def bench_text(ebusy=0, ops=100000, vms=1000, null=1000, busy=(2000, 5000),
               cost=lambda ph, n: 20000, ref=lambda ph, n: 20000, done=True,
               noise=False):
    out = ["bench v2 kernel=test", "bench null %d" % null]
    if noise:
        out.insert(0, "[    1.234] random console line")
    for g, st in GROUPS:
        for t in (1, 2, 4, 8):
            e = ebusy(g, st, t) if callable(ebusy) else ebusy
            out.append("bench ebusy %s %s %d %d %d" % (g, st, t, ops, e))
    for t in (1, 2, 4, 8):
        out.append("bench ebusy CREATE_DEVICE-v3 prerun %d %d 0" % (t, vms))
    if busy:
        out.append("bench busy v3-DIST 2000 2000 %d %d" % busy)
    for phase in ("prerun", "postrun"):
        for n in VCPUS:
            for kind, f in (("cost", cost), ("ref", ref)):
                if f is None:
                    continue
                m = f(phase, n)
                out.append("bench %s %s v3-DIST %d %d %d" % (kind, phase, n, m, m * 11 // 10))
    if done:
        out.append("bench done")
    return ("\r\n" if noise else "\n").join(out) + "\n"


class ReportCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def report(self, **texts):
        inputs = []
        for name, text in texts.items():
            path = os.path.join(self.tmp, name + ".log")
            with open(path, "w") as f:
                f.write(text)
            inputs.append((name, path))
        out = io.StringIO()
        ok = bench_report.make_report(inputs, os.path.join(self.tmp, "out"),
                                      plots=False, out=out, command="make bench")
        return ok, out.getvalue()

    def goal(self, text, prefix):
        lines = [l for l in text.splitlines() if prefix in l]
        self.assertTrue(lines, "no %r in:\n%s" % (prefix, text))
        return lines[0]


class TestGoals(ReportCase):
    def test_good_patch_passes(self):
        ok, out = self.report(baseline=bench_text(ebusy=30), patched=bench_text())
        self.assertTrue(ok, out)
        self.assertIn("PASS ebusy v3-DIST postrun, 8 threads: 0 -EBUSY in 100000", out)
        self.assertIn("PASS ebusy CREATE_DEVICE-v3 prerun, 1 threads: 0 -EBUSY in 1000", out)
        self.assertIn("PASS busy v3-DIST", out)
        self.assertIn("PASS postrun v3-DIST at 512 vCPUs: 1.00x baseline", out)
        self.assertIn("PASS prerun v3-DIST: 20000 ns at 512 vCPUs", out)
        self.assertTrue(out.endswith("bench_report: PASS (%s/out/bench.md)\n" % self.tmp))

    def test_spurious_ebusy_fails(self):
        ok, out = self.report(baseline=bench_text(ebusy=30), patched=bench_text(
            ebusy=lambda g, st, t: 1 if (g, st, t) == ("v3-DIST", "postrun", 4) else 0))
        self.assertFalse(ok)
        self.assertIn("FAIL ebusy v3-DIST postrun, 4 threads: 1 -EBUSY in 100000", out)

    def test_short_run_is_not_a_pass(self):
        ok, out = self.report(baseline=bench_text(), patched=bench_text(ops=5000, vms=10))
        self.assertTrue(ok, out)
        self.assertIn("SHORT ebusy v3-DIST postrun, 1 threads: 0 -EBUSY in 5000 (goal: 100000)",
                      out)
        self.assertIn("SHORT ebusy CREATE_DEVICE-v3 prerun, 1 threads: 0 -EBUSY in 10 "
                      "(goal: 1000)", out)
        # Cells without a count goal pass on 0 -EBUSY at any count
        self.assertIn("PASS ebusy v3-DIST prerun, 1 threads: 0 -EBUSY in 5000\n", out)
        self.assertNotIn("PASS ebusy v3-DIST postrun", out)

    def test_slower_busy_fails(self):
        ok, out = self.report(baseline=bench_text(), patched=bench_text(busy=(2000, 6000)))
        self.assertFalse(ok)
        self.assertIn("FAIL busy v3-DIST: 2000 of 2000 -EBUSY, median 2000 ns, p99 6000 ns: "
                      "1.00x and 1.20x baseline's", out)

    def test_boots_compared_in_null_ioctl_units(self):
        # A patched boot twice as slow, on every operation: no regression
        slow = bench_text(null=2000, busy=(4000, 10000),
                          cost=lambda ph, n: 40000, ref=lambda ph, n: 40000)
        ok, out = self.report(baseline=bench_text(), patched=slow)
        self.assertTrue(ok, out)
        self.assertIn("busy v3-DIST: 2000 of 2000 -EBUSY, median 4000 ns, p99 10000 ns: "
                      "1.00x and 1.00x", out)
        self.assertIn("PASS postrun v3-DIST at 64 vCPUs: 1.00x baseline", out)

    def test_postrun_cost_limit(self):
        ok, out = self.report(baseline=bench_text(), patched=bench_text(
            cost=lambda ph, n: 23000 if (ph, n) == ("postrun", 256) else 20000))
        self.assertFalse(ok)
        self.assertIn("FAIL postrun v3-DIST at 256 vCPUs: 1.15x baseline (limit 1.1x)", out)
        self.assertIn("PASS postrun v3-DIST at 512 vCPUs", out)

    def test_prerun_scaling_against_the_reference_timed_alongside(self):
        ok, out = self.report(baseline=bench_text(), patched=bench_text(
            cost=lambda ph, n: 20000 + n * 10, ref=lambda ph, n: 20000))
        self.assertFalse(ok)
        self.assertIn("FAIL prerun v3-DIST: 25120 ns at 512 vCPUs vs 20000 ns on the "
                      "1-vCPU reference = 1.26x", out)

    def test_missing_reference_fails(self):
        ok, out = self.report(baseline=bench_text(), patched=bench_text(ref=None))
        self.assertFalse(ok)
        self.assertIn("FAIL prerun v3-DIST: no 1-vCPU reference at 512 vCPUs", out)

    def test_no_baseline_figure_is_skipped_not_passed(self):
        ok, out = self.report(baseline=bench_text(busy=None), patched=bench_text())
        self.assertIn("SKIP busy v3-DIST: no baseline figure to compare with", out)

    def test_truncated_patched_fails(self):
        ok, out = self.report(baseline=bench_text(), patched=bench_text(done=False))
        self.assertFalse(ok)
        self.assertIn("FAIL patched input: %s/patched.log: truncated" % self.tmp, out)

    def test_truncated_baseline_only_warns(self):
        ok, out = self.report(baseline=bench_text(done=False), patched=bench_text())
        self.assertTrue(ok, out)
        self.assertIn("WARNING baseline input:", out)

    def test_needs_baseline_and_patched(self):
        with self.assertRaises(bench_report.BenchError):
            self.report(baseline=bench_text(), v1=bench_text())


class TestOutputs(ReportCase):
    def test_files_and_third_variant(self):
        ok, out = self.report(baseline=bench_text(ebusy=7, noise=True), v1=bench_text(ebusy=3),
                              patched=bench_text())
        d = os.path.join(self.tmp, "out")
        for f in ("bench.md", "bench.csv", "baseline.txt", "v1.txt", "patched.txt",
                  "ebusy.gp", "cost_prerun.gp", "cost_postrun.gp"):
            self.assertTrue(os.path.exists(os.path.join(d, f)), f)
        with open(os.path.join(d, "bench.md")) as f:
            md = f.read()
        self.assertIn("Command: `make bench`", md)
        self.assertIn("| operation | state | threads | baseline | v1 | patched |", md)
        self.assertIn("| v3-DIST | postrun | 2 | 7 / 100000 | 3 / 100000 | 0 / 100000 |", md)
        with open(os.path.join(d, "bench.csv")) as f:
            self.assertIn("v1,ebusy,postrun,v3-DIST,2,100000,3,,", f.read())

    def test_main_errors_in_one_line(self):
        err = io.StringIO()
        sys.stderr, saved = err, sys.stderr
        try:
            rc = bench_report.main(["baseline", os.path.join(self.tmp, "x")])
        finally:
            sys.stderr = saved
        self.assertEqual(rc, 1)
        self.assertEqual(err.getvalue(), "bench_report: error: want NAME=LOG, got 'baseline'\n")


if __name__ == "__main__":
    unittest.main()
