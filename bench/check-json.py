#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks a bsdsock-bench --json file, and optionally the table printed with it.

The JSON: every scenario x arm x metric the harness knows must be present
exactly once, either with numbers (finite median, spread, p50, p99, a
non-empty list of runs) or explicitly skipped with a reason. A run that
failed (reason "FAILED: ...") is an error. Each record's figures must be what
its runs give (median, spread), and each ratio what the two records give.

The table (--table, the harness's stdout): every printed ratio must be the
ratio of the two medians printed on its row (to the ratio's printed
precision), so that a reader dividing them gets the same number; every
printed median, spread and paired ratio must be the JSON's; every table
metric of every scenario in the JSON must have its row.

It checks consistency and completeness, not speed.

usage: check-json.py FILE [--scenarios NAME,NAME...] [--table TABLE]
  --scenarios  check only these scenarios (for a run with --scenario)
  --table      also check TABLE, the stdout of the run that wrote FILE
Exit status 0 when all is well, 1 otherwise (each problem is printed).
"""
import argparse
import json
import math
import re
import statistics
import sys
from decimal import Decimal

STD = ["raw", "bsdsock", "libuv"]
BATCH = ["raw", "raw-mmsg", "bsdsock", "libuv"]
READY = ["raw-poll", "raw-select", "bsdsock-poll", "bsdsock-select", "libuv"]
# The poller's raw arm: raw-epoll, or raw-wsapoll on Windows (no epoll).
POLLER = ["raw-epoll", "bsdsock", "libuv"]
# remote_sendrecv: the local ping-pong and the forwarded one (bsdsockd).
REMOTE = ["raw", "bsdsock", "bsdsock-remote"]
PINGPONG = ["round_trips", "rtt_p50", "rtt_p99"]
UDP = ["sent", "received", "loss"]

# scenario -> (arms, metrics); keep in step with bench/main.c.
EXPECTED = {
    "tcp_pingpong_1B": (STD, PINGPONG),
    "tcp_pingpong_64B": (STD, PINGPONG),
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
    "poller_100": (POLLER, ["call"]),
    "poller_1000": (POLLER, ["call"]),
    "poller_10000": (POLLER, ["call"]),
    "remote_sendrecv": (REMOTE, PINGPONG),
}

# The table's rows (bench/main.c): metrics that are only in the JSON, the
# one printed only when it differs from the metric above it, and the arms
# of the raw, bsdsock and libuv columns for a scenario's variant.
JSON_ONLY = {"round_trips", "loss"}
ROW_IF_DIFFERENT = {"received": "sent"}
COLUMNS = {
    "": ("raw", "bsdsock", "libuv"),
    "poll": ("raw-poll", "bsdsock-poll", "libuv"),
    "select": ("raw-select", "bsdsock-select", None),
    "epoll": ("raw-epoll", "bsdsock", "libuv"),
    "wsapoll": ("raw-wsapoll", "bsdsock", "libuv"),
}


def windows(platform):
    return str(platform).startswith("windows")


def arm_here(arm, platform):
    """The arm's name on this platform: Windows has no epoll, its poller
    scenarios' raw arm is WSAPoll (raw-wsapoll)."""
    return "raw-wsapoll" if arm == "raw-epoll" and windows(platform) else arm


def variants(scenario, platform):
    """The table rows' variants of a scenario (bench/main.c, rows_of)."""
    if scenario.startswith("ready_"):
        return ["poll", "select"]
    if scenario.startswith("poller_"):
        return ["wsapoll" if windows(platform) else "epoll"]
    return [""]

REQUIRED = ["scenario", "arm", "platform", "metric", "unit", "median",
            "spread_pct", "p50", "p99", "runs", "run"]

# A ratio of medians rounds each median to four significant figures first
# (the table's rounding): up to 0.05 % each, so 0.1 % for the ratio.
MEDIAN_ROUNDING = 1.1e-3


def is_number(v):
    return (isinstance(v, (int, float)) and not isinstance(v, bool)
            and math.isfinite(v))


def close(a, b, rel=1e-6, absolute=1e-9):
    """a and b equal but for the JSON's nine significant figures."""
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), absolute)


