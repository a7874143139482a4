/* SPDX-License-Identifier: MIT */
/*
 * src/compat/winsock/windows.c - the Win32 calls socket programs make,
 * behind the drop-in <windows.h> on POSIX (bsdsock/wintypes.h,
 * bsdsock/compat_winsock.h): FormatMessage with Winsock's messages,
 * LocalFree for its buffers, GetTickCount. GetLastError and Sleep are the
 * Winsock runtime's (api.c).
 */
#include "../../setup.h"
#include "bsdsock/compat_winsock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Win32 numbers FormatMessage answers with. */
enum {
  W_ERROR_INVALID_PARAMETER = 87,
  W_ERROR_NOT_ENOUGH_MEMORY = 8,
  W_ERROR_INSUFFICIENT_BUFFER = 122,
  W_ERROR_MR_MID_NOT_FOUND = 317,
  W_ALLOCATE_BUFFER = 0x100,
  W_FROM_SYSTEM = 0x1000,
  W_FROM_STRING = 0x400,
  W_FROM_HMODULE = 0x800,
  W_MAX_WIDTH_MASK = 0xff
};

/* The texts of the Winsock error numbers, and of the few system ones
 * socket code meets, as Microsoft's table of Windows Sockets error codes
 * names them (short descriptions; Windows' own message table words some
 * of them at more length). */
#define BSDSOCK__WS_MESSAGES(X)                                              \
  X(0, "The operation completed successfully.")                             \
  X(6, "The handle is invalid.")                                             \
  X(8, "Not enough memory resources are available.")                        \
  X(87, "The parameter is incorrect.")                                       \
  X(122, "The data area passed to a system call is too small.")             \
  X(995, "The I/O operation has been aborted.")                             \
  X(996, "Overlapped I/O event is not in a signaled state.")                \
  X(997, "Overlapped I/O operation is in progress.")                        \
  X(10004, "Interrupted function call.")                                     \
  X(10009, "File handle is not valid.")                                      \
  X(10013, "Permission denied.")                                             \
  X(10014, "Bad address.")                                                   \
  X(10022, "Invalid argument.")                                              \
  X(10024, "Too many open files.")                                           \
  X(10035, "Resource temporarily unavailable.")                              \
  X(10036, "Operation now in progress.")                                     \
  X(10037, "Operation already in progress.")                                 \
  X(10038, "Socket operation on nonsocket.")                                 \
  X(10039, "Destination address required.")                                  \
  X(10040, "Message too long.")                                              \
  X(10041, "Protocol wrong type for socket.")                                \
  X(10042, "Bad protocol option.")                                           \
  X(10043, "Protocol not supported.")                                        \
  X(10044, "Socket type not supported.")                                     \
  X(10045, "Operation not supported.")                                       \
  X(10046, "Protocol family not supported.")                                 \
  X(10047, "Address family not supported by protocol family.")              \
  X(10048, "Address already in use.")                                        \
  X(10049, "Cannot assign requested address.")                               \
  X(10050, "Network is down.")                                               \
  X(10051, "Network is unreachable.")                                        \
  X(10052, "Network dropped connection on reset.")                           \
  X(10053, "Software caused connection abort.")                              \
  X(10054, "Connection reset by peer.")                                      \
  X(10055, "No buffer space available.")                                     \
  X(10056, "Socket is already connected.")                                   \
  X(10057, "Socket is not connected.")                                       \
  X(10058, "Cannot send after socket shutdown.")                             \
  X(10059, "Too many references.")                                           \
  X(10060, "Connection timed out.")                                          \
  X(10061, "Connection refused.")                                            \
  X(10062, "Cannot translate name.")                                         \
  X(10063, "Name too long.")                                                 \
  X(10064, "Host is down.")                                                  \
  X(10065, "No route to host.")                                              \
  X(10066, "Directory not empty.")                                           \
  X(10067, "Too many processes.")                                            \
  X(10068, "User quota exceeded.")                                           \
  X(10069, "Disk quota exceeded.")                                           \
  X(10070, "Stale file handle reference.")                                   \
  X(10071, "Item is remote.")                                                \
  X(10091, "Network subsystem is unavailable.")                              \
  X(10092, "Winsock.dll version out of range.")                              \
  X(10093, "Successful WSAStartup not yet performed.")                       \
  X(10101, "Graceful shutdown in progress.")                                 \
  X(10102, "No more results.")                                               \
  X(10103, "Call has been canceled.")                                        \
  X(10104, "Procedure call table is invalid.")                               \
  X(10105, "Service provider is invalid.")                                   \
  X(10106, "Service provider failed to initialize.")                         \
  X(10107, "System call failure.")                                           \
  X(10108, "Service not found.")                                             \
  X(10109, "Class type not found.")                                          \
  X(10110, "No more results.")                                               \
  X(10111, "Call was canceled.")                                             \
  X(10112, "Database query was refused.")                                    \
  X(11001, "Host not found.")                                                \
  X(11002, "Nonauthoritative host not found.")                               \
  X(11003, "This is a nonrecoverable error.")                                \
  X(11004, "Valid name, no data record of requested type.")

static const struct {
  uint32_t id;
  const char *text;
} messages[] = {
#define BSDSOCK__MSG_ROW(id, text) {id, text},
    BSDSOCK__WS_MESSAGES(BSDSOCK__MSG_ROW)
#undef BSDSOCK__MSG_ROW
};

static uint32_t format_fail(uint32_t err) {
  bsdsock_compat_wsasetlasterror((int)err);
  return 0;
}

uint32_t bsdsock_compat_formatmessage(uint32_t flags, const void *source,
                                      uint32_t id, uint32_t lang, char *buf,
                                      uint32_t size, void *args) {
  const char *text = NULL;
  const char *eol;
  size_t i, n;
  (void)source;
  (void)lang;
  (void)args;
  /* Only the system's messages exist here: no message-table modules, and
   * a FROM_STRING format would need the inserts this never expands. */
  if (!(flags & W_FROM_SYSTEM) || (flags & (W_FROM_STRING | W_FROM_HMODULE)) ||
      buf == NULL)
    return format_fail(W_ERROR_INVALID_PARAMETER);
  for (i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
    if (messages[i].id == id) text = messages[i].text;
  if (text == NULL) return format_fail(W_ERROR_MR_MID_NOT_FOUND);
  /* Windows' messages end with a line break; a width in the low byte
   * formats the text without one. */
  eol = (flags & W_MAX_WIDTH_MASK) ? "" : "\r\n";
  n = strlen(text) + strlen(eol);
  if (flags & W_ALLOCATE_BUFFER) {
    /* buf is really a char **: the buffer is stored there, at least size
     * chars large, for LocalFree(). */
    char *mem = malloc(n + 1 > size ? n + 1 : size);
    if (mem == NULL) return format_fail(W_ERROR_NOT_ENOUGH_MEMORY);
    memcpy(mem, text, strlen(text));
    memcpy(mem + strlen(text), eol, strlen(eol) + 1);
    memcpy(buf, &mem, sizeof(mem));
    return (uint32_t)n;
  }
  if (n + 1 > size) return format_fail(W_ERROR_INSUFFICIENT_BUFFER);
  memcpy(buf, text, strlen(text));
  memcpy(buf + strlen(text), eol, strlen(eol) + 1);
  return (uint32_t)n;
}

void *bsdsock_compat_localfree(void *mem) {
  free(mem);
  return NULL;
}

uint64_t bsdsock_compat_gettickcount64(void) {
  struct timespec ts;
  int e = errno;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) ts.tv_sec = 0, ts.tv_nsec = 0;
  errno = e;
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
