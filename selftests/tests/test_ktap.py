# SPDX-License-Identifier: GPL-2.0
"""Tests for selftests/host/ktap.py.

Run: python3 -m unittest discover -s selftests/tests -p 'test_*.py'

ktap/runner-sample.ktap is written by the runner's own KTAP functions
(test_runner.c checks that it is current); logs/ holds console logs, one of
them recorded from a real boot.
"""

import collections
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "host"))

import ktap  # noqa: E402

LOGS = os.path.join(HERE, "logs")
SAMPLE = os.path.join(HERE, "ktap", "runner-sample.ktap")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def expected_kinds(name):
    kinds = collections.Counter()
    for line in read(os.path.join(LOGS, name + ".expected")).splitlines():
        kinds[line.split("\t", 1)[0]] += 1
    return kinds


class TimeTest(unittest.TestCase):
    """The runner's per-test "time" line lands on the test it precedes."""

    def test_time(self):
        run = ktap.parse("TAP version 13\n1..2\n"
                         "# selftests: kvm: a\n# vcpulock: time a 1234 ms\nok 1 a\n"
                         "# selftests: kvm: b\nnot ok 2 b\n")
        self.assertEqual([t["ms"] for t in run["tests"]], [1234, None])


class SampleTest(unittest.TestCase):
    """The KTAP the runner's C functions produce."""

    def setUp(self):
        self.run = ktap.parse(read(SAMPLE))

    def test_plan_and_results(self):
        run = self.run
        self.assertEqual(run["plan"], 6)
        self.assertEqual(len(run["tests"]), 6)
        self.assertEqual([t["num"] for t in run["tests"]], list(range(1, 7)))
        self.assertEqual(
            [(t["name"], t["result"], t["directive"]) for t in run["tests"]],
            [("arm64/arch_timer", "pass", ""),
             ("arm64/vgic_lpi_stress", "skip", "SKIP"),
             ("arm64/vgic_init", "fail", "exit=254"),
             ("arm64/set_id_regs", "fail", "SIGNAL SIGSEGV"),
             ("arm64/vcpu_width_config", "timeout", "TIMEOUT 3s"),
             ("kernel_log_clean", "fail", "splats=2 debug_locks=0")])

    def test_logs(self):
        tests = self.run["tests"]
        # Nested KTAP of the test itself stays in its log.
        self.assertEqual(tests[0]["log"][:4],
                         ["TAP version 13", "1..2", "ok 1 vtimer",
                          "ok 2 ptimer"])
        self.assertEqual(tests[2]["log"],
                         ["==== Test Assertion Failure ====",
                          "  arm64/vgic_init.c:123: !ret",
                          "  pid=231 tid=231 errno=16 - "
                          "Device or resource busy"])
        self.assertEqual(tests[3]["log"], [])
        self.assertIn("vcpulock: debug_locks 0", tests[5]["log"])

    def test_summary(self):
        run = self.run
        self.assertTrue(run["runner_done"])
        self.assertIsNone(run["bailout"])
        self.assertEqual(run["debug_locks"], 0)
        self.assertEqual(run["kernel"], "7.3.4 #1 SMP PREEMPT aarch64")
        self.assertEqual(
            run["splats"],
            [{"kind": "lockdep",
              "line": "[  101.234567] WARNING: possible circular locking "
                      "dependency detected"},
             {"kind": "lockdep_off",
              "line": "[  101.300000] turning off the locking correctness "
                      "validator."}])
        self.assertEqual(run["splat_counts"]["lockdep"], 1)
        self.assertEqual(run["splat_counts"]["lockdep_off"], 1)
        self.assertEqual(run["splat_counts"]["total"], 2)

    def test_fresh_sample(self):
        """The sample test_runner just wrote, if it ran us."""
        fresh = os.environ.get("VCPULOCK_SAMPLE")
        if not fresh:
            self.skipTest("VCPULOCK_SAMPLE not set")
        self.assertEqual(ktap.parse(read(fresh)), self.run)

    def test_truncated(self):
        text = read(SAMPLE)
        cut = text[:text.index("# selftests: kvm: arm64/set_id_regs")]
        run = ktap.parse(cut)
        self.assertFalse(run["runner_done"])
        self.assertEqual(run["plan"], 6)
        self.assertEqual(len(run["tests"]), 3)

        run = ktap.parse(text[:text.index("# vcpulock: runner done")])
        self.assertFalse(run["runner_done"])
        self.assertEqual(len(run["tests"]), 6)

    def test_cli(self):
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "..", "host", "ktap.py"),
             SAMPLE], check=True, capture_output=True, text=True).stdout
        self.assertEqual(json.loads(out), self.run)

    def test_cli_missing_file(self):
        res = subprocess.run(
            [sys.executable, os.path.join(HERE, "..", "host", "ktap.py"),
             os.path.join(LOGS, "does-not-exist.log")],
            capture_output=True, text=True)
        self.assertNotEqual(res.returncode, 0)


