# SPDX-License-Identifier: MIT
# The part of the MinGW-w64 toolchain files that does not depend on the
# target: they set CMAKE_SYSTEM_PROCESSOR and BSDSOCK_MINGW_TRIPLE, then
# include this.
set(CMAKE_SYSTEM_NAME Windows)

set(CMAKE_C_COMPILER   ${BSDSOCK_MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${BSDSOCK_MINGW_TRIPLE}-g++)
set(CMAKE_RC_COMPILER  ${BSDSOCK_MINGW_TRIPLE}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${BSDSOCK_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Libraries cross-built by scripts/setup.sh (cmocka, libuv) live under
# build/deps/<triple>; the preset passes that path in.
if(BSDSOCK_MINGW_DEPS)
  list(APPEND CMAKE_FIND_ROOT_PATH ${BSDSOCK_MINGW_DEPS})
endif()
