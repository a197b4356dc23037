# SPDX-License-Identifier: GPL-2.0
"""known_splats.py: the known upstream splat list is narrow.

The recorded baseline KVM_BUG_ON is known; every other recorded or planted
splat in logs/ is not, so a boot that shows one of them is never repeated.
The .expected files are logscan's output for each log (the runner suite
checks that).
"""

import os
import subprocess
import sys
import tempfile
import unittest

import known_splats

HERE = os.path.dirname(os.path.abspath(__file__))
LOGS = os.path.join(HERE, "logs")
TOP = os.path.join(HERE, "..", "..")
LIST = os.path.join(TOP, "selftests", "configs", "known-upstream-splats.list")
CLI = os.path.join(TOP, "selftests", "host", "known_splats.py")


def expected(name):
    with open(os.path.join(LOGS, name + ".expected")) as f:
        return f.read().splitlines()


class KnownSplats(unittest.TestCase):
    def setUp(self):
        self.known = known_splats.load(LIST)

    def test_recorded_bug_is_known(self):
        hits, unknown = known_splats.classify(expected("kvm-bug-sysregs"),
                                              self.known)
        self.assertEqual(len(hits), 1)
        self.assertEqual(unknown, [])
        self.assertIn("kvm_vcpu_load_debug", hits[0][1])

    def test_nothing_else_is_known(self):
        names = [n[:-9] for n in os.listdir(LOGS) if n.endswith(".expected")]
        checked = 0
        for name in names:
            if name == "kvm-bug-sysregs":
                continue
            hits, _ = known_splats.classify(expected(name), self.known)
            self.assertEqual(hits, [], name)
            checked += 1
        self.assertGreater(checked, 10)

    def run_cli(self, lines, listfile=LIST):
        return subprocess.run([sys.executable, CLI, listfile],
                              input="".join(l + "\n" for l in lines),
                              capture_output=True, text=True)

    def test_cli_repeats_only_known(self):
        bug = expected("kvm-bug-sysregs")
        self.assertEqual(self.run_cli(bug).returncode, 0)
        # Clean, unknown, or known mixed with unknown: never repeated.
        self.assertEqual(self.run_cli([]).returncode, 1)
        self.assertEqual(self.run_cli(expected("warning")).returncode, 1)
        p = self.run_cli(bug + expected("lockdep-circular"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("kvm_vcpu_load_debug", p.stdout)

    def test_malformed_list(self):
        with tempfile.NamedTemporaryFile("w", suffix=".list") as f:
            f.write("# comment\nno reason here\n")
            f.flush()
            with self.assertRaises(ValueError):
                known_splats.load(f.name)
            self.assertEqual(self.run_cli([], f.name).returncode, 2)


if __name__ == "__main__":
    unittest.main()
