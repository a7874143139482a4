#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reads each preset's ctest log and prints, per backend, every cmocka
suite with its run/passed/skipped/failed counts and the test names; fails
if a preset ran a different set of test files or test cases than `linux`
(the contract: the Windows run executes the same tests as the Linux run).

Usage: scripts/test-inventory.py build/linux build/linux-asan build/windows
"""
import re
import sys


def inventory(build_dir):
    log = open(f"{build_dir}/Testing/Temporary/LastTest.log", errors="replace").read()
    suites = {}
    current = None
    for line in log.splitlines():
        # Each ctest test's output starts here: a test that is not a
        # harness suite (no "[ backend ]" line, e.g. a Linux-only one) must
        # not count into the suite whose output came before it.
        if re.match(r"\d+/\d+ Testing: ", line):
            current = None
            continue
        m = re.match(r"\[ backend  \] (\S+) suite on the (\S+) backend", line)
        if m:
            current = suites.setdefault(m.group(1), {
                "backend": m.group(2), "cases": set(), "run": 0,
                "passed": 0, "skipped": 0, "failed": 0})
            continue
        if current is None:
            continue
        m = re.match(r"\[ RUN      \] (\S+)", line)
        if m:
            current["cases"].add(m.group(1))
        for key, pat in (("run", r"\[==========\] (\d+) test\(s\) run"),
                         ("passed", r"\[  PASSED  \] (\d+) test"),
                         ("skipped", r"\[  SKIPPED \] (\d+) test"),
                         ("failed", r"\[  FAILED  \] (\d+) test")):
            m = re.match(pat, line)
            if m:
                current[key] = int(m.group(1))
    return suites


def main(dirs):
    status = 0
    reference = None
    grand = {"passed": 0, "failed": 0, "skipped": 0}
    for d in dirs:
        suites = inventory(d)
        total = {k: sum(s[k] for s in suites.values())
                 for k in ("run", "passed", "skipped", "failed")}
        backends = sorted({s["backend"] for s in suites.values()})
        print(f"{d}: {len(suites)} suites on {'/'.join(backends)}: "
              f"{total['passed']} passed, {total['failed']} failed, "
              f"{total['skipped']} skipped ({total['run']} run)")
        for name in sorted(suites):
            s = suites[name]
            print(f"  {name:18} {s['passed']:3} passed {s['skipped']:2} skipped "
                  f"{s['failed']:2} failed")
        for k in grand:
            grand[k] += total[k]
        if total["failed"]:
            status = 1
        cases = {(n, c) for n, s in suites.items() for c in s["cases"]}
        if reference is None:
            reference = (d, cases)
        elif cases != reference[1]:
            print(f"FAIL: {d} ran different tests than {reference[0]}:")
            for n, c in sorted(cases ^ reference[1]):
                print(f"  {n}: {c}")
            status = 1
    if status == 0:
        print("same test files and test cases on every preset")
    with open("build/test-totals.txt", "w") as f:
        f.write(f"tests: {grand['passed']} passed, {grand['failed']} failed, "
                f"{grand['skipped']} skipped\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
