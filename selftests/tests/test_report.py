# SPDX-License-Identifier: GPL-2.0
"""Tests for selftests/host/report.py on the fixture boots in fixtures/report.

fixtures/report/runs/NAME is one boot each (console.log, status) with
console.expected, what logscan reports for that console. The
tests pair them up as the runs/VARIANT-MACHINE of a build directory.
"""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(HERE, "..", "host"))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import abi_diff  # noqa: E402
import bench_report  # noqa: E402
import report  # noqa: E402

FIX = os.path.join(HERE, "fixtures", "report")
RUNS = os.path.join(FIX, "runs")
LISTS = {"added": os.path.join(FIX, "added.list"),
         "must-fail-on-baseline": os.path.join(FIX, "must-fail-on-baseline.list"),
         "known-tcg": os.path.join(FIX, "known-tcg.list")}
ADDED = set(report.read_names(LISTS["added"]))
MUST = report.read_must_fail(LISTS["must-fail-on-baseline"])
TCG = report.read_known_tcg(LISTS["known-tcg"])


def recorded_scan(console):
    """logscan's hits in a fixture console: its console.expected."""
    with open(console[:-len(".log")] + ".expected") as f:
        return [dict(zip(("kind", "line"), l.rstrip("\n").split("\t", 1)))
                for l in f]


def load(name, variant="patched", machine="gicv3"):
    return report.load_run(os.path.join(RUNS, name), variant, machine,
                           recorded_scan)


def judge(patched, baseline="baseline-gicv3", more=None):
    runs = {("baseline", "gicv3"): load(baseline, "baseline"),
            ("patched", "gicv3"): load(patched)}
    runs.update(more or {})
    return {c.name: c for c in report.judge(["gicv3"], runs, ADDED, MUST, TCG)}


class CheckCase(unittest.TestCase):
    def assertCheck(self, checks, name, result, *whys):
        self.assertIn(name, checks)
        check = checks[name]
        self.assertEqual(check.result, result, check)
        for why in whys:
            self.assertIn(why, check.why)


class JudgeTests(CheckCase):
    """patched-gicv3 against baseline-gicv3: one test per branch."""

    @classmethod
    def setUpClass(cls):
        cls.checks = judge("patched-gicv3")

    def assertPatched(self, name, result, *whys):
        self.assertCheck(self.checks, f"patched/gicv3: {name}", result, *whys)

    def test_boots_clean(self):
        self.assertCheck(self.checks, "baseline/gicv3: boot and runner finished",
                         "pass", "ok, 15 results")
        self.assertPatched("boot and runner finished", "pass",
                           "ok, 15 results")
        self.assertPatched("no splats", "pass")
        self.assertPatched("debug_locks on", "pass")

    def test_pass_and_skip_as_on_baseline(self):
        self.assertPatched("arm64/vgic_irq", "pass", "baseline: pass")
        self.assertPatched("arm64/at", "skip", "baseline: skip")

    def test_regression(self):
        self.assertPatched("arm64/vgic_init", "fail", "baseline: pass",
                           "arm64/vgic_init.c:123: !ret")

    def test_skipped_where_baseline_passed(self):
        self.assertPatched("arm64/vgic_its_save", "fail", "baseline: pass; "
                           "patched skips: 1..0 # SKIP - Requirement not met: "
                           "kvm_supports_vgic_v3()")

    def test_added_by_the_series_fails(self):
        # It fails on baseline too: that excuses nothing the series adds.
        self.assertPatched("arm64/vcpu_lock_contention", "fail",
                           "added by the series",
                           "arm64/vcpu_lock_contention.c:212: ret == want")
        self.assertPatched("arm64/vgic_lock_contention", "pass",
                           "baseline: fail")

    def test_known_tcg_passing_on_baseline_fails(self):
        self.assertPatched(
            "arm64/arch_timer_edge_cases", "fail", "baseline: pass",
            "known-TCG list, but that needs it to fail on baseline too",
            "arm64/arch_timer_edge_cases.c:171: timer_condition == istatus")

    def test_known_tcg_failing_on_baseline_skips(self):
        self.assertPatched("arch_timer", "skip",
                           "TCG: the emulated timer interrupt comes too late; "
                           "baseline: fail; evidence: arm64/arch_timer.c:133: "
                           "config_iter + 1 == irq_iter / pid=345 tid=349")
        self.assertPatched("arm64/page_fault_test", "skip",
                           "baseline: timeout; evidence: TIMEOUT 120s")

    def test_fails_on_baseline_too(self):
        self.assertPatched("arm64/external_aborts", "skip",
                           "fails on baseline too (fail): include/kvm_util.h:854:"
                           " !ret / pid=323 tid=323 errno=22 - Invalid argument")

    def test_must_fail_on_baseline(self):
        name = "gicv3: arm64/{} fails on baseline, passes on patched"
        self.assertCheck(self.checks, name.format("vgic_lock_contention"),
                         "pass", "baseline: fail, patched: pass")
        # Passing on both proves nothing.
        self.assertCheck(self.checks, name.format("vgic_init_race"),
                         "fail", "baseline: pass, patched: pass")
        self.assertCheck(self.checks, name.format("vcpu_lock_contention"),
                         "fail", "baseline: fail, patched: fail")

    def test_every_patched_test_judged_once(self):
        boot = ("boot and runner finished", "no splats", "debug_locks on")
        judged = [n.split(": ", 1)[1] for n in self.checks
                  if n.startswith("patched/gicv3: ")]
        tests = [t["name"] for t in load("patched-gicv3")["tests"]]
        # kernel_log_clean is the runner's: the splat and lock checks judge it.
        self.assertEqual(sorted(judged), sorted(tests[:-1] + list(boot)))
        self.assertEqual(tests[-1], "kernel_log_clean")

    def test_only_the_machines_asked_for(self):
        self.assertFalse([n for n in self.checks if "gicv2" in n])

    def test_other_variants_are_not_judged(self):
        more = {("v1", "gicv3"): load("v1-gicv3", "v1")}
        self.assertEqual(judge("patched-gicv3", more=more), self.checks)


