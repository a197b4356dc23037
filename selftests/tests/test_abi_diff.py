#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests for selftests/tools/abi_diff.py (run: python3 -m unittest)."""

import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import abi_diff  # noqa: E402


def sweep_text(cells, done=True, header=True, cells_in_done=None, noise=False):
    """cells: {(dev, grp, state, op, cont, off): 'ERR|ERR'} -> sweep output."""
    out = []
    if noise:
        out.append("[    0.000000] Booting Linux on physical CPU 0x0")
    if header:
        out.append("abi-sweep v1 kernel=test")
    for (dev, grp, state, op, cont, off), res in sorted(cells.items()):
        out.append("abi %s %s %s %s %s 0x%x %s" % (dev, grp, state, op, cont, off, res))
    if noise:
        out.append("# v3 family: 1.0s")
    if done:
        n = len(cells) if cells_in_done is None else cells_in_done
        out.append("abi-sweep summary cells=%d lines=%d secs=0.1" % (n, len(cells)))
        out.append("abi-sweep done cells=%d" % n)
    return "\r\n".join(out) + "\n" if noise else "\n".join(out) + "\n"


def base_cells():
    """A small but representative baseline sweep."""
    c = {}
    for state in ("preinit", "init", "ran"):
        for grp in ("DIST", "REDIST.vcpu0", "CPU_SYSREGS.vcpu0",
                    "CPU_SYSREGS.vcpu1", "DIST!addr1"):
            for op in ("get", "set"):
                x = "EFAULT" if "!" in grp else "0"
                c[("v3", grp, state, op, "none", 0x8)] = x
                c[("v3", grp, state, op, "loop", 0x8)] = "EBUSY|" + x
                if state == "ran":
                    c[("v3", grp, state, op, "run", 0x8)] = "EBUSY"
                    c[("v3", grp, state, op, "run1", 0x8)] = "EBUSY"
        c[("v3", "DIST", state, "has", "none", 0x8)] = "0"
        c[("v3", "DIST", state, "get", "none", 0x10)] = "EBUSY" if state == "preinit" else "0"
        c[("v3", "DIST", state, "get", "loop", 0x10)] = "EBUSY" if state == "preinit" else "0|EBUSY"
    return c


def patched_cells():
    """What a correct patch produces for base_cells()."""
    c = dict(base_cells())
    for k in list(c):
        dev, grp, state, op, cont, off = k
        x = c[(dev, grp, state, op, "none", off)]
        if cont == "loop":
            c[k] = x
        if cont == "run1" and grp.startswith("CPU_SYSREGS.vcpu0"):
            c[k] = x
    return c


class DiffCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        p = os.path.join(self.tmp.name, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def run_diff(self, base, patched, *args, base_kw=None, patched_kw=None):
        b = self.write("b.txt", sweep_text(base, **(base_kw or {})))
        p = self.write("p.txt", sweep_text(patched, **(patched_kw or {})))
        out = io.StringIO()
        with redirect_stdout(out):
            rc = abi_diff.main([b, p, "--json", os.path.join(self.tmp.name, "o.json")] +
                               list(args))
        with open(os.path.join(self.tmp.name, "o.json")) as f:
            res = json.load(f)
        return rc, res, out.getvalue()


class TestAbiDiff(DiffCase):
    def test_identical_passes(self):
        rc, res, out = self.run_diff(base_cells(), base_cells(), "--no-goal")
        self.assertEqual(rc, 0, out)
        self.assertEqual(res["identical"], len(base_cells()))
        self.assertIn("RESULT: PASS", out)

    def test_intended_diff_passes(self):
        rc, res, out = self.run_diff(base_cells(), patched_cells())
        self.assertEqual(rc, 0, out)
        self.assertEqual(res["unintended_total"], 0)
        self.assertGreater(res["intended"]["prerun-ebusy-dropped"]["v3/DIST"], 0)
        self.assertGreater(res["intended"]["postrun-ebusy-dropped"]["v3/DIST"], 0)
        self.assertEqual(res["intended"]["postrun-target-only"]["v3/CPU_SYSREGS"], 2)

    def test_prerun_baseline_all_ebusy_to_x_is_intended(self):
        b, p = base_cells(), patched_cells()
        b[("v3", "DIST", "init", "get", "loop", 0x8)] = "EBUSY"
        rc, res, out = self.run_diff(b, p)
        self.assertEqual(rc, 0, out)

    def test_legit_ebusy_stays(self):
        # preinit DIST 0x10 is EBUSY uncontended (vgic not initialised)
        p = patched_cells()
        self.assertEqual(p[("v3", "DIST", "preinit", "get", "loop", 0x10)], "EBUSY")
        p[("v3", "DIST", "preinit", "get", "loop", 0x10)] = "0"
        rc, res, out = self.run_diff(base_cells(), p)
        self.assertEqual(rc, 1)
        self.assertIn("v3 DIST preinit get loop 0x10", out)

    def test_uncontended_difference_fails(self):
        p = patched_cells()
        p[("v3", "DIST", "init", "get", "none", 0x8)] = "EINVAL"
        rc, res, out = self.run_diff(base_cells(), p)
        self.assertEqual(rc, 1)
        self.assertIn("unintended differences:", out)
        self.assertIn("RESULT: FAIL", out)

    def test_bad_pointer_difference_fails(self):
        p = patched_cells()
        p[("v3", "DIST!addr1", "ran", "set", "none", 0x8)] = "0"
        rc, res, out = self.run_diff(base_cells(), p)
        self.assertEqual(rc, 1)
        self.assertTrue(any("DIST!addr1" in u["cell"] for u in res["unintended"]))

    def test_prerun_other_errno_fails(self):
        p = patched_cells()
        p[("v3", "REDIST.vcpu0", "init", "get", "loop", 0x8)] = "ENXIO"
        rc, res, out = self.run_diff(base_cells(), p)
        self.assertEqual(rc, 1)

    def test_run_mode_must_be_identical(self):
        p = patched_cells()
        p[("v3", "DIST", "ran", "get", "run", 0x8)] = "0"
        rc, res, out = self.run_diff(base_cells(), p)
        self.assertEqual(rc, 1)

    def test_run1_only_target_vcpu0_of_percpu_group(self):
        # Any vCPU can read any redistributor: REDIST locks every vCPU.
        for grp in ("DIST", "REDIST.vcpu0", "CPU_SYSREGS.vcpu1"):
            p = patched_cells()
            p[("v3", grp, "ran", "get", "run1", 0x8)] = "0"
            rc, res, out = self.run_diff(base_cells(), p)
            self.assertEqual(rc, 1, grp)

    def test_postrun_loop_ebusy_is_spurious(self):
        # After the first run a thread in KVM_GET_ONE_REG is waited for too
        p = patched_cells()
        p[("v3", "DIST", "ran", "get", "loop", 0x8)] = "0|EBUSY"
        rc, res, out = self.run_diff(base_cells(), p)
        self.assertEqual(rc, 1)
        self.assertEqual(res["goal_violations"], ["v3 DIST ran get loop 0x8"])

    def test_postrun_loop_new_errno_fails(self):
        p = patched_cells()
        p[("v3", "DIST", "ran", "get", "loop", 0x8)] = "0|EINVAL"
        rc, res, out = self.run_diff(base_cells(), p)
        self.assertEqual(rc, 1)

    def test_goal_spurious_prerun_ebusy_in_patched(self):
        # identical to the baseline, yet the patch's promise is broken
        rc, res, out = self.run_diff(base_cells(), base_cells())
        self.assertEqual(rc, 1)
        self.assertTrue(res["goal_violations"])
        rc, res, out = self.run_diff(base_cells(), base_cells(), "--no-goal")
        self.assertEqual(rc, 0)

    def test_missing_cell_fails(self):
        p = patched_cells()
        del p[("v3", "DIST", "init", "has", "none", 0x8)]
        rc, res, out = self.run_diff(base_cells(), p)
        self.assertEqual(rc, 1)
        self.assertIn("missing in patched", out)


class TestTruncation(DiffCase):
    def test_truncated_patched_fails(self):
        rc, res, out = self.run_diff(base_cells(), patched_cells(),
                                     patched_kw={"done": False})
        self.assertEqual(rc, 1)
        self.assertIn("truncated", out)

    def test_truncated_baseline_fails(self):
        rc, res, out = self.run_diff(base_cells(), patched_cells(),
                                     base_kw={"done": False})
        self.assertEqual(rc, 1)

    def test_cell_count_mismatch_fails(self):
        rc, res, out = self.run_diff(base_cells(), patched_cells(),
                                     patched_kw={"cells_in_done": 5})
        self.assertEqual(rc, 1)

    def test_missing_header_fails(self):
        rc, res, out = self.run_diff(base_cells(), patched_cells(),
                                     patched_kw={"header": False})
        self.assertEqual(rc, 1)


class TestParsing(DiffCase):
    def test_ranges_and_console_noise(self):
        text = ("junk\r\nabi-sweep v1 kernel=x\r\n"
                "abi v3 DIST init get none 0x0-0xc/4 0|EBUSY\r\n"
                "abi v3 DIST init get none 0x10 ENXIO\r\n"
                "[  1.0] kvm: noise\r\n"
                "abi-sweep done cells=5\r\n")
        s = abi_diff.Sweep(self.write("s.txt", text))
        self.assertEqual(s.errors, [])
        self.assertEqual(len(s.cells), 5)
        self.assertEqual(s.cells[("v3", "DIST", "init", "get", "none", 0xc)],
                         frozenset({"0", "EBUSY"}))

    def test_malformed_and_duplicate_lines(self):
        text = ("abi-sweep v1 kernel=x\n"
                "abi v3 DIST init get none 0x0 0\n"
                "abi v3 DIST init get none 0x0 0\n"
                "abi v3 DIST init get none zz 0\n"
                "abi v3 DIST init get none 0x10-0x4/4 0\n"
                "abi-sweep done cells=1\n")
        s = abi_diff.Sweep(self.write("s.txt", text))
        self.assertEqual(len(s.errors), 3)

    def test_family(self):
        self.assertEqual(abi_diff.family("REDIST.vcpu0+1"), ("REDIST", "vcpu0"))
        self.assertEqual(abi_diff.family("CPU_SYSREGS.vcpu0!kaddr"),
                         ("CPU_SYSREGS", "vcpu0"))
        self.assertEqual(abi_diff.family("DIST"), ("DIST", ""))
        self.assertTrue(abi_diff.per_vcpu("v2", "CPU"))
        self.assertFalse(abi_diff.per_vcpu("v2", "DIST"))
        self.assertFalse(abi_diff.per_vcpu("v3", "LEVEL_INFO"))


if __name__ == "__main__":
    unittest.main()
