/* SPDX-License-Identifier: MIT */
/**
 * @file wire.h
 * @brief The forwarding protocol's codec (docs/wire.md): frames that carry
 * bsdsock calls and their results between a client (<bsdsock/remote.h>)
 * and the server bsdsockd, in bsdsock's portable numbers.
 *
 * A frame is a 12-byte header (u32 length of the rest, u16 version, u16
 * opcode, u32 call id) and a payload whose fields each opcode's row of
 * BSDSOCK_WIRE_OPS lists, request and response. Everything is big-endian;
 * addresses have a fixed encoding (never the struct's bytes). The codec
 * makes no OS call and allocates nothing: a decoded message's bytes and
 * strings point into the buffer it was decoded from.
 */
#ifndef BSDSOCK_WIRE_H
#define BSDSOCK_WIRE_H

#include "bsdsock/bsdsock.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The protocol version this library speaks (the header's u16 version). */
#define BSDSOCK_WIRE_VERSION 1
/** Bytes of a frame's header: u32 length, u16 version, u16 opcode, u32 id. */
#define BSDSOCK_WIRE_HEADER 12
/** Most data bytes one send/recv frame carries (a client sends or asks
 * for at most this much per call; a stream send may then be partial). */
#define BSDSOCK_WIRE_MAX_DATA 1048576
/** Largest frame, header included, either end accepts by default. */
#define BSDSOCK_WIRE_MAX_FRAME (BSDSOCK_WIRE_MAX_DATA + 4096)
/** Most bytes of a string field, its terminating NUL included. */
#define BSDSOCK_WIRE_MAX_STR 1025
/** Most entries of a poll request. */
#define BSDSOCK_WIRE_MAX_POLLFDS 128
/** Most events of a poller wait. */
#define BSDSOCK_WIRE_MAX_EVENTS 128
/** Most entries of a getaddrinfo result. */
#define BSDSOCK_WIRE_MAX_AI 32
/** Opcode bit of a response (a request's opcode with this bit set). */
#define BSDSOCK_WIRE_RESPONSE 0x8000u

/** The opcodes: X(name, number, request fields, response fields).
 * Field letters: i = i32, u = u32, q = i64, Q = u64 (the integers, in
 * order, in bsdsock_wire_msg_t.num), a = address, b = bytes, s = string,
 * p = pollfd array, e = poller event array, g = addrinfo array. A
 * response's first field is always q, the result (negative: a portable
 * error code). NULL: that direction does not exist. docs/wire.md gives
 * each field's meaning. */
#define BSDSOCK_WIRE_OPS(X)                                                  \
  X(HELLO, 1, "b", "qssqqq")                                                 \
  X(ERROR, 2, NULL, "q")                                                     \
  X(SOCKET, 3, "iii", "q")                                                   \
  X(BIND, 4, "ia", "q")                                                      \
  X(LISTEN, 5, "ii", "q")                                                    \
  X(ACCEPT, 6, "ii", "qa")                                                   \
  X(CONNECT, 7, "ia", "q")                                                   \
  X(SHUTDOWN, 8, "ii", "q")                                                  \
  X(CLOSE, 9, "i", "q")                                                      \
  X(GETSOCKNAME, 10, "ii", "qa")                                             \
  X(GETPEERNAME, 11, "ii", "qa")                                             \
  X(SET_NONBLOCKING, 12, "ii", "q")                                          \
  X(GET_NONBLOCKING, 13, "i", "q")                                           \
  X(SEND, 14, "iiqb", "q")                                                   \
  X(RECV, 15, "iiqi", "qb")                                                  \
  X(SENDTO, 16, "iiqab", "q")                                                \
  X(RECVFROM, 17, "iiqii", "qab")                                            \
  X(SETSOCKOPT, 18, "iiiiqb", "q")                                           \
  X(GETSOCKOPT, 19, "iiiiq", "qqib")                                         \
  X(GETADDRINFO, 20, "ssiiiii", "qgs")                                       \
  X(GETNAMEINFO, 21, "aqqi", "qss")                                          \
  X(POLL, 22, "ip", "qp")                                                    \
  X(POLLER_CREATE, 23, "", "q")                                              \
  X(POLLER_CLOSE, 24, "i", "q")                                              \
  X(POLLER_ADD, 25, "iiuQ", "q")                                             \
  X(POLLER_MODIFY, 26, "iiuQ", "q")                                          \
  X(POLLER_DELETE, 27, "ii", "q")                                            \
  X(POLLER_WAIT, 28, "iii", "qe")

/** Opcode numbers (BSDSOCK_WIRE_OP_SOCKET, ...). */
enum bsdsock_wire_op {
/** One enumerator per row of BSDSOCK_WIRE_OPS. */
#define BSDSOCK_WIRE_OP_ENUM(name, num, req, resp) BSDSOCK_WIRE_OP_##name = num,
  BSDSOCK_WIRE_OPS(BSDSOCK_WIRE_OP_ENUM)
#undef BSDSOCK_WIRE_OP_ENUM
  BSDSOCK_WIRE_OP_COUNT_ /**< one past the last opcode */
};

/** Option value forms of SETSOCKOPT/GETSOCKOPT (their 4th integer). */
enum bsdsock_wire_optform {
  BSDSOCK_WIRE_OPT_RAW = 0,   /**< bytes as the caller gave them */
  BSDSOCK_WIRE_OPT_TYPED = 1, /**< the option's typed wire form */
  BSDSOCK_WIRE_OPT_NULL = 2,  /**< a NULL value pointer */
  BSDSOCK_WIRE_OPT_NULLLEN = 3 /**< getsockopt: a NULL length pointer */
};

