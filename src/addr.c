/* SPDX-License-Identifier: MIT */
/*
 * src/addr.c - bsdsock_addr_t: strict text parsing and formatting, and
 * conversion to and from the platform's native sockaddr.
 *
 * The text parsers are bsdsock's own, never the OS's inet_pton/inet_aton/
 * getaddrinfo: those disagree between platforms and, through inet_aton
 * semantics, read "010.0.0.1" as 8.0.0.1 and "127.1" or "0x7f000001" as
 * 127.0.0.1. Accepting text that another parser reads differently is how
 * allow-lists get bypassed (CVE-2021-29923 in Go's net, CVE-2025-40910,
 * tor#32363), so anything that is not the one canonical dotted quad is
 * rejected. The IPv6 parser works on an explicit length and never steps
 * outside it (CVE-2023-31130: a buffer underflow in c-ares's
 * ares_inet_net_pton on "0::00:00:00/2").
 *
 * Nothing here depends on the OS: the native structs come from setup.h,
 * and their field names are the same in BSD sockets and Winsock.
 */
#include "internal.h"

#include <stdbool.h>

/* Longest text bsdsock_addr_parse() looks at: an IPv6 address (45), '%'
 * and an interface name, with room to spare. Longer input is rejected
 * without being read to its end. */
#define TEXT_MAX 128

/* bsdsock_addr_t's promise in bsdsock.h: the same 120 bytes everywhere, so
 * that it can go on the wire. */
_Static_assert(sizeof(bsdsock_addr_t) == 120, "bsdsock_addr_t is 120 bytes");

#define FIELD_SIZE(type, field) sizeof(((type *)0)->field)

/* The family field closes every native sockaddr's common header. */
#define FAMILY_END                                                           \
  (offsetof(struct sockaddr, sa_family) +                                    \
   FIELD_SIZE(struct sockaddr, sa_family))

/* Room for an AF_UNIX path and its NUL: the smaller of ours and the
 * platform's (108 on Linux and Windows, 104 on the BSDs). */
#define UNIX_PATH_ROOM                                                       \
  (FIELD_SIZE(struct sockaddr_un, sun_path) <                                \
           FIELD_SIZE(bsdsock_addr_t, u.path)                                \
       ? FIELD_SIZE(struct sockaddr_un, sun_path)                            \
       : FIELD_SIZE(bsdsock_addr_t, u.path))

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */

/* strlen() that stops looking after max bytes: returns max + 1 for a
 * longer string, so hostile input is never scanned to its end. */
static size_t bounded_len(const char *s, size_t max) {
  size_t n = 0;
  while (n <= max && s[n] != '\0') n++;
  return n;
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* Value of a hex digit, or -1. Written out rather than isxdigit() so that
 * the locale cannot widen what is accepted. */
static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static uint16_t load_be16(const uint8_t *p) {
  return (uint16_t)((p[0] << 8) | p[1]);
}

static void store_be16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)(v & 0xff);
}

/* The port fields are in network byte order; going through bytes keeps
 * this file free of htons()/ntohs(), whose headers differ by platform. */
static void set_port(bsdsock_addr_t *addr, uint16_t port) {
  store_be16((uint8_t *)&addr->port, port);
}

static uint16_t get_port(const bsdsock_addr_t *addr) {
  return load_be16((const uint8_t *)&addr->port);
}

/* ------------------------------------------------------------------------ */
/* Text -> bytes                                                             */

/* Exactly n characters of strict dotted-quad IPv4: four decimal parts of
 * 0..255 with no leading zeros, nothing before, between or after. */
