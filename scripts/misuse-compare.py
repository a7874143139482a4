#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compares the outputs of the misuse suite (tests/test_misuse.c) of two
backends line for line.

Usage: scripts/misuse-compare.py LINUX_FILE WINDOWS_FILE

Each case line is "<description> -> <outcome>"; the last line of a file is
"misuse: N cases". Cases are matched by description (the k-th occurrence
of a description in one file with the k-th in the other), so a case missing
from one side shows as one differing line rather than shifting the rest.

Prints both case counts, then each differing case as

    - linux: <description> -> <linux outcome>
    + windows: <description> -> <windows outcome>

(in the Linux file's order, then cases only Windows has), then the summary
"misuse: N cases, D differing lines". Exits 1 if D > 0, if the case counts
differ, or if a file is missing, empty or has no case count; else 0.
"""
import signal
import sys

SEP = " -> "
TRAILER = "misuse: "


def load(path, label):
    """Returns (cases, declared count): cases as [(key, description,
    outcome)], key = (description, occurrence)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [ln.rstrip("\r\n") for ln in f]
    except OSError as e:
        sys.exit(f"misuse-compare: {label} file {path}: {e.strerror}")
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        sys.exit(f"misuse-compare: {label} file {path} is empty")
    declared = None
    if lines[-1].startswith(TRAILER) and SEP not in lines[-1]:
        try:
            declared = int(lines[-1][len(TRAILER):].split()[0])
        except (ValueError, IndexError):
            declared = None
        lines = lines[:-1]
    cases, seen = [], {}
    for ln in lines:
        desc, sep, outcome = ln.rpartition(SEP)
        if not sep:
            desc, outcome = ln, "(no outcome)"
        n = seen.get(desc, 0)
        seen[desc] = n + 1
        cases.append(((desc, n), desc, outcome))
    return cases, declared


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: misuse-compare.py LINUX_FILE WINDOWS_FILE")
    linux, lcount = load(argv[1], "linux")
    windows, wcount = load(argv[2], "windows")
    status = 0
    for label, cases, count in (("linux", linux, lcount),
                                ("windows", windows, wcount)):
        note = ""
        if count is None:
            note = " (no 'misuse: N cases' line: incomplete run?)"
            status = 1
        elif count != len(cases):
            note = f" (file says {count})"
            status = 1
        print(f"{label}: {len(cases)} cases{note}")
    if len(linux) != len(windows):
        print(f"case counts differ: linux {len(linux)}, windows {len(windows)}")
        status = 1

    wmap = {key: outcome for key, _, outcome in windows}
    lkeys = set()
    differing = 0
    for key, desc, outcome in linux:
        lkeys.add(key)
        other = wmap.get(key)
        if other == outcome:
            continue
        differing += 1
        print(f"- linux: {desc}{SEP}{outcome}")
        if other is None:
            print(f"+ windows: {desc} (case missing)")
        else:
            print(f"+ windows: {desc}{SEP}{other}")
    for key, desc, outcome in windows:
        if key not in lkeys:
            differing += 1
            print(f"- linux: {desc} (case missing)")
            print(f"+ windows: {desc}{SEP}{outcome}")

    total = max(len(linux), len(windows))
    print(f"misuse: {total} cases, {differing} differing lines")
    if differing:
        status = 1
    return status


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):  # quiet under `| head`
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main(sys.argv))