def oriented(higher_better, bsd, other):
    """bsdsock against another figure, > 1 in bsdsock's favour."""
    if bsd <= 0 or other <= 0:
        return math.nan
    return bsd / other if higher_better else other / bsd


# ---- the JSON ----------------------------------------------------------------

def check_figures(where, rec, problems):
    """A measured record: its figures are numbers, and what its runs give."""
    for k in ("median", "spread_pct", "p50", "p99"):
        if k == "spread_pct" and rec[k] is None and rec["median"] == 0:
            continue  # relative to a median of 0: none (a loss of 0 %)
        if not is_number(rec[k]) or (rec[k] < 0 and rec["metric"] != "loss"):
            problems.append("%s: %s is %r, not a number" % (where, k, rec[k]))
            return
    runs = rec["runs"]
    if (not isinstance(runs, list) or not runs
            or not all(is_number(v) for v in runs)):
        problems.append("%s: runs is %r, not a list of numbers" %
                        (where, runs))
        return
    if not close(rec["median"], statistics.median(runs)):
        problems.append("%s: median %r is not the median of the runs %r" %
                        (where, rec["median"], statistics.median(runs)))
    mid = statistics.median(runs)
    if mid != 0 and not is_number(rec["spread_pct"]):
        problems.append("%s: spread_pct %r with a median of %r" %
                        (where, rec["spread_pct"], mid))
    elif mid != 0 and not close(rec["spread_pct"],
                              (max(runs) - min(runs)) / abs(mid) * 100, 1e-5):
        problems.append("%s: spread_pct %r is not (max - min) / median" %
                        (where, rec["spread_pct"]))


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
        check_figures(where, rec, problems)
    return (rec["scenario"], rec["arm"], rec["metric"])


def check_ratio(where, bsd, other, q, problems):
    """One entry of a bsdsock record's "ratios" against the other record."""
    if bsd.get("skipped") or other.get("skipped"):
        if any(q.get(k) is not None for k in ("of_medians", "paired")):
            problems.append("%s: a ratio with a skipped arm" % where)
        return
    hb = bsd["higher_is_better"]
    want = oriented(hb, bsd["median"], other["median"])
    if not is_number(q.get("of_medians")) or not close(
            q["of_medians"], want, MEDIAN_ROUNDING):
        problems.append("%s: of_medians %r, the medians give %r" %
                        (where, q.get("of_medians"), want))
    per_rep = [oriented(hb, b, o) for b, o in zip(bsd["runs"], other["runs"])]
    if len(bsd["runs"]) != len(other["runs"]):
        return
    for k, want in (("paired", statistics.median(per_rep)),
                    ("paired_min", min(per_rep)),
                    ("paired_max", max(per_rep))):
        if not is_number(q.get(k)) or not close(q[k], want):
            problems.append("%s: %s %r, the runs give %r" %
                            (where, k, q.get(k), want))


def check_ratios(by_key, problems):
    for (scenario, arm, metric), rec in sorted(by_key.items()):
        for vs, q in sorted(rec.get("ratios", {}).items()):
            where = "%s/%s/%s vs %s" % (scenario, arm, metric, vs)
            other = by_key.get((scenario, vs, metric))
            if other is None:
                problems.append("%s: no record of %s" % (where, vs))
            elif isinstance(q, dict):
                check_ratio(where, rec, other, q, problems)
            else:
                problems.append("%s: not an object" % where)


# ---- the table -----------------------------------------------------------------

def half_unit(text):
    """Half a unit of the last digit printed in text ("1.005" -> 0.0005)."""
    return 0.5 * 10.0 ** Decimal(text.rstrip("%")).as_tuple().exponent


def number(text):
    return None if text in ("-", "skipped") else float(text.rstrip("%"))


def agrees(printed, value, slack=1e-9):
    """Whether printed is value rounded the way the table rounds."""
    return abs(float(printed.rstrip("%")) - value) <= (
        half_unit(printed) * (1 + 1e-6) + slack * abs(value))


