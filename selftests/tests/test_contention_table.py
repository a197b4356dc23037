# SPDX-License-Identifier: GPL-2.0
"""Tests for selftests/host/contention_table.py on made-up consoles."""

import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "host"))
import contention_table  # noqa: E402

CONSOLES = {
    "baseline-gicv3": [
        "# selftests: kvm: arm64/vcpu_lock_contention",
        "# not ok 1 KVM_ARM_SET_COUNTER_OFFSET before the first run, busy vCPU threads: 8 of 200 -EBUSY",
        "# ok 2 KVM_ARM_SET_COUNTER_OFFSET after the first run, busy vCPU threads: 0 of 200 -EBUSY",
        "# ok 3 KVM_ARM_SET_COUNTER_OFFSET: -EBUSY with vCPU 0 in KVM_RUN",
        "# # Totals: pass:2 fail:1 xfail:0 xpass:0 skip:0 error:0",
        "not ok 1 arm64/vcpu_lock_contention # exit=1",
        "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0",
    ],
    "patched-gicv3": [
        "# ok 1 KVM_ARM_SET_COUNTER_OFFSET before the first run, busy vCPU threads: 0 of 200 -EBUSY",
        "# ok 2 KVM_ARM_SET_COUNTER_OFFSET after the first run, busy vCPU threads: 0 of 200 -EBUSY",
    ],
    "patched-riscv-aia": [
        "# # ok 1 KVM_CREATE_DEVICE(AIA), busy vCPU threads: 0 of 200 -EBUSY",
    ],
}


class ContentionTableTests(unittest.TestCase):
    def table(self, runs, machines="gicv3 riscv-aia"):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = contention_table.main([runs, "--machines", machines])
        return rc, out.getvalue(), err.getvalue()

    def test_baseline_beside_patched(self):
        with tempfile.TemporaryDirectory() as runs:
            for key, lines in CONSOLES.items():
                os.makedirs(os.path.join(runs, key))
                with open(os.path.join(runs, key, "console.log"), "w") as f:
                    f.write("\n".join(lines) + "\n")
            rc, out, err = self.table(runs)
        self.assertEqual(rc, 0, err)
        rows = out.splitlines()
        self.assertEqual(rows[0], "| operation | VM state | machine | baseline | patched |")
        self.assertIn("| KVM_ARM_SET_COUNTER_OFFSET | before the first run | gicv3 "
                      "| 8 of 200 | 0 of 200 |", rows)
        self.assertIn("| KVM_ARM_SET_COUNTER_OFFSET | after the first run | gicv3 "
                      "| 0 of 200 | 0 of 200 |", rows)
        # A machine with no baseline run shows "-"
        self.assertIn("| KVM_CREATE_DEVICE(AIA) | - | riscv-aia | - | 0 of 200 |", rows)
        # Lines without a count are not rows
        self.assertEqual(len(rows[:rows.index("")]), 5)
        # The test's own totals, not the runner's; none where it printed none
        self.assertIn("| arm64/vcpu_lock_contention | gicv3 | 2 passed, 1 failed, "
                      "0 skipped | - |", rows)
        self.assertFalse([r for r in rows if "0 passed, 1 failed" in r])

    def test_no_run_directory_is_an_error(self):
        rc, out, err = self.table("/nonexistent/runs")
        self.assertEqual(rc, 2)
        self.assertIn("contention_table: error: no run directory", err)


if __name__ == "__main__":
    unittest.main()
