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

# musl-gcc sees no kernel headers either. The Linux UAPI headers
# (<linux/rtnetlink.h> for interface watches, src/posix/ifwatch.c) do not
# depend on the C library, as Alpine's linux-headers package shows: the
# build tree gets a directory holding only linux/, asm/ and asm-generic/
# from the host's copy, searched after musl's own headers. Without them
# the library still builds, with no interface watches (src/setup.h).
set(_bsdsock_uapi /usr/include)
set(_bsdsock_asm /usr/include/${CMAKE_HOST_SYSTEM_PROCESSOR}-linux-gnu/asm)
if(EXISTS ${_bsdsock_uapi}/linux/rtnetlink.h AND EXISTS ${_bsdsock_asm})
  set(_bsdsock_kh ${CMAKE_BINARY_DIR}/musl-kernel-headers)
  file(MAKE_DIRECTORY ${_bsdsock_kh})
  foreach(_d linux asm-generic)
    if(NOT EXISTS ${_bsdsock_kh}/${_d})
      file(CREATE_LINK ${_bsdsock_uapi}/${_d} ${_bsdsock_kh}/${_d} SYMBOLIC)
    endif()
  endforeach()
  if(NOT EXISTS ${_bsdsock_kh}/asm)
    file(CREATE_LINK ${_bsdsock_asm} ${_bsdsock_kh}/asm SYMBOLIC)
  endif()
  set(CMAKE_C_FLAGS_INIT "${CMAKE_C_FLAGS_INIT} -idirafter ${_bsdsock_kh}")
endif()
