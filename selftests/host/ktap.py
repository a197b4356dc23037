#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Parse the vcpulock runner's KTAP out of a QEMU console log.

The console carries the kernel's printk output as well as the runner's, and
the two interleave: whole kernel lines between the runner's, and now and then
a kernel line landing in the middle of one of the runner's. Kernel lines are
recognised by their printk timestamp and dropped; a runner line cut by one
is glued back together.

    parse(text) -> {
        "plan": N or None,
        "tests": [{"num", "name", "result", "directive", "log", "ms"}],
        "splats": [{"kind", "line"}],
        "splat_counts": {kind: N} or None,
        "debug_locks": int or None,
        "kernel": str or None,
        "runner_done": bool,
        "bailout": str or None,
    }

"result" is "pass", "fail", "skip" or "timeout". "log" holds the "# "
lines a test printed, prefix removed; "ms" is how long it ran, from the
runner's "time NAME MS ms" line (None without one). A run that died (panic, QEMU
timeout) has runner_done False and usually fewer tests than planned.

    python3 ktap.py CONSOLE_LOG    prints the parse as JSON
"""

import json
import re
import sys

# printk's "[   12.345678]", maybe with CONFIG_PRINTK_CALLER's "[  T123]"
_STAMP = re.compile(r"\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])? ")
_KERNEL_LINE = re.compile(r"(?:<\d+>)?\[\s*\d+\.\d+\]")

_RESULT = re.compile(r"(not ok|ok) (\d+)(?: (.*?))?(?: # (.*))?$")
_PLAN = re.compile(r"1\.\.(\d+)(?:\s|$)")
_DIAG = "# vcpulock: "
_SPLAT = re.compile(r"# vcpulock: splat (\w+): (.*)$")
_TEST_START = "# selftests: kvm: "


def _runner_lines(text):
    """Yield the runner's lines, kernel output taken out."""
    pending = ""
    for line in text.splitlines():
        line = line.rstrip("\r")
        if _KERNEL_LINE.match(line):
            continue
        # The runner quotes kernel lines in its splat reports: keep whole.
        if not line.startswith(_DIAG):
            m = _STAMP.search(line, 1)
            if m:
                pending += line[:m.start()]
                continue
        yield pending + line
        pending = ""
    if pending:
        yield pending


def _result(ok, directive):
    word = directive.split(" ", 1)[0].upper()
    if word == "SKIP":
        return "skip"
    if ok:
        return "pass"
    if word == "TIMEOUT":
        return "timeout"
    return "fail"


def _new_run():
    return {
        "plan": None,
        "tests": [],
        "splats": [],
        "splat_counts": None,
        "debug_locks": None,
        "kernel": None,
        "runner_done": False,
        "bailout": None,
    }


def parse(text):
    """Parse a console log; see the module docstring for the result."""
    run = _new_run()
    started = False
    log = []
    ms = None

    for line in _runner_lines(text):
        if line.startswith("KTAP version ") or line.startswith("TAP version "):
            # A second run in the same log (no -no-reboot): keep the last.
            run = _new_run()
            started = True
            log = []
            continue
        if not started:
            continue

        if line.startswith("Bail out!"):
            run["bailout"] = line[len("Bail out!"):].strip()
            continue

        m = _RESULT.match(line)
        if m:
            directive = (m.group(4) or "").strip()
            run["tests"].append({
                "num": int(m.group(2)),
                "name": (m.group(3) or "").strip(),
                "result": _result(m.group(1) == "ok", directive),
                "directive": directive,
                "log": log,
                "ms": ms,
            })
            log = []
            ms = None
            continue

        m = _PLAN.match(line)
        if m and run["plan"] is None:
            run["plan"] = int(m.group(1))
            continue

        if line.startswith(_TEST_START):
            log = []
            continue

        if line.startswith(_DIAG):
            m = _SPLAT.match(line)
            diag = line[len(_DIAG):]
            if m:
                run["splats"].append({"kind": m.group(1),
                                      "line": m.group(2)})
            elif diag.startswith("splats "):
                run["splat_counts"] = {
                    k: int(v) for k, v in
                    (f.split("=", 1) for f in diag.split()[1:] if "=" in f)
                }
            elif diag.startswith("debug_locks "):
                # The runner says "unknown" for its -1; keep any number.
                value = diag.split(" ", 1)[1].strip()
                run["debug_locks"] = (int(value) if re.fullmatch(r"-?\d+", value)
                                      else None)
            elif re.fullmatch(r"time \S+ \d+ ms", diag):
                ms = int(diag.split()[2])
            elif diag == "runner done":
                run["runner_done"] = True
            elif diag.startswith("kernel ") and run["kernel"] is None:
                run["kernel"] = diag[len("kernel "):]
            log.append(line[2:])
            continue

        if line.startswith("# "):
            log.append(line[2:])
        elif line == "#":
            log.append("")
        elif line:
            # Not KTAP: a fragment of something; keep it with the test.
            log.append(line)

    return run


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: ktap.py CONSOLE_LOG\n")
        return 2
    try:
        if argv[1] == "-":
            text = sys.stdin.read()
        else:
            with open(argv[1], encoding="utf-8", errors="replace") as f:
                text = f.read()
    except OSError as e:
        sys.stderr.write("ktap.py: %s\n" % e)
        return 1
    json.dump(parse(text), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
