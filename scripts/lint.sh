#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Source checks CI runs after the builds:
#  - _WIN32 is tested only in the two files README.md's "Layout" names for
#    it (the public platform selector/type header and the internal setup
#    header);
#  - every public bsdsock_* call is defined once, in the shared layer
#    (src/*.c), never in a backend (docs/design.md, "Layers");
#  - every public call has a documentation comment, and Doxygen builds the
#    API reference from the headers without a warning (docs/Doxyfile);
#  - every source file starts with its SPDX-License-Identifier line;
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

# Every public function declared in include/bsdsock/ must have a
# documentation comment of its own, which Doxygen reads into the API
# reference (HTML, and the man page `man <function>`); and the reference
# must build without a single Doxygen warning. The drop-in layers' runtime
# headers (compat_bsd.h, compat_winsock.h) are left out, here and in
# docs/Doxyfile: their bsdsock_compat_* functions are entry points that the
# drop-in headers #define the classic names onto (close(), WSAPoll() ...),
# which legacy code calls by those names and never by theirs, and
# docs/compat.md documents them by those names.
documented=$(grep -hoE 'BSDSOCK_EXTERN[^;(]*\bbsdsock_[a-z0-9_]+\s*\(' \
               $(ls include/bsdsock/*.h | grep -v '/compat_') \
             | grep -oE 'bsdsock_[a-z0-9_]+\s*\($' | tr -d '( ' | sort -u) || true
if ! command -v doxygen >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL: doxygen is not installed (scripts/setup.sh installs it)"
    status=1
  else
    echo "skip: doxygen is not installed; public calls not checked for documentation (scripts/setup.sh installs it)"
  fi
else
  doxy_out=$(mktemp -d)
  doxy_warnings=$( { cat docs/Doxyfile
                     echo "OUTPUT_DIRECTORY = \"$doxy_out\""
                     echo "GENERATE_HTML = NO"
                     echo "WARN_AS_ERROR = FAIL_ON_WARNINGS"; } | doxygen - 2>&1 ) || true
  # shellcheck disable=SC2086
  undocumented=$(python3 scripts/doxygen-man.py --check "$doxy_out/xml" $documented 2>&1) || true
  rm -rf "$doxy_out"
  if [ -n "$undocumented" ]; then
    echo "FAIL: public calls not documented in the API reference:"
    echo "$undocumented"
    status=1
  fi
  if [ -n "$doxy_warnings" ]; then
    echo "FAIL: Doxygen warns about the public headers (docs/Doxyfile):"
    echo "$doxy_warnings"
    status=1
  fi
  if [ -z "$undocumented" ] && [ -z "$doxy_warnings" ]; then
    echo "ok: every public call is documented ($(wc -w <<<"$documented") calls), Doxygen $(doxygen --version) without a warning"
  fi
fi

# Every source file names its licence in its first comment line (after a
# #! line): `/* SPDX-License-Identifier: MIT */` in C sources and headers
# (*.c, *.h, *.h.in), `# SPDX-License-Identifier: MIT` in CMake files and
# templates (CMakeLists.txt, *.cmake, *.cmake.in, *.pc.in), docs/Doxyfile
# and the scripts (*.sh, *.py, everything in scripts/ and .ci/). Test
# corpora, data files and documents carry none. Files not yet committed
# count too, so a new file is caught before it is.
spdx_files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' '*.h.in' \
               '*.cmake' '*.cmake.in' '*.pc.in' '*CMakeLists.txt' '*.sh' '*.py' \
               'scripts/*' '.ci/*' docs/Doxyfile | sort -u)
spdx_bad=""
for f in $spdx_files; do
  [ -f "$f" ] || continue
  first=$(awk 'NR == 1 && /^#!/ {next} {print; exit}' "$f")
  case "$first" in
    '/* SPDX-License-Identifier: MIT */'|'// SPDX-License-Identifier: MIT'|'# SPDX-License-Identifier: MIT') ;;
    *) spdx_bad="$spdx_bad $f" ;;
  esac
done
if [ -n "$spdx_bad" ]; then
  echo "FAIL: source files whose first comment line is not SPDX-License-Identifier: MIT:$spdx_bad"
  status=1
else
  echo "ok: every source file starts with SPDX-License-Identifier: MIT ($(wc -w <<<"$spdx_files") files)"
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
