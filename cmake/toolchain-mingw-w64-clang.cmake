# SPDX-License-Identifier: MIT
# Cross-compiles for 64-bit Windows with Debian's clang
# (--target=x86_64-w64-mingw32) on the MinGW-w64 headers, import libraries
# and libgcc of the gcc-mingw-w64-x86-64 packages, linking with their
# x86_64-w64-mingw32-ld. The `windows-clang` preset builds with it and runs
# the tests under Wine, as the `windows` preset does with gcc.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(BSDSOCK_MINGW_TRIPLE x86_64-w64-mingw32)

set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET ${BSDSOCK_MINGW_TRIPLE})
set(CMAKE_RC_COMPILER ${BSDSOCK_MINGW_TRIPLE}-windres)
set(CMAKE_AR     /usr/bin/${BSDSOCK_MINGW_TRIPLE}-ar     CACHE FILEPATH "")
set(CMAKE_RANLIB /usr/bin/${BSDSOCK_MINGW_TRIPLE}-ranlib CACHE FILEPATH "")

# The MinGW-w64 tree is the sysroot: without it clang also searches the
# host's /usr/include and /usr/lib.
set(CMAKE_SYSROOT /usr/${BSDSOCK_MINGW_TRIPLE})

# clang 14 does not recognise Debian's GCC directory name
# (/usr/lib/gcc/x86_64-w64-mingw32/12-win32), so it would link without
# libgcc (__chkstk_ms, 128-bit division ...); the MinGW gcc says where its
# libgcc is.
execute_process(
  COMMAND ${BSDSOCK_MINGW_TRIPLE}-gcc -print-libgcc-file-name
  OUTPUT_VARIABLE BSDSOCK_MINGW_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE BSDSOCK_MINGW_LIBGCC_RC)
if(NOT BSDSOCK_MINGW_LIBGCC_RC EQUAL 0 OR NOT EXISTS "${BSDSOCK_MINGW_LIBGCC}")
  message(FATAL_ERROR "${BSDSOCK_MINGW_TRIPLE}-gcc not found: clang links "
          "with its libgcc (scripts/setup.sh installs gcc-mingw-w64-x86-64)")
endif()
get_filename_component(BSDSOCK_MINGW_LIBGCC_DIR "${BSDSOCK_MINGW_LIBGCC}" DIRECTORY)
foreach(kind EXE SHARED MODULE)
  set(CMAKE_${kind}_LINKER_FLAGS_INIT "-L${BSDSOCK_MINGW_LIBGCC_DIR}")
endforeach()

set(CMAKE_FIND_ROOT_PATH /usr/${BSDSOCK_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# cmocka and libuv cross-built by scripts/setup.sh with the MinGW gcc
# (build/deps/x86_64-w64-mingw32): the same C ABI and C runtime (msvcrt),
# so the clang build links them as they are.
if(BSDSOCK_MINGW_DEPS)
  list(APPEND CMAKE_FIND_ROOT_PATH ${BSDSOCK_MINGW_DEPS})
endif()
