#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that a bsdsock-bench --json file is complete.

Every scenario x arm x metric the harness knows must be present exactly once,
either with numbers (finite medians, p50, p99, a non-empty list of runs) or
explicitly skipped with a reason. A run that failed (reason "FAILED: ...") is
an error. It checks completeness, not speed.

usage: check-json.py FILE [--scenarios NAME,NAME...]
  --scenarios  check only these scenarios (for a run with --scenario)
Exit status 0 when complete, 1 otherwise (each problem is printed).
"""
import json
import math
import sys

STD = ["raw", "bsdsock", "libuv"]
BATCH = ["raw", "raw-mmsg", "bsdsock", "libuv"]
READY = ["raw-poll", "raw-select", "bsdsock-poll", "bsdsock-select", "libuv"]
UDP = ["sent", "received"]

# scenario -> (arms, metrics); keep in step with bench/main.c.
EXPECTED = {
    "tcp_pingpong_1B": (STD, ["round_trips", "rtt"]),
    "tcp_pingpong_64B": (STD, ["round_trips", "rtt"]),
    "tcp_stream_8KiB": (STD, ["throughput"]),
    "tcp_stream_64KiB": (STD, ["throughput"]),
    "udp_oneway_64B": (STD, UDP),
    "udp_batch_1": (BATCH, UDP),
    "udp_batch_8": (BATCH, UDP),
    "udp_batch_32": (BATCH, UDP),
    "udp_batch_64": (BATCH, UDP),
    "tcp_churn": (STD, ["connections"]),
    "sendrecv_cost": (STD, ["send_recv"]),
    "ready_100": (READY, ["call"]),
    "ready_1000": (READY, ["call"]),
    "ready_10000": (READY, ["call"]),
}

REQUIRED = ["scenario", "arm", "platform", "metric", "unit", "median", "p50",
            "p99", "runs"]


def is_number(v):
    return (isinstance(v, (int, float)) and not isinstance(v, bool)
            and math.isfinite(v))


def check_record(i, rec, problems):
    """Appends the problems of one record; returns its key or None."""
    where = "record %d" % i
    if not isinstance(rec, dict):
        problems.append("%s: not an object" % where)
        return None
    missing = [k for k in REQUIRED if k not in rec]
    if missing:
        problems.append("%s: missing %s" % (where, ", ".join(missing)))
        return None
    where = "%s/%s/%s" % (rec["scenario"], rec["arm"], rec["metric"])
    if rec.get("skipped"):
        reason = rec.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.append("%s: skipped without a reason" % where)
        elif reason.startswith("FAILED"):
            problems.append("%s: %s" % (where, reason))
    else:
        for k in ("median", "p50", "p99"):
            if not is_number(rec[k]) or rec[k] < 0:
                problems.append("%s: %s is %r, not a number" %
                                (where, k, rec[k]))
        runs = rec["runs"]
        if (not isinstance(runs, list) or not runs
                or not all(is_number(v) for v in runs)):
            problems.append("%s: runs is %r, not a list of numbers" %
                            (where, runs))
    return (rec["scenario"], rec["arm"], rec["metric"])


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    path, only = argv[1], None
    if len(argv) == 4 and argv[2] == "--scenarios":
        only = set(argv[3].split(","))
    elif len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: cannot read JSON: %s" % (path, e))
        return 1
    if not isinstance(data, list):
        print("%s: not a JSON array" % path)
        return 1

    problems, seen = [], {}
    for i, rec in enumerate(data):
        key = check_record(i, rec, problems)
        if key is not None:
            seen[key] = seen.get(key, 0) + 1
    platforms = {r.get("platform") for r in data if isinstance(r, dict)}
    if len(platforms) > 1:
        problems.append("several platforms in one file: %s" %
                        sorted(map(str, platforms)))

    expected = set()
    for scenario, (arms, metrics) in EXPECTED.items():
        if only is not None and scenario not in only:
            continue
        expected.update((scenario, a, m) for a in arms for m in metrics)
    for key in sorted(expected):
        if key not in seen:
            problems.append("%s/%s/%s: missing (neither figures nor a "
                            "skip reason)" % key)
    for key, count in sorted(seen.items()):
        if count > 1:
            problems.append("%s/%s/%s: %d records" % (key + (count,)))
        if key not in expected and (only is None or key[0] in only):
            problems.append("%s/%s/%s: not a known scenario/arm/metric "
                            "(update EXPECTED in check-json.py)" % key)

    skipped = sum(1 for r in data if isinstance(r, dict) and r.get("skipped"))
    if problems:
        for p in problems:
            print("check-json: " + p)
        print("check-json: %s: %d problem(s)" % (path, len(problems)))
        return 1
    print("check-json: %s: complete, %d records (%d skipped with a reason) "
          "on %s" % (path, len(data), skipped, ", ".join(map(str, platforms))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
