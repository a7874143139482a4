/* SPDX-License-Identifier: MIT */
/* <sys/select.h> for transparent mode: the system's header, then the socket
 * names routed to a bsdsockd when BSDSOCK_REMOTE is set (bsdsock/dropin.h,
 * docs/compat.md). */
#include_next <sys/select.h>
#include <bsdsock/dropin.h>
