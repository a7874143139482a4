/* SPDX-License-Identifier: MIT */
/* <sys/ioctl.h> for transparent mode: the system's header, then the socket
 * names routed to a bsdsockd when BSDSOCK_REMOTE is set (bsdsock/dropin.h,
 * docs/compat.md). */
#include_next <sys/ioctl.h>
#include <bsdsock/dropin.h>
