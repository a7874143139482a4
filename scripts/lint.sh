#!/usr/bin/env bash
# Source checks CI runs after the builds:
#  - _WIN32 is tested only in the two files README.md's "Layout" names for
#    it (the public platform selector/type header and the internal setup
#    header);
#  - every public bsdsock_* call is defined once, in the shared layer
#    (src/*.c), never in a backend (docs/design.md, "Layers");
#  - every reference in the tree resolves in the tree (scripts/check-refs.py);
#  - the shared library exports nothing but bsdsock_* symbols.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
status=0

allowed=(include/bsdsock/platform.h src/setup.h)
hits=$(git grep -nE '^\s*#\s*(if|elif).*_WIN32' -- $(printf ":!%s " "${allowed[@]}") || true)
if [ -n "$hits" ]; then
  echo "FAIL: _WIN32 outside ${allowed[*]}:"
  echo "$hits"
  status=1
else
  echo "ok: _WIN32 appears only in ${allowed[*]}"
fi

# Every public function declared in include/bsdsock/ (the drop-in runtime
# headers aside) must be defined exactly once, in a file directly under src/.
bad_defs=""
for name in $(grep -hoE 'BSDSOCK_EXTERN[^;(]*\bbsdsock_[a-z0-9_]+\s*\(' include/bsdsock/*.h \
              | grep -oE 'bsdsock_[a-z0-9_]+\s*\($' | tr -d '( ' | grep -v '^bsdsock_compat_' | sort -u); do
  defs=$(git grep -lE "^[a-z].*[ *]$name\(" -- 'src/*.c' 'src/**/*.c' || true)
  if [ "$(wc -w <<<"$defs")" -ne 1 ] || [[ "$defs" == */* && "$defs" != src/[a-z]*.c ]] \
     || [[ "$defs" == src/posix/* || "$defs" == src/win32/* || "$defs" == src/compat/* ]]; then
    bad_defs="$bad_defs $name:[${defs//$'\n'/ }]"
  fi
done
if [ -n "$bad_defs" ]; then
  echo "FAIL: public calls not defined exactly once in the shared layer:$bad_defs"
  status=1
else
  echo "ok: every public call is defined once, in the shared layer (src/*.c)"
fi

python3 scripts/check-refs.py || status=1

lib=build/linux/libbsdsock.so
if [ -f "$lib" ]; then
  bad=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' \
        | grep -vE '^bsdsock_[a-z]' || true)
  if [ -n "$bad" ]; then
    echo "FAIL: $lib exports non-public symbols:"; echo "$bad"; status=1
  else
    echo "ok: $lib exports only bsdsock_* ($(nm -D --defined-only "$lib" | grep -c ' T bsdsock_') functions)"
  fi
fi
# The DLLs of the three Windows builds (MinGW gcc, clang, 32-bit gcc).
for dll in build/windows/libbsdsock.dll build/windows-clang/libbsdsock.dll \
           build/windows-x86/libbsdsock.dll; do
  [ -f "$dll" ] || continue
  bad=$(x86_64-w64-mingw32-objdump -p "$dll" \
        | awk '/\[Ordinal\/Name Pointer\] Table/{t=1; next} t && NF==0 {t=0} t {print $NF}' \
        | grep -vE '^bsdsock_[a-z]' || true)
  if [ -n "$bad" ]; then
    echo "FAIL: $dll exports non-public symbols:"; echo "$bad"; status=1
  else
    echo "ok: $dll exports only bsdsock_*"
  fi
done
exit $status
