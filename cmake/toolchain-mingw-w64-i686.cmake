# SPDX-License-Identifier: MIT
# Cross-compiles for 32-bit Windows with Debian's MinGW-w64 toolchain
# (gcc-mingw-w64-i686-win32: the win32 thread model, as the x86-64 build
# uses). The `windows-x86` preset builds with it; there is no 32-bit Wine
# on the CI machines, so that preset is a build check only (no ctest).
set(CMAKE_SYSTEM_PROCESSOR x86)
set(BSDSOCK_MINGW_TRIPLE i686-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)