class BootTests(CheckCase):
    """Patched boots that went wrong, against the clean baseline."""

    def test_splat_after_the_runner(self):
        checks = judge("patched-splat")
        # The runner's own scan had finished: only the host scan sees it.
        self.assertEqual(load("patched-splat")["tests"][-1]["result"], "pass")
        self.assertCheck(checks, "patched/gicv3: no splats", "fail",
                         "warning x1")
        self.assertCheck(checks, "patched/gicv3: debug_locks on", "pass")
        self.assertCheck(checks, "patched/gicv3: boot and runner finished",
                         "pass")

    def test_debug_locks_0(self):
        checks = judge("patched-debug-locks-0")
        self.assertCheck(checks, "patched/gicv3: debug_locks on", "fail",
                         "debug_locks 0: lockdep turned itself off")
        self.assertCheck(checks, "patched/gicv3: no splats", "pass")

    def test_debug_locks_minus_1(self):
        checks = judge("patched-debug-locks-minus1")
        self.assertEqual(load("patched-debug-locks-minus1")["debug_locks"], -1)
        self.assertCheck(checks, "patched/gicv3: debug_locks on", "fail",
                         "debug_locks -1: not 1")

    def test_debug_locks_none(self):
        # The runner prints "unknown" for a lockdep_stats without the line,
        # and passes kernel_log_clean: only the report catches it.
        run = load("patched-debug-locks-unknown")
        self.assertIsNone(run["debug_locks"])
        self.assertEqual(run["tests"][-1]["result"], "pass")
        checks = judge("patched-debug-locks-unknown")
        self.assertCheck(checks, "patched/gicv3: debug_locks on", "fail",
                         "no debug_locks from the runner")

    def test_bail_out(self):
        checks = judge("patched-bailout")
        self.assertEqual(load("patched-bailout")["status"]["verdict"], "ok")
        self.assertCheck(checks, "patched/gicv3: boot and runner finished",
                         "fail", "bail out: no /dev/kvm in the guest")

    def test_hang(self):
        checks = judge("patched-hang")
        self.assertCheck(checks, "patched/gicv3: boot and runner finished",
                         "fail", "hang: QEMU killed after 900s")
        self.assertCheck(checks, "patched/gicv3: arm64/vgic_init", "pass")

    def test_panic(self):
        checks = judge("patched-panic")
        self.assertCheck(checks, "patched/gicv3: boot and runner finished",
                         "fail", "kernel panic")
        self.assertCheck(checks, "patched/gicv3: no splats", "fail",
                         "bug x1, oops x1, panic x1")

    def test_runner_did_not_finish(self):
        checks = judge("patched-unfinished")
        self.assertCheck(checks, "patched/gicv3: boot and runner finished",
                         "fail", "the runner did not finish")
        self.assertCheck(checks, "patched/gicv3: debug_locks on", "fail")

    def test_runner_done_missing_though_status_ok(self):
        run = load("patched-unfinished")
        run["status"]["verdict"] = "ok"
        self.assertIn("no '# vcpulock: runner done'", report.boot_problem(run))

    def test_not_booted(self):
        checks = judge("no-such-run")
        self.assertCheck(checks, "patched/gicv3: boot and runner finished",
                         "fail", "not run: no ", "no-such-run")
        # Nothing was seen, so nothing is said to be clean.
        self.assertNotIn("patched/gicv3: no splats", checks)
        self.assertNotIn("patched/gicv3: debug_locks on", checks)

    def test_baseline_that_did_not_finish(self):
        checks = judge("patched-gicv3", baseline="patched-hang")
        self.assertCheck(checks, "baseline/gicv3: boot and runner finished",
                         "fail", "hang: QEMU killed after 900s")


