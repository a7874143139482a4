#!/usr/bin/env bash
# Installs every Debian package bsdsock's build, tests and benchmark need, and
# builds the libraries Debian does not ship for the other targets from
# Debian's own source packages, each into build/deps/<triple>:
#   cmocka and libuv for x86_64-w64-mingw32 and i686-w64-mingw32 (MinGW-w64),
#   cmocka for x86_64-linux-musl (musl-gcc).
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
  # The win32 thread model, which the x86-64 build uses too (Debian's
  # default alternative for x86_64-w64-mingw32-gcc).
  gcc-mingw-w64-i686-win32 binutils-mingw-w64-i686
  musl-tools
  wine wine64
  dpkg-dev python3 valgrind
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

# dep_build NAME TRIPLE TOOLCHAIN CMAKE-ARGS...: builds Debian's CMake source
# package NAME with a toolchain file of cmake/ and installs it into
# build/deps/TRIPLE, once (a marker file says it is done).
dep_build() {
  local name=$1 triple=$2 toolchain="$top/cmake/$3" src; shift 3
  local prefix="$deps/$triple" bdir="$deps/build-$name-$triple"
  [ -f "$prefix/.$name-done" ] && return 0
  src=$(fetch_source "$name")
  echo "setup: building $name for $triple from $src"
  rm -rf "$bdir"
  cmake -S "$src" -B "$bdir" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$bdir" -j"$(nproc)" >/dev/null
  cmake --install "$bdir" >/dev/null
  touch "$prefix/.$name-done"
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

# Wine keeps its prefix in $HOME; create it once so the first test does not
# pay (or time out on) Wine's first-run set-up.
if [ ! -f "${WINEPREFIX:-$HOME/.wine}/system.reg" ]; then
  echo "setup: creating the Wine prefix"
  WINEDEBUG=-all wineboot --init >/dev/null 2>&1 || true
  wineserver -w 2>/dev/null || true
fi
echo "setup: ready"