static bool parse_ipv4(const char *s, size_t n, uint8_t out[4]) {
  uint8_t bytes[4];
  size_t i = 0;
  int part;

  for (part = 0; part < 4; part++) {
    unsigned value = 0;
    size_t digits = 0;
    if (part > 0) {
      if (i >= n || s[i] != '.') return false;
      i++;
    }
    while (i < n && is_digit(s[i]) && digits < 3) {
      value = value * 10 + (unsigned)(s[i] - '0');
      i++;
      digits++;
    }
    if (digits == 0 || value > 255) return false;
    /* "010" is octal to inet_aton() and decimal to others: refuse both. */
    if (digits > 1 && s[i - digits] == '0') return false;
    bytes[part] = (uint8_t)value;
  }
  if (i != n) return false;
  memcpy(out, bytes, 4);
  return true;
}

/* Writes the groups parsed around a "::" (at index gap, or -1 for none)
 * out as 16 bytes, the gap filled with zeros. */
static void expand_ipv6(const uint16_t *groups, size_t ngroups, int gap,
                        uint8_t out[16]) {
  size_t i, tail, head = gap < 0 ? ngroups : (size_t)gap;

  memset(out, 0, 16);
  for (i = 0; i < head; i++) store_be16(out + 2 * i, groups[i]);
  tail = ngroups - head;
  for (i = 0; i < tail; i++)
    store_be16(out + 2 * (8 - tail + i), groups[head + i]);
}

/* Exactly n characters of IPv6 text (RFC 4291 section 2.2): eight groups
 * of 1-4 hex digits, or fewer with one "::" standing for at least one zero
 * group, optionally ending in a strict dotted quad worth two groups. Every
 * index is checked against n before it is read. */
static bool parse_ipv6(const char *s, size_t n, uint8_t out[16]) {
  uint16_t groups[8];
  size_t ngroups = 0, i = 0;
  int gap = -1;

  if (n >= 2 && s[0] == ':' && s[1] == ':') {
    gap = 0;
    i = 2;
  } else if (n >= 1 && s[0] == ':') {
    return false;                     /* ":1": a lone leading colon */
  }

  while (i < n) {
    size_t start = i, digits = 0;
    unsigned value = 0;

    /* Read one digit past the limit of 4 to tell "12345" from "1234". */
    while (i < n && digits < 5 && hex_value(s[i]) >= 0) {
      value = value * 16 + (unsigned)hex_value(s[i]);
      i++;
      digits++;
    }
    if (digits == 0) return false;    /* ":::", "1:::2", "1:" ... */

    if (i < n && s[i] == '.') {
      /* The embedded IPv4 takes two groups and must end the text. */
      uint8_t v4[4];
      if (ngroups > 6 || !parse_ipv4(s + start, n - start, v4)) return false;
      groups[ngroups++] = load_be16(v4);
      groups[ngroups++] = load_be16(v4 + 2);
      i = n;
      break;
    }
    if (digits > 4 || ngroups == 8) return false;
    groups[ngroups++] = (uint16_t)value;

    if (i == n) break;
    if (s[i] != ':') return false;    /* "/2", "%1", " " and the like */
    i++;
    if (i < n && s[i] == ':') {
      if (gap >= 0) return false;     /* a second "::" is ambiguous */
      gap = (int)ngroups;
      i++;
    } else if (i == n) {
      return false;                   /* "1:": a lone trailing colon */
    }
  }

  /* "::" must stand for at least one group; without it, all eight. */
  if (gap >= 0 ? ngroups > 7 : ngroups != 8) return false;
  expand_ipv6(groups, ngroups, gap, out);
  return true;
}

/* Interface index after '%' (RFC 4007 section 11): plain decimal that fits
 * 32 bits, or an interface name where setup.h says if_nametoindex() is
 * declared (<net/if.h> on POSIX; on Windows it needs <netioapi.h>, which
 * setup.h does not pull in yet). Without it, names are rejected rather
 * than guessed at, so both backends agree. */
