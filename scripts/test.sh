#!/usr/bin/env bash
# Runs every test on both backends, from a fresh Debian machine:
#   1. installs what is missing (scripts/setup.sh),
#   2. the `linux`, `linux-asan` and `windows` (MinGW-w64 + Wine) CMake
#      workflows: configure, build with warnings as errors, run ctest,
#   3. the source checks (platform confinement, exported symbols) and a
#      short libFuzzer run over the address parser,
#   4. the consumer check (find_package and pkg-config, both backends),
#   5. the examples end to end (Windows servers <-> Linux clients),
#   6. the benchmark harness as a smoke test on both backends (JSON checked
#      for completeness, not for speed).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash scripts/setup.sh

declare -a summary=()
step() {  # step NAME CMD...: runs one step, records its outcome, stops on failure
  local name=$1; shift
  echo
  echo "=== $name"
  if "$@"; then
    summary+=("ok    $name")
  else
    summary+=("FAIL  $name")
    printf '%s\n' "${summary[@]}"
    exit 1
  fi
}

for preset in linux linux-asan windows; do
  step "workflow $preset" cmake --workflow --preset "$preset"
done
step "test inventory (same tests on every backend)" \
  python3 scripts/test-inventory.py build/linux build/linux-asan build/windows
step "source checks" bash scripts/lint.sh
# The address fuzzer (built by linux-asan): a short run from the seed corpus;
# a crash leaves its input in build/fuzz-crash-*.
step "fuzz addresses (libFuzzer, 20 s)" bash -c \
  'rm -rf build/fuzz-corpus && cp -r tests/fuzz/corpus build/fuzz-corpus &&
   build/linux-asan/tests/fuzz/fuzz_addr -max_total_time=20 -print_final_stats=1 \
     -artifact_prefix=build/fuzz- build/fuzz-corpus 2>&1 | grep -E "^(Done|stat::number_of_executed_units|SUMMARY)"; exit ${PIPESTATUS[0]}' 
step "consumer check" bash scripts/consumer-check.sh
if [ -f scripts/examples-e2e.sh ]; then
  step "examples end to end" bash scripts/examples-e2e.sh
fi
if [ -f bench/check-json.py ]; then
  step "bench smoke (linux)" bash -c \
    'build/linux/bench/bsdsock-bench --smoke --json build/linux/bench-smoke.json >/dev/null &&
     python3 bench/check-json.py build/linux/bench-smoke.json'
  step "bench smoke (windows)" bash -c \
    'scripts/wine-run build/windows/bench/bsdsock-bench.exe --smoke --json build/windows/bench-smoke.json >/dev/null &&
     python3 bench/check-json.py build/windows/bench-smoke.json'
fi

echo
echo "=== summary ($SECONDS s)"
printf '%s\n' "${summary[@]}"
# The cmocka totals of the three test runs, as the last line.
cat build/test-totals.txt
