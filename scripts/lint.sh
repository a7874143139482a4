#!/usr/bin/env bash
# Source checks CI runs after the builds:
#  - _WIN32 is tested only in the two files README.md's "Layout" names for
#    it (the public platform selector/type header and the internal setup
#    header);
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
dll=build/windows/libbsdsock.dll
if [ -f "$dll" ]; then
  bad=$(x86_64-w64-mingw32-objdump -p "$dll" \
        | awk '/\[Ordinal\/Name Pointer\] Table/{t=1; next} t && NF==0 {t=0} t {print $NF}' \
        | grep -vE '^bsdsock_[a-z]' || true)
  if [ -n "$bad" ]; then
    echo "FAIL: $dll exports non-public symbols:"; echo "$bad"; status=1
  else
    echo "ok: $dll exports only bsdsock_*"
  fi
fi
exit $status