class SyntheticTest(unittest.TestCase):

    def test_bailout(self):
        run = ktap.parse(
            "[    1.220759] Run /init as init process\n"
            "KTAP version 1\n"
            "# vcpulock: kernel 7.3.4+ #1 SMP PREEMPT aarch64\n"
            "# vcpulock: open /dev/kvm: No such file or directory\n"
            "Bail out! no /dev/kvm in the guest\n"
            "# vcpulock: runner done\n"
            "[    1.300000] reboot: Power down\n")
        self.assertEqual(run["bailout"], "no /dev/kvm in the guest")
        self.assertIsNone(run["plan"])
        self.assertEqual(run["tests"], [])
        self.assertTrue(run["runner_done"])

    def test_no_ktap(self):
        run = ktap.parse("[    0.000000] Booting Linux\n"
                         "[    1.0] Kernel panic - not syncing: VFS\n")
        self.assertIsNone(run["plan"])
        self.assertEqual(run["tests"], [])
        self.assertFalse(run["runner_done"])

    def test_boot_noise_before_ktap(self):
        run = ktap.parse("ok 1 not ours\n1..9\nKTAP version 1\n1..1\n"
                         "ok 1 a\n")
        self.assertEqual(run["plan"], 1)
        self.assertEqual([t["name"] for t in run["tests"]], ["a"])

    def test_split_result_line(self):
        run = ktap.parse(
            "KTAP version 1\n1..2\n"
            "# selftests: kvm: foo\n"
            "# hel[   12.000001] kvm [240]: something\n"
            "[   12.000002] and a second kernel line\n"
            "lo\n"
            "ok 1 f[   12.100000][  T240] kvm: more\n"
            "oo\r\n"
            "not ok 2 bar # exit=1\n")
        tests = run["tests"]
        self.assertEqual([(t["name"], t["result"]) for t in tests],
                         [("foo", "pass"), ("bar", "fail")])
        self.assertEqual(tests[0]["log"], ["hello"])

    def test_skip_and_timeout(self):
        run = ktap.parse("KTAP version 1\n1..4\n"
                         "ok 1 a # SKIP\n"
                         "ok 2 b # skip no GICv2\n"
                         "not ok 3 c # TIMEOUT 45s\n"
                         "not ok 4 d # SIGNAL SIGKILL\n")
        self.assertEqual([t["result"] for t in run["tests"]],
                         ["skip", "skip", "timeout", "fail"])
        self.assertEqual(run["tests"][1]["directive"], "skip no GICv2")

    def test_last_run_wins(self):
        run = ktap.parse("KTAP version 1\n1..1\nnot ok 1 a # exit=1\n"
                         "[    0.000000] Booting Linux\n"
                         "KTAP version 1\n1..1\nok 1 a\n"
                         "# vcpulock: runner done\n")
        self.assertEqual([t["result"] for t in run["tests"]], ["pass"])

    def test_debug_locks_unknown(self):
        run = ktap.parse("KTAP version 1\n# vcpulock: debug_locks unknown\n")
        self.assertIsNone(run["debug_locks"])


