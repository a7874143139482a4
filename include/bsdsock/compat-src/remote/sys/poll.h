/* SPDX-License-Identifier: MIT */
/*
 * <sys/poll.h> for transparent mode (docs/compat.md): the system's header,
 * then the drop-in <poll.h>, which renames poll() (and says why the two
 * are arranged this way).
 */
#include_next <sys/poll.h>
#include <poll.h>
