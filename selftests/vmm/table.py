#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print build/vmm.json as a table, to stand beside the A/B table.

    python3 selftests/vmm/table.py build/vmm.json [--markdown]

One row per variant x machine: round trips resumed, the heartbeat before
and after each trip, the seconds of each save and restore, how many
KVM_GET_DEVICE_ATTR a save and KVM_SET_DEVICE_ATTR a restore took (QEMU's
kvm_device_ioctl trace; one number when every trip agrees), the reset,
L1's splats and debug_locks, L1's wall time and the verdict. Prints a
note, not an error, when the file is missing (make vmm was not run).
"""

import argparse
import json
import sys


def fmt_list(xs, f="{}"):
    return " ".join(f.format(x) for x in xs) if xs else "-"


def attrs(r):
    """KVM_GET_DEVICE_ATTR per save / KVM_SET_DEVICE_ATTR per restore."""
    g = sorted({x for x in r.get("device_attr_get_save", []) if x is not None})
    s = sorted({x for x in r.get("device_attr_set_restore", []) if x is not None})
    if not g and not s:
        return "-"
    return f"{','.join(map(str, g)) or '-'}/{','.join(map(str, s)) or '-'}"


def rows(doc):
    for r in doc["runs"]:
        hb = " ".join(f"{b}>{a}" for b, a in zip(r.get("heartbeat_before", []),
                                                 r.get("heartbeat_after", [])))
        yield {
            "variant": r["variant"], "machine": r["machine"],
            "trips": f"{r.get('round_trips', 0)}/{r.get('trips_wanted') or 3}",
            "resumed": "yes" if r.get("resumed") else "no",
            "hb": hb or "-",
            "save": fmt_list(r.get("save_s", []), "{:.2f}"),
            "restore": fmt_list(r.get("restore_s", []), "{:.2f}"),
            "attrs": attrs(r),
            "reset": "ok" if r.get("reset_ok") else "no",
            "splats": "-" if r.get("splats") is None else str(r["splats"]),
            "lockdep": "-" if r.get("debug_locks") is None else str(r["debug_locks"]),
            "secs": str(r.get("l1_seconds", "-")),
            "verdict": "ok" if r.get("ok") else f"FAIL: {r.get('error')}",
        }


COLS = [("variant", "variant", "<"), ("machine", "machine", "<"),
        ("trips", "trips", ">"), ("resumed", "resumed", "<"),
        ("hb", "heartbeat before>after", "<"), ("save", "save s", "<"),
        ("restore", "restore s", "<"), ("attrs", "GET/SET_DEVICE_ATTR", ">"),
        ("reset", "reset", "<"),
        ("splats", "splats", ">"), ("lockdep", "debug_locks", ">"),
        ("secs", "L1 secs", ">"), ("verdict", "verdict", "<")]


def render(doc, markdown=False):
    """The table of a vmm.json document, as text."""
    rs = list(rows(doc))
    ver = doc.get("qemu_version")
    title = (f"VMM migration: Debian's arm64 QEMU {ver} in the lockdep L1, "
             f"L2 saved to a file and restored, then system_reset")
    out = []
    if markdown:
        out += [title, "",
                "| " + " | ".join(h for _, h, _ in COLS) + " |",
                "|" + "|".join("---:" if a == ">" else "---" for _, _, a in COLS) + "|"]
        out += ["| " + " | ".join(r[k] for k, _, _ in COLS) + " |" for r in rs]
    else:
        width = {k: max([len(h)] + [len(r[k]) for r in rs]) for k, h, _ in COLS}
        out += [title, "  ".join(f"{h:{a}{width[k]}}" for k, h, a in COLS).rstrip()]
        out += ["  ".join(f"{r[k]:{a}{width[k]}}" for k, _, a in COLS).rstrip()
                for r in rs]
    out += [f"problem: {p}" for p in doc.get("problems", [])]
    out += [f"finding: {fd['run']}: {fd['error']} (evidence: {fd['console']})"
            for fd in doc.get("findings", [])]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("json")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    try:
        with open(args.json) as f:
            doc = json.load(f)
    except OSError:
        print(f"VMM migration: no {args.json} (run: make vmm)")
        return 0
    except ValueError as e:
        print(f"table: error: {args.json}: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(render(doc, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