class ReportCase(unittest.TestCase):
    """report.main() on a build directory made of fixture runs."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.logscan = os.path.join(self.tmp, "logscan")
        with open(self.logscan, "w") as f:
            f.write('#!/bin/sh\nexec cat "${1%.log}.expected"\n')
        os.chmod(self.logscan, 0o755)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def build(self, runs, plans=None):
        """runs: {VARIANT-MACHINE: fixture}; plans: {VARIANT: [test]}."""
        b = tempfile.mkdtemp(dir=self.tmp)
        for key, name in runs.items():
            shutil.copytree(os.path.join(RUNS, name), os.path.join(b, "runs", key))
        os.makedirs(os.path.join(b, "runs"), exist_ok=True)
        for variant, tests in (plans or {}).items():
            os.makedirs(os.path.join(b, "initramfs"), exist_ok=True)
            with open(os.path.join(b, "initramfs", variant + ".tests"), "w") as f:
                f.writelines(f"{t} 300 /{t}\n" for t in tests)
        return b

    def run_report(self, b, machines="gicv3", **lists):
        argv = ["--build", b, "--machines", machines, "--logscan", self.logscan]
        for name, path in dict(LISTS, **lists).items():
            argv += [f"--{name}", path]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = report.main(argv)
        return rc, out.getvalue(), err.getvalue()

    def empty(self, name):
        path = os.path.join(self.tmp, name)
        open(path, "w").close()
        return path


AB = {"baseline-gicv3": "baseline-gicv3", "patched-gicv3": "patched-gicv3"}


class ReportTests(ReportCase):
    def test_results_json_holds_every_check(self):
        b = self.build(AB)
        rc, out, err = self.run_report(b)
        self.assertEqual((rc, err), (1, ""))
        with open(os.path.join(b, "results.json")) as f:
            res = json.load(f)
        with open(os.path.join(b, "report.txt")) as f:
            self.assertEqual(f.read(), out)
        lines = out.splitlines()
        checks = [l for l in lines if l.startswith(("PASS", "FAIL", "SKIP"))]
        self.assertEqual(checks, [f"{c['result'].upper():<5} {c['name']} "
                                  f"({c['why']})" for c in res["checks"]])
        s = res["summary"]
        self.assertEqual(lines[-1], f"report: {s['passed']} passed, "
                         f"{s['failed']} failed, {s['skipped']} skipped")
        self.assertEqual(sum(s.values()), len(checks))
        self.assertEqual([l for l in lines if l.startswith("report:")],
                         lines[-1:])
        self.assertEqual([c["name"] for c in res["checks"]
                          if c["result"] == "fail"],
                         ["patched/gicv3: arm64/vcpu_lock_contention",
                          "patched/gicv3: arm64/vgic_init",
                          "patched/gicv3: arm64/vgic_its_save",
                          "patched/gicv3: arm64/arch_timer_edge_cases",
                          "gicv3: arm64/vgic_init_race fails on baseline, "
                          "passes on patched",
                          "gicv3: arm64/vcpu_lock_contention fails on baseline, "
                          "passes on patched"])

    def test_tools_compared(self):
        b = self.build(AB)
        rc, out, err = self.run_report(b)
        self.assertIn("PASS  gicv3: ABI differential, baseline vs patched "
                      "(8 cells compared, 4 intended and 0 unintended "
                      "differences, 0 spurious -EBUSY under contention; "
                      f"{b}/abi-gicv3.json)", out)
        self.assertIn("RESULT: PASS", out)  # the differ's own report
        self.assertTrue(os.path.exists(os.path.join(b, "abi-gicv3.json")))
        # The benchmark's speed goals belong to `make bench`
        self.assertNotIn("benchmark", out)

    def test_a_tool_check_that_fails(self):
        # Baseline's spurious -EBUSY as the patched side breaks the goal.
        b = self.build({"baseline-gicv3": "baseline-gicv3",
                        "patched-gicv3": "baseline-gicv3"})
        rc, out, err = self.run_report(b, added=self.empty("added"))
        self.assertIn("FAIL  gicv3: ABI differential, baseline vs patched "
                      "(8 cells compared, 0 intended and 0 unintended "
                      "differences, 4 spurious -EBUSY", out)
        self.assertEqual(rc, 1)

    def test_all_clear_passes(self):
        b = self.build({"baseline-gicv3": "patched-gicv3",
                        "patched-gicv3": "patched-gicv3"})
        rc, out, err = self.run_report(
            b, added=self.empty("added"),
            **{"must-fail-on-baseline": self.empty("must")})
        self.assertEqual(rc, 0, out)
        self.assertTrue(out.endswith("report: 11 passed, 0 failed, 8 skipped\n"), out)

    def test_machine_not_booted(self):
        rc, out, err = self.run_report(self.build(AB), machines="gicv3 gicv2")
        self.assertEqual((rc, err), (1, ""))
        self.assertRegex(out, r"\nbaseline +gicv2 .* not run: no \S+/runs/"
                              r"baseline-gicv2\n")
        self.assertRegex(out, r"\nFAIL  patched/gicv2: boot and runner "
                              r"finished \(not run: no \S+/runs/patched-gicv2\)")
        self.assertIn("FAIL  gicv2: arm64/vgic_lock_contention fails on "
                      "baseline, passes on patched (baseline: not run, "
                      "patched: not run)", out)
        self.assertRegex(out, r"SKIP  gicv2: ABI differential, baseline vs "
                              r"patched \(no baseline/gicv2 run \(")

    def test_third_variant_shown_not_judged(self):
        b = self.build(AB)
        rc, out, err = self.run_report(b)
        with open(os.path.join(b, "results.json")) as f:
            checks = json.load(f)["checks"]
        b = self.build(dict(AB, **{"v1-gicv3": "v1-gicv3"}))
        rc, out, err = self.run_report(b)
        with open(os.path.join(b, "results.json")) as f:
            res = json.load(f)
        self.assertEqual(res["variants"], ["baseline", "patched", "v1"])
        self.assertEqual([c["name"] for c in res["checks"]],
                         [c["name"] for c in checks])
        self.assertRegex(out, r"\nv1 +gicv3 +3 +1 .* ok\n")
        self.assertRegex(out, r"\ntest +base/gicv3 +patc/gicv3 +v1/gicv3\n")
        self.assertRegex(out, r"\narm64/vgic_init_race +pass +pass +fail\n")
        self.assertRegex(out, r"\narm64/at +skip +skip +-\n")


class FinalReportTests(ReportCase):
    """REPORT_FINAL: the other suites and the VMM test join the report."""

    def test_suites_and_vmm_in_report_and_json(self):
        b = self.build(AB)
        logs = os.path.join(b, "test-logs")
        os.makedirs(logs)
        with open(os.path.join(logs, "checkpatch.log"), "w") as f:
            f.write("KTAP version 1\n1..2\nok 1 a\nnot ok 2 0003 has a WARNING\n"
                    "checkpatch: 1 passed, 1 failed, 0 skipped\n")
        with open(os.path.join(logs, "broken.log"), "w") as f:
            f.write("no summary at all\n")
        vmm = os.path.join(b, "vmm.json")
        with open(vmm, "w") as f:
            json.dump({"qemu_version": "7.2.22", "runs": [
                {"variant": "patched", "machine": "gicv3", "round_trips": 3,
                 "resumed": True, "reset_ok": True, "splats": 0,
                 "debug_locks": 1, "ok": True}]}, f)
        rc, out, err = self.run_report(b, suites=logs, vmm=vmm)
        self.assertIn("checkpatch             1     1     0  0003 has a WARNING", out)
        self.assertIn("broken                 0     1     0  no summary line", out)
        self.assertIn("VMM migration: Debian's arm64 QEMU 7.2.22", out)
        with open(os.path.join(b, "results.json")) as f:
            res = json.load(f)
        self.assertEqual(res["suites"]["checkpatch"]["failures"], ["0003 has a WARNING"])
        self.assertEqual(res["vmm"]["runs"][0]["round_trips"], 3)
        # The A/B verdict is the same as without them
        self.assertTrue(out.splitlines()[-1].startswith("report: "))

    def test_vmm_not_run_is_said(self):
        b = self.build(AB)
        rc, out, err = self.run_report(b, vmm=os.path.join(b, "vmm.json"))
        self.assertIn("VMM test: no ", out)
        self.assertIn("(make vmm was not run)", out)


class MachineArchTests(ReportCase):
    """A machine of another architecture is judged as the others, without
    the vGIC tools."""

    def test_riscv_machine_has_no_vgic_tool_check(self):
        b = self.build({"baseline-gicv3": "baseline-gicv3",
                        "patched-gicv3": "patched-gicv3",
                        "baseline-riscv-aia": "baseline-gicv3",
                        "patched-riscv-aia": "patched-gicv3"})
        rc, out, err = self.run_report(b, machines="gicv3 riscv-aia")
        with open(os.path.join(b, "results.json")) as f:
            names = [c["name"] for c in json.load(f)["checks"]]
        self.assertIn("gicv3: ABI differential, baseline vs patched", names)
        self.assertNotIn("riscv-aia: ABI differential, baseline vs patched", names)
        self.assertIn("patched/riscv-aia: boot and runner finished", names)

    def test_machine_archs(self):
        self.assertEqual(report.machine_arch("gicv3"), "arm64")
        self.assertEqual(report.machine_arch("riscv-aia"), "riscv")
        with self.assertRaises(report.ReportError):
            report.machine_arch("no-such-machine")


class ToolSkipTests(ReportCase):
    """A tool check that cannot run says why: not planned, or not reached."""

    NAMES = ("gicv3: ABI differential, baseline vs patched",)

    def skips(self, patched, plans=None):
        b = self.build({"baseline-gicv3": "baseline-gicv3",
                        "patched-gicv3": patched}, plans)
        self.run_report(b)
        with open(os.path.join(b, "results.json")) as f:
            checks = {c["name"]: c for c in json.load(f)["checks"]}
        for name in self.NAMES:
            self.assertEqual(checks[name]["result"], "skip", name)
        return b, [checks[n]["why"] for n in self.NAMES]

    def test_not_in_the_plan_of_a_finished_boot(self):
        b, whys = self.skips("patched-splat")
        self.assertEqual(whys, ["tools/vgic_abi_sweep is not in the plan "
                                "patched/gicv3 ran"])

    def test_planned_but_not_reached(self):
        b, whys = self.skips("patched-hang", {"patched": [
            "arm64/vgic_init", "tools/vgic_abi_sweep", "tools/vgic_lock_bench"]})
        plan = os.path.join(b, "initramfs", "patched.tests")
        self.assertEqual(whys[0], f"tools/vgic_abi_sweep is in the plan ({plan}),"
                         " but patched/gicv3 did not finish it: hang: QEMU "
                         "killed after 900s")

    def test_not_in_the_plan_of_a_boot_that_failed(self):
        b, whys = self.skips("patched-hang", {"patched": ["arm64/vgic_init"]})
        plan = os.path.join(b, "initramfs", "patched.tests")
        self.assertEqual(whys[0], f"tools/vgic_abi_sweep is not in the plan "
                         f"({plan})")

    def test_boot_failed_and_no_plan_to_tell(self):
        b, whys = self.skips("patched-panic")
        self.assertIn("patched/gicv3 did not finish (kernel panic), and without",
                      whys[0])
        self.assertIn("it is unknown whether tools/vgic_abi_sweep was planned",
                      whys[0])


class ErrorTests(ReportCase):
    """Errors are one line, "report: error: ...", exit status 2."""

    def error(self, b, **lists):
        rc, out, err = self.run_report(b, **lists)
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertTrue(err.startswith("report: error: "), err)
        return err

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_nothing_booted(self):
        b = tempfile.mkdtemp(dir=self.tmp)
        self.assertIn(f"{b}/runs: No such file or directory", self.error(b))

    def test_missing_list(self):
        err = self.error(self.build(AB), added=os.path.join(self.tmp, "nope"))
        self.assertIn("nope: No such file or directory", err)

    def test_bad_known_tcg(self):
        path = self.write("tcg", "# comment\narm64/arch_timer\n")
        err = self.error(self.build(AB), **{"known-tcg": path})
        self.assertIn(f"{path}:2: want TEST REASON, not 'arm64/arch_timer'", err)

    def test_bad_must_fail(self):
        path = self.write("must", "gicv3\n")
        err = self.error(self.build(AB), **{"must-fail-on-baseline": path})
        self.assertIn(f"{path}:1: want MACHINE TEST, not 'gicv3'", err)

    def test_no_logscan(self):
        self.logscan = os.path.join(self.tmp, "no-logscan")
        self.assertIn("no-logscan: No such file or directory",
                      self.error(self.build(AB)))

    def test_stale_report_removed(self):
        b = self.build(AB)
        for name in ("report.txt", "results.json"):
            open(os.path.join(b, name), "w").close()
        self.error(b, added=os.path.join(self.tmp, "nope"))
        self.assertEqual(sorted(os.listdir(b)), ["runs"])

    def test_command_line(self):
        res = subprocess.run([sys.executable,
                              os.path.join(TOP, "selftests", "host", "report.py"),
                              "--build", self.tmp],
                             capture_output=True, text=True)
        self.assertEqual(res.returncode, 2)
        self.assertEqual(res.stdout, "")
        self.assertRegex(res.stderr, r"^report: error: the following arguments "
                                     r"are required: [^\n]*\n$")

    def test_tools_fail_in_one_line(self):
        nope = os.path.join(self.tmp, "nope")
        for main, argv in ((abi_diff.main, [nope, nope]),
                           (bench_report.main, ["baseline=" + nope,
                                                "patched=" + nope, self.tmp])):
            err = io.StringIO()
            with contextlib.redirect_stderr(err), \
                    contextlib.redirect_stdout(io.StringIO()):
                self.assertEqual(main(argv), 1)
            self.assertEqual(len(err.getvalue().splitlines()), 1, err.getvalue())
            self.assertIn(": error: ", err.getvalue())


def find_logscan():
    b = os.environ.get("B", os.path.join(TOP, "build"))
    for path in (os.environ.get("VCPULOCK_LOGSCAN"),
                 os.path.join(b, "host", "runner", "logscan")):
        if path and os.access(path, os.X_OK):
            return path
    return None


class FixtureTests(unittest.TestCase):
    def test_expected_is_what_logscan_reports(self):
        logscan = find_logscan()
        if not logscan:
            self.skipTest("no logscan built (make -C selftests/runner)")
        for name in sorted(os.listdir(RUNS)):
            console = os.path.join(RUNS, name, "console.log")
            self.assertEqual(report.logscan_hits(logscan, console),
                             recorded_scan(console), name)


if __name__ == "__main__":
    unittest.main()