/** One getaddrinfo entry on the wire (the canonical name travels apart). */
typedef struct bsdsock_wire_ai {
  int flags;             /**< BSDSOCK_AI_* */
  int family;            /**< BSDSOCK_AF_* */
  int socktype;          /**< BSDSOCK_SOCK_* */
  int protocol;          /**< BSDSOCK_IPPROTO_* */
  bsdsock_addr_t addr;   /**< the address */
} bsdsock_wire_ai_t;

/** A decoded (or to-be-encoded) message: the fields of its opcode's row,
 * in order, by kind. Bytes and strings are borrowed: after a decode they
 * point into the decoded buffer. */
typedef struct bsdsock_wire_msg {
  uint16_t opcode;         /**< BSDSOCK_WIRE_OP_*, | BSDSOCK_WIRE_RESPONSE */
  uint16_t version;        /**< decoded: the header's version */
  uint32_t call_id;        /**< echoed by the response */
  int64_t num[8];          /**< i/u/q/Q fields in order (num[0]: result) */
  int has_addr;            /**< the a field: 1 present, 0 a NULL address */
  bsdsock_addr_t addr;     /**< the a field's address */
  const uint8_t *data;     /**< the b field (NULL with data_len 0: empty) */
  size_t data_len;         /**< its length */
  const char *str[2];      /**< s fields, NUL-terminated, NULL if absent */
  size_t count;            /**< entries of the p, e or g field */
  /** The array field's entries. */
  union {
    bsdsock_pollfd_t pollfd[BSDSOCK_WIRE_MAX_POLLFDS];       /**< p */
    bsdsock_poller_event_t event[BSDSOCK_WIRE_MAX_EVENTS];   /**< e */
    bsdsock_wire_ai_t ai[BSDSOCK_WIRE_MAX_AI];               /**< g */
  } u;
} bsdsock_wire_msg_t;

/** The field letters of an opcode's request or response.
 * @return the letters, or NULL for an unknown opcode or a direction that
 * does not exist (an ERROR request). */
BSDSOCK_EXTERN const char *bsdsock_wire_fields(unsigned opcode);

/** The name of an opcode ("SOCKET"; the response bit is ignored).
 * @return the name, or "?" for an unknown opcode. */
BSDSOCK_EXTERN const char *bsdsock_wire_op_name(unsigned opcode);

/** Encodes a message as one frame into buf.
 * @return 0 and *len = the frame's size; BSDSOCK_EINVAL for a NULL
 * pointer, an unknown opcode or direction, an integer out of its field's
 * range, a malformed address (family and length) or a string with a NUL
 * inside; BSDSOCK_EMSGSIZE for a string, array or bytes field over its
 * limit or a frame over max_frame; BSDSOCK_ENOBUFS if cap is too small. */
BSDSOCK_EXTERN int bsdsock_wire_encode(const bsdsock_wire_msg_t *msg,
                                       uint8_t *buf, size_t cap,
                                       size_t max_frame, size_t *len);

/** How many bytes the frame starting at buf takes in all (its length
 * field plus 4), from its first four bytes.
 * @return 0 and *frame; BSDSOCK_EAGAIN if len < 4 (read more);
 * BSDSOCK_EPROTO if the length is below the header's; BSDSOCK_EMSGSIZE
 * if the frame would be larger than max_frame; BSDSOCK_EINVAL for a NULL
 * pointer. */
BSDSOCK_EXTERN int bsdsock_wire_frame_size(const uint8_t *buf, size_t len,
                                           size_t max_frame, size_t *frame);

/** Decodes exactly one frame of len bytes. Never reads outside buf.
 * @return 0; BSDSOCK_EMSGSIZE for a frame over max_frame or a field over
 * its limit; BSDSOCK_EPROTO for a length field that disagrees with len, a
 * truncated field, bytes left over, another version or an unknown opcode
 * or direction; BSDSOCK_EINVAL for a malformed field value (a presence
 * byte other than 0/1, an address whose length does not fit its family,
 * a string not NUL-terminated or with a NUL inside) or a NULL pointer.
 * On failure *msg is unspecified. */
BSDSOCK_EXTERN int bsdsock_wire_decode(const uint8_t *buf, size_t len,
                                       size_t max_frame,
                                       bsdsock_wire_msg_t *msg);

/** Converts an option value to its typed wire form (docs/wire.md): the
 * option's type from bsdsock's option table, big-endian.
 * @return the wire length (> 0); BSDSOCK_ENOPROTOOPT for an option
 * bsdsock does not know; BSDSOCK_EINVAL if len is not the option's value
 * size or value is NULL; BSDSOCK_ENOBUFS if cap is too small. */
BSDSOCK_EXTERN int bsdsock_wire_optval_encode(int level, int name,
                                              const void *value, size_t len,
                                              uint8_t *out, size_t cap);

/** Converts an option value back from its typed wire form.
 * @return the value's size on the API side (written to value);
 * BSDSOCK_ENOPROTOOPT for an unknown option; BSDSOCK_EINVAL if inlen is
 * not the option's wire size; BSDSOCK_ENOBUFS if cap is too small. */
BSDSOCK_EXTERN int bsdsock_wire_optval_decode(int level, int name,
                                              const uint8_t *in, size_t inlen,
                                              void *value, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* BSDSOCK_WIRE_H */
