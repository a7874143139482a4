#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: sets the machine up, builds the `release` preset (no
# fault-injection seam) and runs a short full pass of the benchmark harness
# (raw syscalls vs bsdsock vs libuv), printing its comparison table. Extra
# arguments go to the harness (see `bsdsock-bench --help`), e.g.
# scripts/bench.sh --reps 9.
#
# stdout is the table alone (scripts/bench.sh > table.txt); the set-up and
# build steps (one line each, their output in build/logs/ unless they fail)
# and the harness's progress go to stderr.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=build/logs
mkdir -p "$logs"

step() {  # step NAME LOG CMD...: runs one step quietly, stops on failure
  local name=$1 log=$logs/$2.log t0=$SECONDS; shift 2
  if "$@" >"$log" 2>&1; then
    echo "bench: $name ($((SECONDS - t0)) s)" >&2
  else
    echo "bench: FAILED: $name (log: $log)" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

bash scripts/setup.sh >&2  # one line, or what it installs as it goes
step "configured the release preset" bench-configure cmake --preset release
step "built build/release/bench/bsdsock-bench" bench-build \
  cmake --build --preset release --target bsdsock-bench
exec build/release/bench/bsdsock-bench "$@"
