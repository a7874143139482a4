#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian package bsdsock's build, tests, benchmark and API
# reference (doxygen, which scripts/lint.sh also runs) need, and
# cross-builds cmocka and libuv for MinGW-w64 from Debian's source packages.
# Idempotent: a second run installs nothing and rebuilds nothing.
#
# Usage: scripts/setup.sh            (run as root, or through sudo)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/build/deps"            # cached under the build tree, never committed

packages=(
  cmake make pkg-config gcc clang libclang-rt-14-dev
  libcmocka-dev libuv1-dev
  gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64
  wine wine64
  dpkg-dev python3 valgrind
  doxygen
)

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done

# Debian's source packages are reached through a deb-src entry that mirrors
# the machine's own deb entry (same URIs and suites); the host name is read
# from the machine's configuration, never written into this repository.
ensure_deb_src() {
  local out=/etc/apt/sources.list.d/bsdsock-deb-src.sources
  [ -f "$out" ] && return 0
  if grep -rqsE '^\s*Types:.*deb-src|^\s*deb-src\s' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  python3 - "$out" <<'PY'
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

need_update=0
ensure_deb_src || need_update=1
if [ ${#missing[@]} -gt 0 ] || [ $need_update -eq 1 ]; then
  echo "setup: installing ${missing[*]:-(none)}"
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -q
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

triple=x86_64-w64-mingw32
prefix="$deps/$triple"
toolchain="$top/cmake/toolchain-mingw-w64.cmake"
mkdir -p "$deps/src"

# fetch_source NAME: unpacks Debian's source package NAME under build/deps/src.
fetch_source() {
  local name=$1 dir
  dir=$(find "$deps/src" -maxdepth 1 -type d -name "$name-*" | head -n 1)
  if [ -z "$dir" ]; then
    (cd "$deps/src" && apt-get source -q "$name" >/dev/null 2>&1) || {
      sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -q
      (cd "$deps/src" && apt-get source -q "$name" >/dev/null)
    }
    dir=$(find "$deps/src" -maxdepth 1 -type d -name "$name-*" | head -n 1)
  fi
  echo "$dir"
}

# cross_build NAME CMAKE-ARGS...: builds a CMake source package for MinGW-w64.
cross_build() {
  local name=$1 src; shift
  [ -f "$prefix/.$name-done" ] && return 0
  src=$(fetch_source "$name")
  echo "setup: cross-building $name for $triple from $src"
  rm -rf "$deps/build-$name"
  cmake -S "$src" -B "$deps/build-$name" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$deps/build-$name" -j"$(nproc)" >/dev/null
  cmake --install "$deps/build-$name" >/dev/null
  touch "$prefix/.$name-done"
}

cross_build cmocka -DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF \
  -DUNIT_TESTING=OFF -DPICKY_DEVELOPER=OFF
cross_build libuv1 -DLIBUV_BUILD_TESTS=OFF -DLIBUV_BUILD_BENCH=OFF -DBUILD_TESTING=OFF

# Wine keeps its prefix in $HOME; create it once so the first test does not
# pay (or time out on) Wine's first-run set-up.
if [ ! -f "${WINEPREFIX:-$HOME/.wine}/system.reg" ]; then
  echo "setup: creating the Wine prefix"
  WINEDEBUG=-all wineboot --init >/dev/null 2>&1 || true
  wineserver -w 2>/dev/null || true
fi
echo "setup: ready"
