#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian package bsdsock's build, tests, benchmark and API
# reference (doxygen, which scripts/lint.sh also runs) need, and builds the
# libraries Debian does not ship for the other targets from Debian's own
# source packages, each into build/deps/<triple>:
#   cmocka and libuv for x86_64-w64-mingw32 and i686-w64-mingw32 (MinGW-w64),
#   cmocka for x86_64-linux-musl (musl-gcc).
# Idempotent: a second run installs nothing and rebuilds nothing.
#
# Prints one line per step ("ok    packages (3 installed, 40 s)"); on an
# already set-up machine two lines. apt-get's and the builds' output go to
# build/logs/setup-*.log, and a failing step prints the tail of its log.
#
# Usage: scripts/setup.sh            (run as root, or through sudo)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/build/deps"            # cached under the build tree, never committed
logs="$top/build/logs"
mkdir -p "$deps/src" "$logs"

packages=(
  cmake make pkg-config gcc clang libclang-rt-14-dev
  libcmocka-dev libuv1-dev
  gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64
  # The win32 thread model, which the x86-64 build uses too (Debian's
  # default alternative for x86_64-w64-mingw32-gcc).
  gcc-mingw-w64-i686-win32 binutils-mingw-w64-i686
  musl-tools
  wine wine64
  dpkg-dev python3 valgrind
  doxygen
)

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_() { sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -q "$@"; }

# fail WHAT LOG: reports a failed step with the tail of its log, and stops.
fail() {
  echo "FAIL  $1 (log: ${2#"$top"/})"
  echo "---- last 30 lines of ${2#"$top"/}"
  tail -n 30 "$2"
  exit 1
}

# ---- packages ---------------------------------------------------------------
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done

# Debian's source packages are reached through a deb-src entry that mirrors
# the machine's own deb entry (same URIs and suites); the host name is read
# from the machine's configuration, never written into this repository.
# Returns 0 if there was one already, 1 if it wrote one, 2 on failure.
ensure_deb_src() {
  local out=/etc/apt/sources.list.d/bsdsock-deb-src.sources
  [ -f "$out" ] && return 0
  if grep -rqsE '^\s*Types:.*deb-src|^\s*deb-src\s' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  python3 - "$out" <<'PY' || return 2
import glob, re, sys
out = sys.argv[1]
stanzas = []
for path in sorted(glob.glob('/etc/apt/sources.list.d/*.sources')):
    for block in re.split(r'\n\s*\n', open(path).read()):
        fields = {}
        for line in block.splitlines():
            m = re.match(r'^([A-Za-z-]+):\s*(.*)$', line)
            if m: fields[m.group(1)] = m.group(2)
        if fields.get('Types', '').split() == ['deb'] and 'debian' in fields.get('URIs', '') \
           and 'main' in fields.get('Components', ''):
            stanzas.append(fields)
for path in ['/etc/apt/sources.list'] + glob.glob('/etc/apt/sources.list.d/*.list'):
    try: lines = open(path).read().splitlines()
    except OSError: continue
    for line in lines:
        m = re.match(r'^\s*deb\s+(\[[^]]*\]\s+)?(\S+)\s+(\S+)\s+(.*)$', line)
        if m and 'debian' in m.group(2):
            stanzas.append({'Types': 'deb', 'URIs': m.group(2), 'Suites': m.group(3),
                            'Components': m.group(4)})
if not stanzas:
    sys.exit('setup: no Debian deb entry found to mirror as deb-src')
with open(out, 'w') as f:
    for s in stanzas:
        f.write('Types: deb-src\n')
        for k in ('URIs', 'Suites', 'Components', 'Signed-By'):
            if k in s: f.write('%s: %s\n' % (k, s[k]))
        f.write('\n')
PY
  return 1
}