class RecordedLogTest(unittest.TestCase):

    def test_interleaved(self):
        run = ktap.parse(read(os.path.join(LOGS, "interleaved.log")))
        tests = run["tests"]
        self.assertEqual(
            [(t["name"], t["result"], t["directive"]) for t in tests],
            [("arm64/vgic_irq", "pass", ""),
             ("arm64/psci_test", "fail", "exit=254"),
             ("kernel_log_clean", "fail", "splats=2")])
        self.assertIn("ok 1 vgic_irq", tests[0]["log"])
        self.assertIn("# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 "
                      "error:0", tests[0]["log"])
        self.assertEqual([s["kind"] for s in run["splats"]],
                         ["bug", "warning"])
        self.assertTrue(run["runner_done"])

    def test_hung_task_timeout(self):
        run = ktap.parse(read(os.path.join(LOGS, "hung-task.log")))
        test = run["tests"][1]
        self.assertEqual((test["name"], test["result"], test["directive"]),
                         ("arm64/vgic_init", "timeout", "TIMEOUT 120s"))
        self.assertIn("vcpulock: arm64/vgic_init: pid 231 ignored SIGKILL for "
                      "10s, moving on", test["log"])
        self.assertEqual(run["debug_locks"], 1)

    def test_panic_truncates(self):
        for name in ("oops-null-panic", "bug-on-panic", "soft-lockup"):
            run = ktap.parse(read(os.path.join(LOGS, name + ".log")))
            self.assertFalse(run["runner_done"], name)
            self.assertLess(len(run["tests"]), run["plan"], name)
            self.assertEqual(run["splats"], [], name)

    def test_runner_splats_match_scanner(self):
        """The runner's splat report agrees with logscan's .expected."""
        checked = 0
        for name in sorted(os.listdir(LOGS)):
            if not name.endswith(".log"):
                continue
            name = name[:-4]
            run = ktap.parse(read(os.path.join(LOGS, name + ".log")))
            if not run["runner_done"]:
                continue
            kinds = collections.Counter(s["kind"] for s in run["splats"])
            self.assertEqual(kinds, expected_kinds(name), name)
            clean = run["tests"][-1]
            self.assertEqual(clean["name"], "kernel_log_clean", name)
            self.assertEqual(clean["result"] == "pass",
                             not kinds and run["debug_locks"] != 0, name)
            self.assertEqual(run["plan"], len(run["tests"]), name)
            checked += 1
        self.assertGreater(checked, 5)


class RecordedBootTest(unittest.TestCase):
    """A real boot of the runner with the smoke tests, GICv3."""

    NAME = "recorded-boot-gicv3"

    def setUp(self):
        path = os.path.join(LOGS, self.NAME + ".log")
        if not os.path.exists(path):
            self.skipTest(path + " not recorded")
        self.run = ktap.parse(read(path))

    def test_results(self):
        run = self.run
        self.assertTrue(run["runner_done"])
        self.assertIsNone(run["bailout"])
        self.assertEqual(run["plan"], len(run["tests"]))
        self.assertEqual(
            [(t["name"], t["result"], t["directive"])
             for t in run["tests"][:-1]],
            [("kvm_smoke", "pass", ""),
             ("pass", "pass", ""),
             ("skip", "skip", "SKIP"),
             ("fail", "fail", "exit=1"),
             ("segv", "fail", "SIGNAL SIGSEGV"),
             ("timeout", "timeout", "TIMEOUT 3s")])
        self.assertEqual(run["tests"][-1]["name"], "kernel_log_clean")
        self.assertIn(run["debug_locks"], (0, 1))
        self.assertTrue(run["kernel"].startswith("7.3.4"))

    def test_output_streamed_whole(self):
        log = self.run["tests"][1]["log"]
        lines = [l for l in log if l.startswith("line ")]
        self.assertEqual(len(lines), 2000)
        self.assertEqual(lines[-1], "line 2000 of 2000")
        # 10000 characters, split at the runner's 4096 byte buffer.
        long_parts = [l for l in log if len(l) > 1000 and l.isalpha()]
        self.assertEqual("".join(long_parts),
                         "".join(chr(ord("a") + i % 26)
                                 for i in range(10000)))
        self.assertIn("this went to stderr", log)
        self.assertEqual(log[-1], "no newline at the end")

    def test_kvm_ran_a_vcpu(self):
        self.assertIn("ok 1 kvm", self.run["tests"][0]["log"])

    def test_splats_match_scanner(self):
        kinds = collections.Counter(s["kind"] for s in self.run["splats"])
        self.assertEqual(kinds, expected_kinds(self.NAME))
        clean = self.run["tests"][-1]
        self.assertEqual(clean["result"] == "pass",
                         not kinds and self.run["debug_locks"] != 0)


class RecordedBootGicv2Test(RecordedBootTest):
    """The same with GICv2, where KVM has no GICv3 emulation."""

    NAME = "recorded-boot-gicv2"


if __name__ == "__main__":
    unittest.main()
