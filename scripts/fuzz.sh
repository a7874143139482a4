#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A longer libFuzzer run of every fuzz target, one after another, before a
# release (CI runs each for 20 s in scripts/test.sh):
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# SECONDS per target (default 300); TARGETs among addr, fdset, resolve,
# msg, compat_winsock, ifwatch, wire (default all; fuzz targets Z1-Z10 of
# docs/quirks.md).
# Builds the linux-asan preset's fuzz targets first. Each target's corpus
# grows under build/fuzz-corpus/<target> from run to run, seeded from
# tests/fuzz/corpus/<target>; a failing input is left as
# build/fuzz-crash-<target>-* and the script stops there. One line per
# target: inputs executed, corpus size, coverage.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${1:-300}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(addr fdset resolve msg compat_winsock ifwatch wire)

cmake --preset linux-asan >/dev/null
cmake --build --preset linux-asan --target "${targets[@]/#/fuzz_}" >/dev/null

mkdir -p build/logs
for t in "${targets[@]}"; do
  corpus=build/fuzz-corpus/$t
  log=build/logs/fuzz-$t.log
  mkdir -p "$corpus"
  # The first directory is the corpus that grows; the seeds are read only.
  if build/linux-asan/tests/fuzz/fuzz_"$t" -max_total_time="$secs" \
       -timeout=10 -print_final_stats=1 -artifact_prefix=build/fuzz-crash-"$t"- \
       "$corpus" tests/fuzz/corpus/"$t" >"$log" 2>&1; then
    printf 'ok    fuzz %-15s %4d s  %s inputs, corpus %s, %s\n' "$t" "$secs" \
      "$(sed -n 's/^stat::number_of_executed_units: //p' "$log")" \
      "$(find "$corpus" -type f | wc -l)" \
      "$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)"
  else
    printf 'FAIL  fuzz %-15s (log: %s)\n' "$t" "$log"
    grep -E '^(==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)' "$log" | tail -n 5
    exit 1
  fi
done
