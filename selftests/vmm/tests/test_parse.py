#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""parse.py, merge.py and table.py against a recorded VMM console.

    test_parse.py LOGSCAN

The console (console-ok.log beside this file) is a real patched/gicv3 run;
the other cases are that console with one thing planted or cut: a driver
error, an L1 splat, a splat in L2's relayed console, a run cut short, a
host-side timeout. Prints "ok N ..."/"not ok N ..." and
"parse: N passed, N failed".
"""

import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
VMM = os.path.dirname(HERE)
SAMPLE = os.path.join(HERE, "console-ok.log")


def run_parse(logscan, text, tmp, rc=0, name="case"):
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    console = os.path.join(d, "console.log")
    with open(console, "w") as f:
        f.write(text)
    out = subprocess.run([sys.executable, os.path.join(VMM, "parse.py"), console,
                          "--variant", "patched", "--machine", "gicv3",
                          "--qemu-rc", str(rc), "--seconds", "50", "--timeout", "900",
                          "--logscan", logscan, "--json", os.path.join(d, "result.json")],
                         capture_output=True, text=True)
    with open(os.path.join(d, "result.json")) as f:
        return out.returncode, out.stdout.strip(), json.load(f)


def main():
    logscan = sys.argv[1]
    with open(SAMPLE) as f:
        ok_text = f.read()
    lines = ok_text.splitlines(keepends=True)
    checks = []
    with tempfile.TemporaryDirectory() as tmp:
        rc, verdict, r = run_parse(logscan, ok_text, tmp, name="patched-gicv3")
        checks.append(("the recorded run passes", rc == 0 and r["ok"]))
        checks.append(("3 round trips, each heartbeat continues at before+1",
                       r["round_trips"] == 3 and r["resumed"] and
                       all(a == b + 1 for b, a in zip(r["heartbeat_before"],
                                                      r["heartbeat_after"]))))
        checks.append(("reset, debug_locks 1, 0 splats, QEMU version",
                       r["reset_ok"] and r["debug_locks"] == 1 and r["splats"] == 0
                       and r["qemu_version"].startswith("7.2")))
        checks.append(("a save and a restore time per trip",
                       len(r["save_s"]) == 3 and len(r["restore_s"]) == 3))
        checks.append(("the vGIC went through KVM_{GET,SET}_DEVICE_ATTR",
                       all(r["device_attr_get_save"]) and
                       all(r["device_attr_set_restore"]) and
                       r["reset_device_attr_set"]))

        i = next(n for n, l in enumerate(lines) if "ok 1 vmm" in l)
        bad = lines[:i] + ["# vmm: error: trip 2: resume: L2's heartbeat stalled\n",
                           "not ok 1 vmm # exit=1\n"] + lines[i + 1:]
        rc, verdict, r = run_parse(logscan, "".join(bad), tmp, name="error")
        checks.append(("a driver error fails the run, quoted",
                       rc == 1 and "heartbeat stalled" in verdict))

        splat = lines[:i] + ["[   40.123456] WARNING: possible circular locking "
                             "dependency detected\n"] + lines[i:]
        rc, verdict, r = run_parse(logscan, "".join(splat), tmp, name="splat")
        checks.append(("an L1 lockdep splat fails the run",
                       rc == 1 and r["splats"] == 1 and "splat" in verdict))

        l2 = lines[:i] + ["# l2| [    3.000000] WARNING: CPU: 1 PID: 1 at x.c:1 f\n"] + lines[i:]
        rc, verdict, r = run_parse(logscan, "".join(l2), tmp, name="l2splat")
        checks.append(("a splat in L2's console is L2's, not L1's",
                       rc == 0 and r["splats"] == 0 and r["l2_splats"] == 1))

        cut = "".join(lines[:i - 20])
        rc, verdict, r = run_parse(logscan, cut, tmp, name="cut")
        checks.append(("a run cut short fails", rc == 1 and r["round_trips"] < 3))

        rc, verdict, r = run_parse(logscan, cut, tmp, rc=124, name="hang")
        checks.append(("a host-side timeout is named",
                       rc == 1 and "host-side timeout" in verdict))

        out = subprocess.run([sys.executable, os.path.join(VMM, "merge.py"),
                              "--vmm-dir", tmp, "--variants", "patched",
                              "--machines", "gicv3", "--json",
                              os.path.join(tmp, "vmm.json")], capture_output=True)
        table = subprocess.run([sys.executable, os.path.join(VMM, "table.py"),
                                os.path.join(tmp, "vmm.json")],
                               capture_output=True, text=True).stdout
        checks.append(("merge.py and table.py: one row, passed",
                       out.returncode == 0 and
                       bool(re.search(r"^patched +gicv3 +3/3 +yes .* ok$", table, re.M))))

        out = subprocess.run([sys.executable, os.path.join(VMM, "merge.py"),
                              "--vmm-dir", tmp, "--variants", "patched",
                              "--machines", "gicv3", "--json", tmp],
                             capture_output=True, text=True)
        checks.append(("merge.py: an unwritable --json is one error line, exit 2",
                       out.returncode == 2 and
                       out.stderr.startswith("merge: error: ") and
                       len(out.stderr.splitlines()) == 1))

    passed = 0
    for n, (what, ok) in enumerate(checks, 1):
        print(f"{'ok' if ok else 'not ok'} {n} {what}")
        passed += bool(ok)
    print(f"parse: {passed} passed, {len(checks) - passed} failed")
    return 0 if passed == len(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