log="$logs/setup-packages.log"
t0=$SECONDS
rc=0
ensure_deb_src >"$log" 2>&1 || rc=$?
[ $rc -eq 2 ] && fail "packages (writing a deb-src entry)" "$log"
if [ ${#missing[@]} -gt 0 ] || [ $rc -eq 1 ]; then
  {
    echo "missing: ${missing[*]:-(none)}"
    apt_ update &&
    if [ ${#missing[@]} -gt 0 ]; then
      apt_ install -y --no-install-recommends "${missing[@]}"
    fi
  } >>"$log" 2>&1 || fail "packages" "$log"
  if [ ${#missing[@]} -gt 0 ]; then
    echo "ok    packages (${#missing[@]} installed, $((SECONDS - t0)) s)"
  else
    echo "ok    packages (all ${#packages[@]} present; deb-src entry added)"
  fi
else
  echo "ok    packages (all ${#packages[@]} present)"
fi

# ---- libraries built from Debian's source packages --------------------------
cached=()     # what was there already ("triple:name"), reported on one line

# fetch_source NAME: unpacks Debian's source package NAME under
# build/deps/src (once) and prints its directory; apt's output to stderr.
fetch_source() {
  local name=$1 dir
  dir=$(find "$deps/src" -maxdepth 1 -type d -name "$name-*" | head -n 1)
  if [ -z "$dir" ]; then
    (cd "$deps/src" && apt-get source -q "$name") >&2 || {
      apt_ update >&2 && (cd "$deps/src" && apt-get source -q "$name") >&2
    } || return 1
    dir=$(find "$deps/src" -maxdepth 1 -type d -name "$name-*" | head -n 1)
  fi
  [ -n "$dir" ] && echo "$dir"
}

# dep_build NAME TRIPLE TOOLCHAIN CMAKE-ARGS...: builds Debian's CMake source
# package NAME with a toolchain file of cmake/ and installs it into
# build/deps/TRIPLE, once (a marker file says it is done).
dep_build() {
  local name=$1 triple=$2 toolchain="$top/cmake/$3"; shift 3
  local prefix="$deps/$triple" bdir="$deps/build-$name-$triple"
  local log="$logs/setup-$name-$triple.log" src t0=$SECONDS
  if [ -f "$prefix/.$name-done" ]; then
    cached+=("$triple:$name")
    return 0
  fi
  {
    src=$(fetch_source "$name") &&
    echo "building $name for $triple from $src" &&
    rm -rf "$bdir" &&
    cmake -S "$src" -B "$bdir" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
      -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release "$@" &&
    cmake --build "$bdir" -j"$(nproc)" &&
    cmake --install "$bdir" &&
    touch "$prefix/.$name-done"
  } >"$log" 2>&1 || fail "$name for $triple" "$log"
  echo "ok    $name for $triple (built, $((SECONDS - t0)) s)"
}

cmocka_args=(-DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF
             -DUNIT_TESTING=OFF -DPICKY_DEVELOPER=OFF)
libuv_args=(-DLIBUV_BUILD_TESTS=OFF -DLIBUV_BUILD_BENCH=OFF -DBUILD_TESTING=OFF)
dep_build cmocka x86_64-w64-mingw32 toolchain-mingw-w64.cmake "${cmocka_args[@]}"
dep_build libuv1 x86_64-w64-mingw32 toolchain-mingw-w64.cmake "${libuv_args[@]}"
dep_build cmocka i686-w64-mingw32 toolchain-mingw-w64-i686.cmake "${cmocka_args[@]}"
dep_build libuv1 i686-w64-mingw32 toolchain-mingw-w64-i686.cmake "${libuv_args[@]}"
# musl-gcc does not see glibc's /usr/include, so the tests' cmocka is built
# with it; no libuv (the `linux-musl` preset builds no benchmark).
dep_build cmocka x86_64-linux-musl toolchain-musl.cmake "${cmocka_args[@]}"

# ---- Wine -------------------------------------------------------------------
# Wine keeps its prefix in $HOME; create it once so the first test does not
# pay (or time out on) Wine's first-run set-up.
if [ ! -f "${WINEPREFIX:-$HOME/.wine}/system.reg" ]; then
  t0=$SECONDS
  log="$logs/setup-wine.log"
  { WINEDEBUG=-all wineboot --init; wineserver -w; } >"$log" 2>&1 || true
  [ -f "${WINEPREFIX:-$HOME/.wine}/system.reg" ] || fail "Wine prefix" "$log"
  echo "ok    Wine prefix (created, $((SECONDS - t0)) s)"
else
  cached+=(":the Wine prefix")
fi

# One line for all that was there: "cmocka, libuv1 for x86_64-w64-mingw32;
# cmocka for x86_64-linux-musl; the Wine prefix".
if [ ${#cached[@]} -gt 0 ]; then
  line=
  for triple in $(printf '%s\n' "${cached[@]%%:*}" | awk 'NF && !seen[$0]++'); do
    names=
    for c in "${cached[@]}"; do
      [ "${c%%:*}" = "$triple" ] && names="$names, ${c#*:}"
    done
    line="$line; ${names#, } for $triple"
  done
  for c in "${cached[@]}"; do
    [ -z "${c%%:*}" ] && line="$line; ${c#:}"
  done
  echo "ok    already there: ${line#; }"
fi
