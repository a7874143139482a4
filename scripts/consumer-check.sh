#!/usr/bin/env bash
# Consumer check: installs the `linux` and `windows` builds into their
# prefixes, then builds tests/consumer/consumer.c OUTSIDE the tree against
# each install, through find_package() and through pkg-config, and runs
# every binary (the Windows ones under Wine). Expects both presets built.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0; fail=0

run() {  # run NAME CMD...: runs a consumer binary, expects "consumer ok"
  local name=$1; shift
  if out=$("$@" 2>&1) && grep -q '^consumer ok' <<<"$out"; then
    echo "ok   $name: $out"; pass=$((pass + 1))
  else
    echo "FAIL $name: $out"; fail=$((fail + 1))
  fi
}

for preset in linux windows; do
  prefix="$top/build/$preset/install"
  cmake --install "$top/build/$preset" --prefix "$prefix" >/dev/null
  cp -r "$top/tests/consumer" "$work/$preset"
  args=(-S "$work/$preset" -B "$work/$preset/build" -DCMAKE_PREFIX_PATH="$prefix")
  if [ "$preset" = windows ]; then
    args+=(-DCMAKE_TOOLCHAIN_FILE="$top/cmake/toolchain-mingw-w64.cmake"
           -DBSDSOCK_MINGW_DEPS="$prefix")
    cc=x86_64-w64-mingw32-gcc; exe=.exe; runner=("$top/scripts/wine-run")
    static=-static   # pick libbsdsock.a over the DLL's import library
    export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig"
  else
    cc=gcc; exe=; runner=(env LD_LIBRARY_PATH="$prefix/lib"); static=
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  fi
  cmake "${args[@]}" >/dev/null
  cmake --build "$work/$preset/build" >/dev/null
  # pkg-config: the flags a Makefile user would paste.
  # shellcheck disable=SC2046
  $cc -o "$work/$preset/consumer_pc$exe" "$top/tests/consumer/consumer.c" \
    $(pkg-config --cflags bsdsock) $static $(pkg-config --libs --static bsdsock)
  unset PKG_CONFIG_LIBDIR PKG_CONFIG_PATH
  (cd "$prefix/bin" 2>/dev/null || cd "$prefix"
   run "$preset find_package shared" "${runner[@]}" "$work/$preset/build/consumer_shared$exe"
   run "$preset find_package static" "${runner[@]}" "$work/$preset/build/consumer_static$exe"
   run "$preset pkg-config" "${runner[@]}" "$work/$preset/consumer_pc$exe"
   echo "$pass $fail" >"$work/counts")
  read -r pass fail <"$work/counts"
done
echo "consumer check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