static bool parse_scope(const char *s, size_t n, uint32_t *scope_id) {
  uint64_t value = 0;
  size_t i;

  if (n == 0) return false;
  for (i = 0; i < n && is_digit(s[i]); i++) {
    value = value * 10 + (uint64_t)(s[i] - '0');
    if (value > UINT32_MAX) return false;
  }
  if (i == n) {
    if (n > 1 && s[0] == '0') return false;  /* one spelling per index */
    *scope_id = (uint32_t)value;
    return true;
  }
#ifdef BSDSOCK_HAVE_IF_NAMETOINDEX
  {
    char name[TEXT_MAX + 1];
    unsigned index;
    memcpy(name, s, n);
    name[n] = '\0';
    index = if_nametoindex(name);
    if (index == 0) return false;
    *scope_id = index;
    return true;
  }
#else
  return false;
#endif
}

/* ------------------------------------------------------------------------ */
/* Bytes -> text                                                             */

/* Appends to a caller's buffer that is known to be large enough: every
 * caller below formats into a local array sized for its longest output. */
struct text {
  char *p;
};

static void put_char(struct text *t, char c) {
  *t->p++ = c;
}

static void put_str(struct text *t, const char *s) {
  while (*s != '\0') put_char(t, *s++);
}

static void put_dec(struct text *t, uint32_t v) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) put_char(t, digits[--n]);
}

/* RFC 5952 section 4.1 and 4.3: no leading zeros, lowercase. */
static void put_hex16(struct text *t, uint16_t v) {
  static const char hex[] = "0123456789abcdef";
  int shift = 12;
  while (shift > 0 && (v >> shift) == 0) shift -= 4;
  for (; shift >= 0; shift -= 4) put_char(t, hex[(v >> shift) & 0xf]);
}

static void put_ipv4(struct text *t, const uint8_t a[4]) {
  int i;
  for (i = 0; i < 4; i++) {
    if (i > 0) put_char(t, '.');
    put_dec(t, a[i]);
  }
}

/* IPv4-mapped addresses (::ffff:0:0/96) keep their dotted quad (RFC 5952
 * section 5). The IPv4-compatible form (::a.b.c.d) that RFC 4291 section
 * 2.5.5.1 deprecated is printed in hex like any other address, so that
 * "::2" never comes out as "::0.0.0.2". */
static bool is_v4_mapped(const uint8_t a[16]) {
  static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return memcmp(a, prefix, sizeof(prefix)) == 0;
}

/* RFC 5952 section 4.2: "::" replaces the longest run of two or more zero
 * groups, the first such run on a tie; a lone zero group stays "0". */
static void put_ipv6(struct text *t, const uint8_t a[16]) {
  uint16_t w[8];
  int i, best = -1, best_len = 0, run = 0;

  if (is_v4_mapped(a)) {
    put_str(t, "::ffff:");
    put_ipv4(t, a + 12);
    return;
  }
  for (i = 0; i < 8; i++) {
    w[i] = load_be16(a + 2 * i);
    run = w[i] == 0 ? run + 1 : 0;
    if (run > best_len) {
      best_len = run;
      best = i - run + 1;
    }
  }
  if (best_len < 2) best = -1;

  for (i = 0; i < 8;) {
    if (i == best) {
      put_str(t, "::");
      i += best_len;
      continue;
    }
    if (i > 0 && i != best + best_len) put_char(t, ':');
    put_hex16(t, w[i++]);
  }
}

/* Copies len bytes of formatted text and its NUL out. When they do not
 * fit, dst becomes "" (if it has room for that), so that a caller who
 * ignores the error never prints a truncated or stale address. */
static int copy_text(char *dst, size_t size, const char *src, size_t len) {
  if (len >= size) {
    if (size > 0) dst[0] = '\0';
    return bsdsock__fail(BSDSOCK_ENOSPC);
  }
  memcpy(dst, src, len + 1);
  return (int)len;
}

/* Length of a path that may fill u.path without a NUL (a struct filled by
 * hand); UNIX_PATH_ROOM or more means it cannot be used. */
static size_t unix_path_len(const bsdsock_addr_t *addr) {
  size_t n = 0;
  while (n < sizeof(addr->u.path) && addr->u.path[n] != '\0') n++;
  return n;
}

/* Address text without the port into out (TEXT_MAX bytes); returns the
 * length or a negative error. */
