# SPDX-License-Identifier: MIT
# Builds for Linux on musl libc with Debian's musl-gcc wrapper (musl-tools),
# natively: the binaries run on this machine and the `linux-musl` preset
# runs the whole test suite with them. musl-gcc sees musl's headers and
# libraries only (/usr/include/x86_64-linux-musl), never glibc's
# /usr/include, so libraries the build needs (cmocka) are built with
# musl-gcc by scripts/setup.sh into their own prefix,
# build/deps/x86_64-linux-musl, which the preset passes in.
set(CMAKE_C_COMPILER musl-gcc)

# Find cmocka in that prefix only, never glibc's copy in /usr.
if(BSDSOCK_MUSL_DEPS)
  set(CMAKE_FIND_ROOT_PATH ${BSDSOCK_MUSL_DEPS})
  set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
  set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
  set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
  set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
endif()
