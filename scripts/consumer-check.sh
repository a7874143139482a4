#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Consumer check: installs the `linux` and `windows` builds into their
# prefixes, then builds tests/consumer/consumer.c OUTSIDE the tree against
# each install, through find_package() and through pkg-config, and runs
# every binary (the Windows ones under Wine). tests/consumer/legacy.c, a
# plain BSD program, is built with exactly the commands docs/compat.md
# gives (the drop-in headers, bsdsock-static.pc) and must run where the
# shared library cannot be found: from an empty directory, with no
# WINEPATH / LD_LIBRARY_PATH. Expects both presets built.
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
    # No DLL path at all: a statically linked program must not need one.
    bare=(env -u WINEPATH WINEDEBUG=-all wine)
    export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig"
  else
    cc=gcc; exe=; runner=(env LD_LIBRARY_PATH="$prefix/lib")
    bare=(env -u LD_LIBRARY_PATH)
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  fi
  cmake "${args[@]}" >/dev/null
  cmake --build "$work/$preset/build" >/dev/null
  # pkg-config: the flags a Makefile user would paste (README.md), shared
  # and static.
  # shellcheck disable=SC2046
  $cc -o "$work/$preset/consumer_pc$exe" "$top/tests/consumer/consumer.c" \
    $(pkg-config --cflags bsdsock) $(pkg-config --libs bsdsock)
  # shellcheck disable=SC2046
  $cc -o "$work/$preset/consumer_pc_static$exe" "$top/tests/consumer/consumer.c" \
    $(pkg-config --cflags bsdsock-static) $(pkg-config --libs bsdsock-static)
  # A legacy BSD program, word for word as docs/compat.md says ("Make and
  # friends").
  cp "$top/tests/consumer/legacy.c" "$work/$preset/legacy.c"
  (cd "$work/$preset"
   # shellcheck disable=SC2046
   $cc -I"$prefix/include/bsdsock/compat" $(pkg-config --cflags bsdsock-static) \
     -c legacy.c
   # shellcheck disable=SC2046
   $cc legacy.o $(pkg-config --libs bsdsock-static) -o legacy$exe)
  unset PKG_CONFIG_LIBDIR PKG_CONFIG_PATH
  (cd "$prefix/bin" 2>/dev/null || cd "$prefix"
   run "$preset find_package shared" "${runner[@]}" "$work/$preset/build/consumer_shared$exe"
   run "$preset find_package static" "${runner[@]}" "$work/$preset/build/consumer_static$exe"
   run "$preset pkg-config" "${runner[@]}" "$work/$preset/consumer_pc$exe"
   echo "$pass $fail" >"$work/counts")
  read -r pass fail <"$work/counts"
  # The static programs: no reference to the shared library, and they run
  # alone in an empty directory.
  for prog in consumer_pc_static legacy; do
    if [ "$preset" = windows ]; then
      deps=$(x86_64-w64-mingw32-objdump -p "$work/$preset/$prog$exe" | grep 'DLL Name' || true)
    else
      deps=$(readelf -d "$work/$preset/$prog$exe" | grep NEEDED || true)
    fi
    if grep -qi bsdsock <<<"$deps"; then
      echo "FAIL $preset $prog: linked to the shared library: $deps"
      fail=$((fail + 1))
      continue
    fi
    alone=$(mktemp -d "$work/alone.XXXXXX")
    cp "$work/$preset/$prog$exe" "$alone/"
    (cd "$alone" && run "$preset $prog (static, alone)" "${bare[@]}" "./$prog$exe"
     echo "$pass $fail" >"$work/counts")
    read -r pass fail <"$work/counts"
  done
done
# The installed Winsock drop-in (Linux): the header spellings Windows
# programmers write are real files in <prefix>/include/bsdsock/compat
# (symlinks may not survive packaging), and a Win32 program written with
# them (<Windows.h>, <Winsock2.h>, <tchar.h>) builds against the install
# with pkg-config's flags, warnings as errors.
cdir="$top/build/linux/install/include/bsdsock/compat"
spellings_ok=1
for h in windows.h Windows.h WINDOWS.H winsock2.h WinSock2.h Winsock2.h \
         WINSOCK2.H ws2tcpip.h WS2tcpip.h Ws2tcpip.h WS2TCPIP.H tchar.h \
         mstcpip.h mswsock.h; do
  if [ ! -f "$cdir/$h" ] || [ -L "$cdir/$h" ]; then
    echo "FAIL installed compat header $h is missing or a symlink"
    spellings_ok=0
  fi