static int format_host(const bsdsock_addr_t *addr, char *out) {
  struct text t;
  size_t n;

  t.p = out;
  switch (addr->family) {
    case BSDSOCK_AF_INET:
      put_ipv4(&t, addr->u.ip4);
      break;
    case BSDSOCK_AF_INET6:
      put_ipv6(&t, addr->u.ip6);
      if (addr->scope_id != 0) {
        put_char(&t, '%');
        put_dec(&t, addr->scope_id);
      }
      break;
    case BSDSOCK_AF_UNIX:
      n = unix_path_len(addr);
      if (n >= UNIX_PATH_ROOM) return BSDSOCK_EINVAL;
      memcpy(out, addr->u.path, n);
      t.p = out + n;
      break;
    default:
      return BSDSOCK_EAFNOSUPPORT;
  }
  *t.p = '\0';
  return (int)(t.p - out);
}

/* ------------------------------------------------------------------------ */
/* Public text API                                                           */

int bsdsock_inet_pton(int af, const char *src, void *dst) {
  uint8_t bytes[16];
  size_t n;

  if (src == NULL || dst == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  if (af != BSDSOCK_AF_INET && af != BSDSOCK_AF_INET6)
    return bsdsock__fail(BSDSOCK_EAFNOSUPPORT);
  n = bounded_len(src, TEXT_MAX);
  if (af == BSDSOCK_AF_INET) {
    if (!parse_ipv4(src, n, bytes)) return bsdsock__fail(BSDSOCK_EINVAL);
    memcpy(dst, bytes, 4);
  } else {
    if (!parse_ipv6(src, n, bytes)) return bsdsock__fail(BSDSOCK_EINVAL);
    memcpy(dst, bytes, 16);
  }
  return 0;
}

int bsdsock_inet_ntop(int af, const void *src, char *dst, size_t size) {
  char buf[BSDSOCK_INET6_ADDRSTRLEN];
  struct text t;

  if (src == NULL || dst == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  t.p = buf;
  if (af == BSDSOCK_AF_INET)
    put_ipv4(&t, (const uint8_t *)src);
  else if (af == BSDSOCK_AF_INET6)
    put_ipv6(&t, (const uint8_t *)src);
  else
    return bsdsock__fail(BSDSOCK_EAFNOSUPPORT);
  *t.p = '\0';
  return copy_text(dst, size, buf, (size_t)(t.p - buf));
}

/* bsdsock_addr_parse() without recording a failure: also the parser of
 * bsdsock_getaddrinfo()'s numeric hosts and of the numeric text a
 * getnameinfo() answer may be (src/resolve.c), so that one text has one
 * meaning everywhere. */
int bsdsock__addr_parse(bsdsock_addr_t *addr, const char *text,
                        uint16_t port) {
  bsdsock_addr_t tmp;
  const char *pct;
  size_t n, host_len;

  if (addr == NULL || text == NULL) return BSDSOCK_EINVAL;
  n = bounded_len(text, TEXT_MAX);
  if (n > TEXT_MAX) return BSDSOCK_EINVAL;
  pct = memchr(text, '%', n);
  host_len = pct != NULL ? (size_t)(pct - text) : n;

  memset(&tmp, 0, sizeof(tmp));
  if (memchr(text, ':', host_len) == NULL) {
    /* A scope only means something for IPv6 (RFC 4007). */
    if (pct != NULL || !parse_ipv4(text, n, tmp.u.ip4)) return BSDSOCK_EINVAL;
    tmp.family = BSDSOCK_AF_INET;
  } else {
    if (!parse_ipv6(text, host_len, tmp.u.ip6)) return BSDSOCK_EINVAL;
    if (pct != NULL && !parse_scope(pct + 1, n - host_len - 1, &tmp.scope_id))
      return BSDSOCK_EINVAL;
    tmp.family = BSDSOCK_AF_INET6;
  }
  set_port(&tmp, port);
  *addr = tmp;
  return 0;
}

int bsdsock_addr_parse(bsdsock_addr_t *addr, const char *text,
                       uint16_t port) {
  int rc = bsdsock__addr_parse(addr, text, port);
  return rc != 0 ? bsdsock__fail(rc) : 0;
}

/* Shared by addr_any and addr_loopback: the two differ only in bytes. */
static int fill_ip(bsdsock_addr_t *addr, int family, uint16_t port,
                   bool loopback) {
  bsdsock_addr_t tmp;

  if (addr == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  memset(&tmp, 0, sizeof(tmp));
  if (family == BSDSOCK_AF_INET) {
    if (loopback) {
      tmp.u.ip4[0] = 127;
      tmp.u.ip4[3] = 1;
    }
  } else if (family == BSDSOCK_AF_INET6) {
    if (loopback) tmp.u.ip6[15] = 1;
  } else {
    return bsdsock__fail(BSDSOCK_EAFNOSUPPORT);
  }
  tmp.family = (uint16_t)family;
  set_port(&tmp, port);
  *addr = tmp;
  return 0;
}

int bsdsock_addr_any(bsdsock_addr_t *addr, int family, uint16_t port) {
  return fill_ip(addr, family, port, false);
}

int bsdsock_addr_loopback(bsdsock_addr_t *addr, int family, uint16_t port) {
  return fill_ip(addr, family, port, true);
}

int bsdsock_addr_unix(bsdsock_addr_t *addr, const char *path) {
  size_t n;

  if (addr == NULL || path == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  n = bounded_len(path, UNIX_PATH_ROOM);
  if (n == 0) return bsdsock__fail(BSDSOCK_EINVAL);
  if (n >= UNIX_PATH_ROOM) return bsdsock__fail(BSDSOCK_ENAMETOOLONG);
  memset(addr, 0, sizeof(*addr));
  addr->family = BSDSOCK_AF_UNIX;
  memcpy(addr->u.path, path, n);
  return 0;
}

uint16_t bsdsock_addr_port(const bsdsock_addr_t *addr) {
  if (addr == NULL) return 0;
  if (addr->family != BSDSOCK_AF_INET && addr->family != BSDSOCK_AF_INET6)
    return 0;
  return get_port(addr);
}

int bsdsock_addr_to_text(const bsdsock_addr_t *addr, char *buf, size_t size) {
  char tmp[TEXT_MAX];
  int n;

  if (addr == NULL || buf == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  n = format_host(addr, tmp);
  if (n < 0) return bsdsock__fail(n);
  return copy_text(buf, size, tmp, (size_t)n);
}

int bsdsock_addr_format(const bsdsock_addr_t *addr, char *buf, size_t size) {
  char tmp[TEXT_MAX + 16];
  struct text t;
  int n;

  if (addr == NULL || buf == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  /* IPv6 goes in brackets so that its colons cannot be read as the port
   * separator (RFC 3986 section 3.2.2, RFC 5952 section 6). */
  t.p = tmp;
  if (addr->family == BSDSOCK_AF_INET6) put_char(&t, '[');
  n = format_host(addr, t.p);
  if (n < 0) return bsdsock__fail(n);
  t.p += n;
  if (addr->family == BSDSOCK_AF_INET6) put_char(&t, ']');
  if (addr->family != BSDSOCK_AF_UNIX) {
    put_char(&t, ':');
    put_dec(&t, get_port(addr));
  }
  *t.p = '\0';
  return copy_text(buf, size, tmp, (size_t)(t.p - tmp));
}

/* ------------------------------------------------------------------------ */
/* Native sockaddr                                                           */

/* Each family's native struct is filled as a local and copied into the
 * storage with memcpy, which sidesteps alignment and aliasing questions
 * about the caller's buffer. Port, flowinfo and the address are network
 * order on both sides and move as bytes; scope_id is host order on both. */

static bsdsock__socklen_t to_sockaddr_in(const bsdsock_addr_t *addr,
                                         struct sockaddr_storage *ss) {
  struct sockaddr_in sin;

  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  memcpy(&sin.sin_port, &addr->port, sizeof(sin.sin_port));
  memcpy(&sin.sin_addr, addr->u.ip4, 4);
  memcpy(ss, &sin, sizeof(sin));
  return (bsdsock__socklen_t)sizeof(sin);
}

static bsdsock__socklen_t to_sockaddr_in6(const bsdsock_addr_t *addr,
                                          struct sockaddr_storage *ss) {
  struct sockaddr_in6 sin6;

  memset(&sin6, 0, sizeof(sin6));
  sin6.sin6_family = AF_INET6;
  memcpy(&sin6.sin6_port, &addr->port, sizeof(sin6.sin6_port));
  memcpy(&sin6.sin6_flowinfo, &addr->flowinfo, sizeof(sin6.sin6_flowinfo));
  memcpy(&sin6.sin6_addr, addr->u.ip6, 16);
  sin6.sin6_scope_id = addr->scope_id;
  memcpy(ss, &sin6, sizeof(sin6));
  return (bsdsock__socklen_t)sizeof(sin6);
}

/* An empty path is an unnamed socket (what getsockname() reports before
 * bind): the native form is the family alone, which is what
 * bsdsock__addr_from_sockaddr() reads back as "". */
static int to_sockaddr_un(const bsdsock_addr_t *addr,
                          struct sockaddr_storage *ss,
                          bsdsock__socklen_t *len) {
  struct sockaddr_un su;
  size_t n = unix_path_len(addr);

  if (n >= UNIX_PATH_ROOM) return BSDSOCK_EINVAL;
  memset(&su, 0, sizeof(su));
  su.sun_family = AF_UNIX;
  memcpy(su.sun_path, addr->u.path, n);
  memcpy(ss, &su, sizeof(su));
  *len = (bsdsock__socklen_t)(offsetof(struct sockaddr_un, sun_path) +
                              (n > 0 ? n + 1 : 0));
  return 0;
}

int bsdsock__addr_to_sockaddr(const bsdsock_addr_t *addr,
                              struct sockaddr_storage *ss,
                              bsdsock__socklen_t *len) {
  if (addr == NULL || ss == NULL || len == NULL) return BSDSOCK_EINVAL;
  switch (addr->family) {
    case BSDSOCK_AF_INET:
      memset(ss, 0, sizeof(*ss));
      *len = to_sockaddr_in(addr, ss);
      return 0;
    case BSDSOCK_AF_INET6:
      memset(ss, 0, sizeof(*ss));
      *len = to_sockaddr_in6(addr, ss);
      return 0;
    case BSDSOCK_AF_UNIX:
      memset(ss, 0, sizeof(*ss));
      return to_sockaddr_un(addr, ss, len);
    default:
      return BSDSOCK_EAFNOSUPPORT;
  }
}

static void from_sockaddr_in(bsdsock_addr_t *addr, const void *native) {
  struct sockaddr_in sin;

  memcpy(&sin, native, sizeof(sin));
  addr->family = BSDSOCK_AF_INET;
  memcpy(&addr->port, &sin.sin_port, sizeof(addr->port));
  memcpy(addr->u.ip4, &sin.sin_addr, 4);
}

static void from_sockaddr_in6(bsdsock_addr_t *addr, const void *native) {
  struct sockaddr_in6 sin6;

  memcpy(&sin6, native, sizeof(sin6));
  addr->family = BSDSOCK_AF_INET6;
  memcpy(&addr->port, &sin6.sin6_port, sizeof(addr->port));
  memcpy(&addr->flowinfo, &sin6.sin6_flowinfo, sizeof(addr->flowinfo));
  memcpy(addr->u.ip6, &sin6.sin6_addr, 16);
  addr->scope_id = sin6.sin6_scope_id;
}

/* The path is the len - offsetof(sun_path) bytes after the family and
 * need not be NUL-terminated within them: Linux hands back the length the
 * socket was bound with, which may leave the NUL out. A path that fills
 * sun_path with no NUL cannot be held by bsdsock_addr_t.u.path with its
 * terminator, hence EINVAL. A path that starts with NUL reads as unnamed:
 * it is an unbound socket or a Linux abstract name, which the portable
 * type cannot carry (Windows has no abstract namespace). */
static int from_sockaddr_un(bsdsock_addr_t *addr, const void *native,
                            size_t len) {
  const char *path =
      (const char *)native + offsetof(struct sockaddr_un, sun_path);
  size_t avail = len - offsetof(struct sockaddr_un, sun_path), n = 0;

  if (avail > FIELD_SIZE(struct sockaddr_un, sun_path))
    avail = FIELD_SIZE(struct sockaddr_un, sun_path);
  while (n < avail && path[n] != '\0') n++;
  if (n >= sizeof(addr->u.path)) return BSDSOCK_EINVAL;  /* no room for NUL */
  addr->family = BSDSOCK_AF_UNIX;
  memcpy(addr->u.path, path, n);
  return 0;
}

int bsdsock__addr_from_sockaddr(bsdsock_addr_t *addr,
                                const struct sockaddr *sa, size_t len) {
  bsdsock_addr_t tmp;
  struct sockaddr head;
  size_t need;
  int rc = 0;

  if (addr == NULL) return BSDSOCK_EINVAL;
  memset(&tmp, 0, sizeof(tmp));
  /* recvfrom() on a connected stream and accept() on some platforms
   * report no address at all: that is "unspecified", not an error. */
  if (len == 0) {
    *addr = tmp;
    return 0;
  }
  if (sa == NULL || len < FAMILY_END) return BSDSOCK_EINVAL;

  memcpy(&head, sa, FAMILY_END);
  switch (head.sa_family) {
    case AF_UNSPEC: need = FAMILY_END; break;
    case AF_INET: need = sizeof(struct sockaddr_in); break;
    case AF_INET6: need = sizeof(struct sockaddr_in6); break;
    case AF_UNIX: need = offsetof(struct sockaddr_un, sun_path); break;
    default: return BSDSOCK_EAFNOSUPPORT;
  }
  if (len < need) return BSDSOCK_EINVAL;

  switch (head.sa_family) {
    case AF_INET: from_sockaddr_in(&tmp, sa); break;
    case AF_INET6: from_sockaddr_in6(&tmp, sa); break;
    case AF_UNIX: rc = from_sockaddr_un(&tmp, sa, len); break;
    default: break;  /* AF_UNSPEC: tmp is already all zero */
  }
  if (rc != 0) return rc;
  *addr = tmp;
  return 0;
}

int bsdsock_addr_to_native(const bsdsock_addr_t *addr, void *native,
                           size_t *len) {
  struct sockaddr_storage ss;
  bsdsock__socklen_t need;
  int rc;

  if (addr == NULL || native == NULL || len == NULL)
    return bsdsock__fail(BSDSOCK_EINVAL);
  rc = bsdsock__addr_to_sockaddr(addr, &ss, &need);
  if (rc != 0) return bsdsock__fail(rc);
  if (*len < (size_t)need) {
    *len = (size_t)need;
    return bsdsock__fail(BSDSOCK_EINVAL);
  }
  memcpy(native, &ss, (size_t)need);
  *len = (size_t)need;
  return 0;
}

int bsdsock_addr_from_native(bsdsock_addr_t *addr, const void *native,
                             size_t len) {
  int rc;

  /* Unlike the internal call, the public one has no "no address" case:
   * a caller handing over fewer bytes than a family field made a mistake. */
  if (addr == NULL || native == NULL || len < FAMILY_END)
    return bsdsock__fail(BSDSOCK_EINVAL);
  rc = bsdsock__addr_from_sockaddr(addr, (const struct sockaddr *)native, len);
  return rc != 0 ? bsdsock__fail(rc) : 0;
}
