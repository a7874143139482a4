/* SPDX-License-Identifier: MIT */
/* <netdb.h> for transparent mode: the system's header, then the socket
 * names routed to a bsdsockd when BSDSOCK_REMOTE is set (bsdsock/dropin.h,
 * docs/compat.md). */
#include_next <netdb.h>
#include <bsdsock/dropin.h>
