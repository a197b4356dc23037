#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn one VMM run's L1 console into result.json and a verdict.

Reads the console that run.sh wrote: the runner's KTAP (our /init), the
driver's "vmm-json: {...}" lines (boot, trip, reset, summary) and its
"vmm: error: ..." line, the runner's debug_locks, and the kernel log. The
host's log scanner counts splats in L1's own log; L2's console (relayed
as "l2| ") is scanned apart, as l2_splats.

Prints one verdict line; exits 0 when the run passed (the flow completed,
zero L1 splats, debug_locks 1), 1 when it did not.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

PREFIX = "# "           # the runner puts every line of a test behind it


def scan(logscan, text):
    """Splat lines in @text, by the host's logscan."""
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        out = subprocess.run([logscan, path], check=True, capture_output=True,
                             text=True).stdout
    finally:
        os.unlink(path)
    hits = []
    for line in out.splitlines():
        kind, _, text = line.partition("\t")
        hits.append({"kind": kind, "line": text})
    return hits


def parse(text):
    """Everything the driver and the runner said, as a dict."""
    r = {"events": [], "error": None, "qemu_version": None, "debug_locks": None,
         "runner_done": False, "driver_result": None, "l2_console": [],
         "l1_panic": False}
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if re.match(r"^\[ *[0-9.]+\] Kernel panic - not syncing", line):
            r["l1_panic"] = True
        if line.startswith("# vcpulock: runner done"):
            r["runner_done"] = True
        m = re.match(r"^# vcpulock: debug_locks (\d+|unknown)$", line)
        if m:
            r["debug_locks"] = None if m.group(1) == "unknown" else int(m.group(1))
        m = re.match(r"^(not ok|ok) \d+ vmm\b(.*)$", line)
        if m:
            r["driver_result"] = (m.group(1), m.group(2).strip())
        if not line.startswith(PREFIX):
            continue
        body = line[len(PREFIX):]
        if body.startswith("l2| "):
            r["l2_console"].append(body[4:])
        elif body.startswith("vmm-json: "):
            try:
                r["events"].append(json.loads(body[len("vmm-json: "):]))
            except ValueError:
                r["events"].append({"event": "unparsable", "line": body})
        elif body.startswith("vmm: error: "):
            r["error"] = body[len("vmm: error: "):]
        elif body.startswith("vmm: qemu_version "):
            r["qemu_version"] = body[len("vmm: qemu_version "):]
    return r


def result(p, args, splats, l2_splats):
    trips = [e for e in p["events"] if e.get("event") == "trip"]
    boot = next((e for e in p["events"] if e.get("event") == "boot"), {})
    reset = next((e for e in p["events"] if e.get("event") == "reset"), {})
    summary = next((e for e in p["events"] if e.get("event") == "summary"), {})
    return {
        "variant": args.variant,
        "machine": args.machine,
        "qemu_version": p["qemu_version"] or summary.get("qemu_version"),
        "qemu_package": args.package_version or None,
        "root_fs": args.root_fs,
        "msi_chip": summary.get("msi_chip"),
        "round_trips": len(trips),
        "trips_wanted": summary.get("trips_wanted"),
        "resumed": bool(summary.get("resumed")) and len(trips) >= 3,
        "heartbeat_before": [t["heartbeat_before"] for t in trips],
        "heartbeat_after": [t["heartbeat_after"] for t in trips],
        "save_s": [t["save_s"] for t in trips],
        "restore_s": [t["restore_s"] for t in trips],
        "trips": trips,
        "device_attr_get_save": [t.get("device_attr_save", {}).get("get")
                                 for t in trips],
        "device_attr_set_restore": [t.get("device_attr_restore", {}).get("set")
                                    for t in trips],
        "reset_device_attr_set": reset.get("device_attr", {}).get("set"),
        "boot_s": boot.get("seconds"),
        "reset_ok": bool(summary.get("reset_ok")),
        "reset_s": reset.get("seconds"),
        "splats": len(splats),
        "splat_lines": splats,
        "l2_splats": len(l2_splats),
        "l2_splat_lines": l2_splats,
        "debug_locks": p["debug_locks"],
        "runner_done": p["runner_done"],
        "l1_qemu_rc": args.qemu_rc,
        "l1_seconds": args.seconds,
        "fault": summary.get("fault", "none"),
        "failed_step": summary.get("failed_step") or None,
        "error": None,
    }


def verdict(p, res, args):
    """None when the run passed, else the reason."""
    if args.qemu_rc in (124, 137):
        return (f"hang: the L1 QEMU was killed after {args.timeout}s "
                f"(host-side timeout)")
    if p["l1_panic"]:
        return "the L1 kernel panicked"
    if p["error"]:
        return p["error"]
    if not p["runner_done"]:
        return (f"the L1 runner did not finish (L1 QEMU exit status "
                f"{args.qemu_rc})")
    if args.qemu_rc != 0:
        return f"the L1 QEMU exited with status {args.qemu_rc}"
    if not p["driver_result"]:
        return "the VMM driver never reported (no 'ok 1 vmm' line)"
    if p["driver_result"][0] != "ok":
        return f"the VMM driver failed: {p['driver_result'][1] or 'no reason'}"
    if not res["resumed"] or res["round_trips"] < 3:
        return f"only {res['round_trips']} round trips resumed"
    if not res["reset_ok"]:
        return "system_reset did not bring L2 back"
    if res["splats"]:
        kinds = sorted({s["kind"] for s in res["splat_lines"]})
        return f"{res['splats']} splat lines in L1's log ({', '.join(kinds)})"
    if res["debug_locks"] != 1:
        return f"debug_locks is {res['debug_locks']} after the run"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("console")
    ap.add_argument("--variant", required=True)
    ap.add_argument("--machine", required=True)
    ap.add_argument("--qemu-rc", type=int, default=0)
    ap.add_argument("--seconds", type=int)
    ap.add_argument("--timeout", type=int)
    ap.add_argument("--root-fs", default="ext4")
    ap.add_argument("--package-version", default="")
    ap.add_argument("--logscan", required=True)
    ap.add_argument("--json", required=True)
    args = ap.parse_args()

    with open(args.console, errors="replace") as f:
        text = f.read()
    p = parse(text)
    l1_only = "\n".join(l for l in text.splitlines()
                        if not l.startswith(PREFIX + "l2| "))
    splats = scan(args.logscan, l1_only)
    l2_splats = scan(args.logscan, "\n".join(p["l2_console"]))
    res = result(p, args, splats, l2_splats)
    why = verdict(p, res, args)
    res["error"] = why
    res["ok"] = why is None
    with open(args.json, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    with open(os.path.join(os.path.dirname(args.json), "l2-console.log"), "w") as f:
        f.write("\n".join(p["l2_console"]) + "\n")
    if why:
        print(why)
        return 1
    print(f"ok: {res['round_trips']} round trips resumed, reset ok, "
          f"{res['splats']} splats, debug_locks {res['debug_locks']} "
          f"({args.seconds}s)")
    return 0


def run():
    """main(), with an input or output problem as one line, not a traceback."""
    try:
        return main()
    except (OSError, ValueError, subprocess.CalledProcessError) as e:
        print(f"parse: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(run())