def parse_table(text):
    """[(label, metric, unit, arms[3] as (median, spread), cmps[2] as
    (ratio, paired))] and the notes, from the harness's stdout."""
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines)
                  if l.startswith("scenario ")), None)
    if start is None:
        return None, None
    rows, notes = [], []
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        if line.startswith(" "):
            notes.append((rows[-1][0] if rows else None, line.strip()))
            continue
        f = re.split(r" {2,}", line.strip())
        metric, _, unit = f[1].partition(" ")
        rows.append((f[0], metric, unit, [(f[2], f[3]), (f[4], f[5]),
                                          (f[6], f[7])],
                     [(f[8], f[9]), (f[10], f[11])]) if len(f) == 12
                    else (f[0], None, None, f, None))
    return rows, notes


def check_row_ratios(where, unit, arms, cmps, problems,
                     names=("raw", "libuv")):
    """Each printed ratio against the two medians printed on the row."""
    higher_better = unit.endswith("/s")
    bsd = number(arms[1][0])
    for (other, _), (ratio, _), name in zip((arms[0], arms[2]), cmps, names):
        o = number(other)
        if bsd is None or o is None:
            if ratio != "-":
                problems.append("%s: ratio vs %s %s without two medians" %
                                (where, name, ratio))
            continue
        want = oriented(higher_better, bsd, o)
        if ratio == "-" or not agrees(ratio, want):
            problems.append("%s: ratio vs %s printed %s, the printed "
                            "medians give %.6g" % (where, name, ratio, want))


def check_row_json(where, row, by_key, problems):
    """The printed medians, spreads and paired ratios against the JSON."""
    label, metric, _, arms, cmps = row
    scenario, _, variant = label.partition(" ")
    cols = COLUMNS.get(variant)
    if cols is None:
        problems.append("%s: unknown variant %r" % (where, variant))
        return
    for arm, (median, spread) in zip(cols, arms):
        rec = by_key.get((scenario, arm, metric)) if arm else None
        if rec is None or rec.get("skipped"):
            want = "-" if rec is None else "skipped"
            if median != want:
                problems.append("%s: %s printed %s, expected %s" %
                                (where, arm, median, want))
            continue
        if median == "-" or not agrees(median, rec["median"]):
            problems.append("%s: %s median printed %s, the JSON has %r" %
                            (where, arm, median, rec["median"]))
        want = rec["spread_pct"]
        if (spread == "-") != (want is None) or (
                want is not None and not agrees(spread, want)):
            problems.append("%s: %s spread printed %s, the JSON has %r" %
                            (where, arm, spread, rec["spread_pct"]))
    bsd = by_key.get((scenario, cols[1], metric), {})
    for other, (_, paired) in zip((cols[0], cols[2]), cmps):
        q = bsd.get("ratios", {}).get(other) or {}
        want = q.get("paired")
        if (paired == "-") != (want is None) or (
                want is not None and not agrees(paired, want)):
            problems.append("%s: paired vs %s printed %s, the JSON has %r" %
                            (where, other, paired, want))


def check_notes(notes, rows, problems):
    """A fourth arm's note: "<arm> (...): <metric> <median> (<spread>) <unit>,
    bsdsock vs <arm>: ratio R, paired P"; R against the printed medians."""
    medians = {(r[0], r[1]): r for r in rows if r[1] is not None}
    pat = re.compile(r"^(\S+) \(.*\): (\S+) (\S+) \((\S+)\) (\S+), bsdsock "
                     r"vs \1: ratio (\S+), paired (\S+)$")
    for label, note in notes:
        m = pat.match(note)
        if not m:
            continue
        _, metric, median, _, unit, ratio, _ = m.groups()
        row = medians.get((label, metric))
        where = "table: %s note %s" % (label, m.group(1))
        if row is None:
            problems.append("%s: no %s row for it" % (where, metric))
            continue
        check_row_ratios(where, unit, [(median, ""), row[3][1], ("-", "")],
                         [(ratio, ""), ("-", "")], problems,
                         (m.group(1), "-"))


