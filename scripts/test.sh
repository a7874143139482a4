#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every test on both backends, from a fresh Debian machine:
#   1. installs what is missing (scripts/setup.sh: packages, and cmocka and
#      libuv built from Debian's source packages for each cross target),
#   2. the CMake workflows (configure, build with warnings as errors, run
#      ctest) of the presets that run tests: `linux` (gcc), `linux-asan`
#      (clang, ASan+UBSan), `linux-portable` (the macOS/BSD code paths),
#      `linux-musl` (musl libc, musl-gcc), `windows` (MinGW-w64 gcc, tests
#      under Wine) and `windows-clang` (clang for x86_64-w64-mingw32, tests
#      under Wine); and `windows-x86` (32-bit MinGW-w64), which is built
#      but not run: there is no 32-bit Wine on the CI machines,
#   3. the test inventory (the same cases on every preset that runs tests)
#      and the differential misuse suite (the same outcome, line for line,
#      on every backend),
#   4. the source checks (platform confinement, every public call written
#      once, exported symbols, references that resolve in the tree) and a
#      short libFuzzer run of each fuzz target (scripts/fuzz.sh runs them
#      longer),
#   5. the consumer check (find_package and pkg-config, both backends),
#   6. the examples end to end (Windows servers <-> Linux clients), and the
#      forwarding suite across OSes (scripts/remote-cross.sh),
#   7. the benchmark harness as a smoke test on both backends.
# One line per step; each step's output goes to build/logs/<step>.log, and
# a failing step prints the tail of its log.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=build/logs
mkdir -p "$logs"

declare -a summary=()
step() {  # step NAME CMD...: runs one step quietly, stops on failure
  local name=$1 log; shift
  log="$logs/$(tr -c 'a-zA-Z0-9-' '_' <<<"$name" | sed 's/_*$//').log"
  local t0=$SECONDS
  if "$@" >"$log" 2>&1; then
    summary+=("ok    $name ($((SECONDS - t0)) s)")
    printf 'ok    %-52s %4d s  %s\n' "$name" $((SECONDS - t0)) "$(last_word "$log")"
  else
    printf 'FAIL  %-52s %4d s  (log: %s)\n' "$name" $((SECONDS - t0)) "$log"
    echo "---- last 40 lines of $log"
    tail -n 40 "$log"
    exit 1
  fi
}
# What a step's log says in one line: ctest's verdict, or the line a step
# prints as STEP-SUMMARY: ...
last_word() {
  grep -hE '^STEP-SUMMARY:|tests passed, ' "$1" | tail -n 1 | sed 's/^STEP-SUMMARY: //' || true
}

step "set-up (packages, cross-built deps, Wine)" bash scripts/setup.sh
# The presets that run the test suite (the test inventory compares them).
tested=(linux linux-asan linux-portable linux-musl windows windows-clang)
for preset in "${tested[@]}"; do
  step "workflow $preset" cmake --workflow --preset "$preset"
done
# 32-bit Windows: everything is built (library, tests, examples, bench),
# nothing is run (no 32-bit Wine here).
step "workflow windows-x86 (build only, no 32-bit Wine)" bash -c \
  'cmake --workflow --preset windows-x86 &&
   i686-w64-mingw32-objdump -f build/windows-x86/tests/test_tcp.exe | grep -q "file format pei-i386" &&
   echo "STEP-SUMMARY: $(find build/windows-x86 -name "*.exe" -not -path "*/CMakeFiles/*" | wc -l) 32-bit executables built, not run"'
step "test inventory (same tests on every tested preset)" bash -c \
  'python3 scripts/test-inventory.py "${@/#/build/}" &&
   echo "STEP-SUMMARY: $(cat build/test-totals.txt) on $# presets"' inventory "${tested[@]}"
step "misuse differential (same results on every backend)" bash -c \
  'for p in linux linux-asan linux-portable linux-musl; do
     for w in windows windows-clang; do
       python3 scripts/misuse-compare.py build/$p/tests/misuse-posix.txt \
         build/$w/tests/misuse-win32.txt || exit 1
     done
   done &&
   echo "STEP-SUMMARY: $(python3 scripts/misuse-compare.py build/linux/tests/misuse-posix.txt build/windows/tests/misuse-win32.txt | tail -n1)"'
step "source checks" bash scripts/lint.sh
# The fuzz targets (built by linux-asan; Z1-Z10 of docs/quirks.md): 20 s each
# from its seed corpus; a failing input is left in build/fuzz-crash-<target>-*.
for t in addr fdset resolve msg compat_winsock ifwatch wire; do
  step "fuzz $t (libFuzzer, 20 s)" bash -c \
    'rm -rf build/fuzz-ci/$0 && mkdir -p build/fuzz-ci && cp -r tests/fuzz/corpus/$0 build/fuzz-ci/$0 || exit 1
     out=$(build/linux-asan/tests/fuzz/fuzz_$0 -max_total_time=20 -timeout=10 -print_final_stats=1 \
       -artifact_prefix=build/fuzz-crash-$0- build/fuzz-ci/$0 2>&1); rc=$?
     if [ $rc -ne 0 ]; then tail -n 60 <<<"$out"; else grep -E "^(Done|stat::)" <<<"$out"; fi
     echo "STEP-SUMMARY: $(sed -n "s/^stat::number_of_executed_units: //p" <<<"$out") inputs executed"
     exit $rc' "$t"
done
step "consumer check" bash scripts/consumer-check.sh
step "examples end to end" bash scripts/examples-e2e.sh
step "forwarding across OSes" bash scripts/remote-cross.sh
# The table is kept and checked too: its ratios against the medians printed
# beside them, its figures against the JSON.
step "bench smoke (linux)" bash -c \
  'build/linux/bench/bsdsock-bench --smoke --json build/linux/bench-smoke.json >build/linux/bench-smoke.txt &&
   python3 bench/check-json.py build/linux/bench-smoke.json --table build/linux/bench-smoke.txt'
step "bench smoke (windows)" bash -c \
  'scripts/wine-run build/windows/bench/bsdsock-bench.exe --smoke --json build/windows/bench-smoke.json >build/windows/bench-smoke.txt &&
   python3 bench/check-json.py build/windows/bench-smoke.json --table build/windows/bench-smoke.txt'

echo "all ${#summary[@]} steps passed in $SECONDS s; logs in $logs/"
# The cmocka totals of the test runs, as the last line.
cat build/test-totals.txt
