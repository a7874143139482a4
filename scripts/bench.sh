#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: sets the machine up, builds the `release` preset (no fault-injection seam) and runs a
# short full pass of the benchmark harness (raw syscalls vs bsdsock vs
# libuv), printing its comparison table. Extra arguments go to the harness
# (see `bsdsock-bench --help`), e.g. scripts/bench.sh --reps 9.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/setup.sh >&2
cmake --preset release >/dev/null
cmake --build --preset release --target bsdsock-bench >/dev/null
exec build/release/bench/bsdsock-bench "$@"
