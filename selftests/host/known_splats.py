#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Match splats against selftests/configs/known-upstream-splats.list.

known_splats.py LIST < logscan-output: print "REASON<TAB>SPLAT" for every
splat that a known upstream pattern matches. Exit 0 when there are splats
and every one is known (a boot worth repeating), 1 when there is none or
any unknown one (never repeat a boot that found something new), 2 when
LIST is malformed.
"""

import sys


def load(path):
    """[(pattern, reason)]; a line without both is an error."""
    known = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            pattern, _, reason = line.partition("\t")
            if not pattern.strip() or not reason.strip():
                raise ValueError(f"{path}:{n}: want PATTERN<TAB>REASON")
            known.append((pattern, reason.strip()))
    return known


def classify(scan_lines, known):
    """Split logscan's "KIND<TAB>LINE" hits into ([(reason, line)], [line])."""
    hits, unknown = [], []
    for line in scan_lines:
        _, _, text = line.rstrip("\n").partition("\t")
        reason = next((r for p, r in known if p in text), None)
        if reason is None:
            unknown.append(text)
        else:
            hits.append((reason, text))
    return hits, unknown


def main():
    if len(sys.argv) != 2:
        print("usage: known_splats.py LIST < logscan-output", file=sys.stderr)
        return 2
    try:
        known = load(sys.argv[1])
    except (OSError, ValueError) as e:
        print(f"known_splats: {e}", file=sys.stderr)
        return 2
    hits, unknown = classify(sys.stdin, known)
    for reason, text in hits:
        print(f"{reason}\t{text}")
    return 0 if hits and not unknown else 1


if __name__ == "__main__":
    sys.exit(main())