def expected_rows(by_key, only):
    """The (label, metric) rows the table must have, from the JSON."""
    want = set()
    for (scenario, arm, metric), rec in by_key.items():
        if only is not None and scenario not in only:
            continue
        if metric in JSON_ONLY:
            continue
        for variant in variants(scenario, rec.get("platform")):
            cols = COLUMNS[variant]
            if arm != cols[1]:
                continue
            if metric in ROW_IF_DIFFERENT and not differs(
                    by_key, scenario, cols, ROW_IF_DIFFERENT[metric], metric):
                continue
            want.add(((scenario + " " + variant).strip(), metric))
    return want


def shown(v):
    """v as the table prints it (table.c, fmt_value): four significant
    figures, whole numbers from 1000 up."""
    d = 0 if v == 0 or abs(v) >= 1000 else min(
        9, max(0, 3 - math.floor(math.log10(abs(v)))))
    return "%.*f" % (d, v)


def differs(by_key, scenario, cols, prev, cur):
    for arm in cols + ("raw-mmsg",):
        a, b = by_key.get((scenario, arm, prev)), by_key.get((scenario, arm,
                                                             cur))
        if a and b and not a.get("skipped") and not b.get("skipped") and (
                shown(a["median"]) != shown(b["median"])):
            return True
    return False


def check_table(path, by_key, only, problems):
    try:
        with open(path, encoding="utf-8") as f:
            rows, notes = parse_table(f.read())
    except OSError as e:
        problems.append("%s: cannot read: %s" % (path, e))
        return 0
    if rows is None:
        problems.append("%s: no header line starting with 'scenario'" % path)
        return 0
    for row in rows:
        where = "table: %s %s" % (row[0], row[1])
        if row[1] is None:
            problems.append("table: cannot read the row %r" % "  ".join(row[3]))
            continue
        check_row_ratios(where, row[2], row[3], row[4], problems)
        check_row_json(where, row, by_key, problems)
    check_notes(notes, rows, problems)
    printed = {(r[0], r[1]) for r in rows}
    for label, metric in sorted(expected_rows(by_key, only) - printed):
        problems.append("table: no row %s %s" % (label, metric))
    for label, metric in sorted(printed - expected_rows(by_key, only)):
        problems.append("table: row %s %s is not expected" % (label, metric))
    return len(rows)


# ---- main ----------------------------------------------------------------------

def main(argv):
    ap = argparse.ArgumentParser(
        usage="check-json.py FILE [--scenarios NAME,NAME...] [--table TABLE]",
        description=__doc__.strip().split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--scenarios")
    ap.add_argument("--table")
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    args = ap.parse_args(argv[1:])
    path = args.file
    only = set(args.scenarios.split(",")) if args.scenarios else None
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: cannot read JSON: %s" % (path, e))
        return 1
    if not isinstance(data, list):
        print("%s: not a JSON array" % path)
        return 1

    problems, seen, by_key = [], {}, {}
    for i, rec in enumerate(data):
        key = check_record(i, rec, problems)
        if key is not None:
            seen[key] = seen.get(key, 0) + 1
            by_key[key] = rec
    for field in ("platform", "run"):
        values = {json.dumps(r.get(field), sort_keys=True) for r in data
                  if isinstance(r, dict)}
        if len(values) > 1:
            problems.append("several %ss in one file: %s" %
                            (field, sorted(values)))
    check_ratios(by_key, problems)
    platform = next((r.get("platform") for r in data
                     if isinstance(r, dict)), None)

    expected = set()
    for scenario, (arms, metrics) in EXPECTED.items():
        if only is not None and scenario not in only:
            continue
        expected.update((scenario, arm_here(a, platform), m)
                        for a in arms for m in metrics)
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
    nrows = check_table(args.table, by_key, only, problems) if args.table \
        else None

    skipped = sum(1 for r in data if isinstance(r, dict) and r.get("skipped"))
    if problems:
        for p in problems:
            print("check-json: " + p)
        print("check-json: %s: %d problem(s)" % (path, len(problems)))
        return 1
    platforms = sorted({str(r.get("platform")) for r in data})
    print("check-json: %s: complete, %d records (%d skipped with a reason) "
          "on %s%s" % (path, len(data), skipped, ", ".join(platforms),
                       "" if nrows is None else
                       "; %s: %d rows, every ratio agrees with the medians "
                       "printed beside it" % (args.table, nrows)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
