# SPDX-License-Identifier: MIT
# Cross-compiles for 64-bit Windows with Debian's MinGW-w64 toolchain
# (gcc-mingw-w64-x86-64). Test binaries run under Wine through
# CMAKE_CROSSCOMPILING_EMULATOR, which the `windows` preset sets.
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(BSDSOCK_MINGW_TRIPLE x86_64-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)
