# SPDX-License-Identifier: MIT
# Cross-compiles for 64-bit Windows with Debian's MinGW-w64 toolchain
# (gcc-mingw-w64-x86-64). Test binaries run under Wine through
# CMAKE_CROSSCOMPILING_EMULATOR, which the `windows` preset sets.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(BSDSOCK_MINGW_TRIPLE x86_64-w64-mingw32)

set(CMAKE_C_COMPILER   ${BSDSOCK_MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${BSDSOCK_MINGW_TRIPLE}-g++)
set(CMAKE_RC_COMPILER  ${BSDSOCK_MINGW_TRIPLE}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${BSDSOCK_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Libraries cross-built by scripts/setup.sh (cmocka, libuv) live under
# build/deps/<triple>; the `windows` preset passes that path in.
if(BSDSOCK_MINGW_DEPS)
  list(APPEND CMAKE_FIND_ROOT_PATH ${BSDSOCK_MINGW_DEPS})
endif()
