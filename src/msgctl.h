/* SPDX-License-Identifier: MIT */
/*
 * src/msgctl.h - the control messages (ancillary data) bsdsock reads and
 * writes for bsdsock_msginfo_t, one table for both backends: POSIX and
 * Winsock name them with the same constants, only the header layouts and
 * the CMSG macros differ (src/posix/msg.c, src/win32/msg.c). Included by a
 * backend after its native socket headers.
 */
#ifndef BSDSOCK_MSGCTL_H
#define BSDSOCK_MSGCTL_H

/* Bytes of control data per message: a PKTINFO (the IPv6 one is the
 * larger) and a TOS / traffic class int, with room for what else the
 * socket may have asked for (a TTL, a timestamp); what does not fit is
 * cut, and MSG_CTRUNC says so (fault F31). */
#define CTL_ROOM 128

/* X(level, type, kind). IP_TOS arrives as one byte (IP_RECVTOS), the IPv6
 * traffic class as an int (IPV6_RECVTCLASS). */
#define CTL_KINDS(X)                                                         \
  X(IPPROTO_IP, IP_PKTINFO, CTL_PKT4)                                        \
  X(IPPROTO_IP, IP_TOS, CTL_TOS)                                             \
  X(IPPROTO_IPV6, IPV6_PKTINFO, CTL_PKT6)                                    \
  X(IPPROTO_IPV6, IPV6_TCLASS, CTL_TOS)

enum ctl_what { CTL_NONE, CTL_PKT4, CTL_PKT6, CTL_TOS };

static const struct {
  int level, type;
  enum ctl_what kind;
} ctl_map[] = {
#define CTL_ROW(level, type, kind) {level, type, kind},
    CTL_KINDS(CTL_ROW)
#undef CTL_ROW
};

/* What a received control message is, CTL_NONE for one bsdsock ignores. */
static inline enum ctl_what ctl_find(int level, int type) {
  size_t i;
  for (i = 0; i < sizeof(ctl_map) / sizeof(ctl_map[0]); i++)
    if (ctl_map[i].level == level && ctl_map[i].type == type)
      return ctl_map[i].kind;
  return CTL_NONE;
}

#endif /* BSDSOCK_MSGCTL_H */
