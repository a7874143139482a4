#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Counts the user-space instructions each arm spends per send+recv.

Runs `bsdsock-bench --callgrind-sendrecv N` under valgrind's callgrind and
reads the inclusive instruction count (Ir) of each arm's measured loop,
bench_cg_<arm>: N pairs of send(a, 64 bytes) + recv(b) on a connected TCP
pair, both ends in one thread. Instructions are repeatable where times are
not; they count what runs in user space (the library and libc wrappers),
not the kernel's work, which is the same for every arm.

The bsdsock-remote arm (bench_cg_bsdsock_remote) makes the same pairs
through a bsdsockd the harness starts on loopback (remote_sendrecv,
docs/quirks.md S13): its Ir/call is what one forwarded call costs the
client (encoding, two system calls, decoding); valgrind does not follow
the server, a child process.

usage: callgrind.py [BENCH_BINARY] [N]
  BENCH_BINARY  default build/release/bench/bsdsock-bench
  N             send+recv pairs per arm, default 100000
"""
import os
import re
import subprocess
import sys
import tempfile


def inclusive_ir(outfile):
    """{function: inclusive Ir} for the bench_cg_* functions."""
    text = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--threshold=100", outfile],
        check=True, capture_output=True, text=True).stdout
    found = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+\S*:(bench_cg_\w+)\s", line)
        if m:
            found[m.group(2)] = int(m.group(1).replace(",", ""))
    return found


def main(argv):
    if len(argv) > 1 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    binary = argv[1] if len(argv) > 1 else "build/release/bench/bsdsock-bench"
    pairs = int(argv[2]) if len(argv) > 2 else 100000
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
             binary, "--callgrind-sendrecv", str(pairs)],
            capture_output=True, text=True)
        sys.stdout.write(run.stdout)
        if run.returncode != 0:
            sys.stderr.write(run.stderr)
            return 1
        ir = inclusive_ir(out)
    raw = ir.get("bench_cg_raw")
    print("\nuser-space instructions (callgrind Ir), %d send+recv pairs of "
          "64 bytes:" % pairs)
    print("%-14s %14s %12s %12s %14s" % ("arm", "Ir total", "Ir/pair",
                                           "Ir/call", "vs raw/call"))
    for arm in ("raw", "bsdsock", "libuv", "bsdsock-remote"):
        total = ir.get("bench_cg_" + arm.replace("-", "_"))
        if total is None:
            print("%-14s %14s" % (arm, "not measured"))
            continue
        extra = "" if raw is None else "%+.1f" % ((total - raw) / pairs / 2)
        print("%-14s %14d %12.1f %12.1f %14s" % (arm, total, total / pairs,
                                                   total / pairs / 2, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
