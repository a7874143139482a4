/* SPDX-License-Identifier: MIT */
/* <poll.h> for transparent mode: the system's, which includes
 * <sys/poll.h>, whose drop-in renames poll() (docs/compat.md). */
#include_next <poll.h>
#include <sys/poll.h>