done
# shellcheck disable=SC2046
if [ "$spellings_ok" = 1 ] &&
   PKG_CONFIG_PATH="$top/build/linux/install/lib/pkgconfig" \
   gcc -Wall -Wextra -Werror -I"$cdir" \
     $(PKG_CONFIG_PATH="$top/build/linux/install/lib/pkgconfig" pkg-config --cflags bsdsock) \
     -o "$work/wsa_v4_client" "$top/examples/wsa_v4_client.c" \
     $(PKG_CONFIG_PATH="$top/build/linux/install/lib/pkgconfig" pkg-config --libs --static bsdsock); then
  echo "ok   Win32 program against the installed Winsock drop-in"; pass=$((pass + 1))
else
  echo "FAIL Win32 program against the installed Winsock drop-in"; fail=$((fail + 1))
fi
# The library as a newcomer builds it (Linux): a plain configure with
# testing off, static-only (BUILD_SHARED_LIBS=OFF) into a prefix, consumed
# through find_package's bsdsock::bsdsock; and the checkout used with
# add_subdirectory(), which must build bsdsock::bsdsock and install nothing.
plain="$work/plain"
mkdir -p "$plain/app"
cmake -S "$top" -B "$plain/build" -DBUILD_TESTING=OFF -DBUILD_SHARED_LIBS=OFF \
  -DBSDSOCK_BUILD_BENCH=OFF -DBSDSOCK_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$plain/build" -j2 >/dev/null
cmake --install "$plain/build" --prefix "$plain/prefix" >/dev/null
cat >"$plain/app/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(app C)
if(APP_SUBDIR)
  add_subdirectory("$top" bsdsock)
else()
  find_package(bsdsock 0.1 CONFIG REQUIRED)
endif()
add_executable(app "$top/tests/consumer/consumer.c")
target_link_libraries(app PRIVATE bsdsock::bsdsock)
CMAKE
cmake -S "$plain/app" -B "$plain/app-pkg" -DCMAKE_PREFIX_PATH="$plain/prefix" >/dev/null
cmake --build "$plain/app-pkg" >/dev/null
run "plain static-only install, find_package" "$plain/app-pkg/app"
cmake -S "$plain/app" -B "$plain/app-sub" -DAPP_SUBDIR=ON >/dev/null
cmake --build "$plain/app-sub" >/dev/null
run "add_subdirectory" "$plain/app-sub/app"
if cmake --install "$plain/app-sub" --prefix "$plain/sub-prefix" >/dev/null 2>&1 &&
   [ -z "$(find "$plain/sub-prefix" -type f 2>/dev/null)" ]; then
  echo "ok   add_subdirectory installs nothing"; pass=$((pass + 1))
else
  echo "FAIL add_subdirectory installed files"; fail=$((fail + 1))
fi
# 0.x: the installed version file refuses a request for another minor
# version (0.2 is not 0.1) and accepts 0.1.
vfile=$(find "$plain/prefix" -name bsdsockConfigVersion.cmake)
compatible() {  # compatible VERSION: what the version file answers
  printf 'set(PACKAGE_FIND_VERSION %s)\nstring(REPLACE "." ";" v %s)\nlist(GET v 0 PACKAGE_FIND_VERSION_MAJOR)\nlist(GET v 1 PACKAGE_FIND_VERSION_MINOR)\nset(PACKAGE_FIND_VERSION_PATCH 0)\nset(PACKAGE_FIND_VERSION_COUNT 2)\ninclude("%s")\nmessage("${PACKAGE_VERSION_COMPATIBLE}")\n' \
    "$1" "$1" "$vfile" >"$plain/v.cmake"
  cmake -P "$plain/v.cmake" 2>&1
}
if [ "$(compatible 0.2)" = FALSE ] && [ "$(compatible 0.1)" = TRUE ]; then
  echo "ok   version file: 0.1 accepted, 0.2 refused"; pass=$((pass + 1))
else
  echo "FAIL version file: 0.1 -> $(compatible 0.1), 0.2 -> $(compatible 0.2)"
  fail=$((fail + 1))
fi

echo "consumer check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
