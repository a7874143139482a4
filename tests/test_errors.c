/* SPDX-License-Identifier: MIT */
/*
 * test_errors.c - the portable error table and the backend's native-code
 * translation: names, messages, the WSABASEERR+errno rule, the EAI range,
 * and that every native code in the backend's table maps where it should.
 */
#include "harness.h"
#include "internal.h"

/* Every code of the public table has a distinct, non-generic name and
 * message, and the name round-trips through the table. */
static void test_names_and_messages(void **state) {
  static const struct { int code; const char *name; } table[] = {
#define ROW(name, num, msg) {-(num), #name},
      BSDSOCK_ERRNO_MAP(ROW)
#undef ROW
  };
  size_t i, j;
  (void)state;
  for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
    assert_string_equal(bsdsock_err_name(table[i].code), table[i].name);
    assert_string_not_equal(bsdsock_strerror(table[i].code), "");
    if (table[i].code != BSDSOCK_EUNKNOWN)
      assert_string_not_equal(bsdsock_strerror(table[i].code),
                              "unknown error");
    for (j = 0; j < i; j++) assert_int_not_equal(table[i].code, table[j].code);
  }
}

/* The contract fixes these numbers; a change breaks the wire format. */
static void test_fixed_numbers(void **state) {
  (void)state;
  assert_int_equal(BSDSOCK_ECONNREFUSED, -61);
  assert_int_equal(BSDSOCK_EAGAIN, -35);
  assert_int_equal(BSDSOCK_EWOULDBLOCK, BSDSOCK_EAGAIN);
  assert_int_equal(BSDSOCK_EINPROGRESS, -36);
  assert_int_equal(BSDSOCK_EPIPE, -32);
  assert_int_equal(BSDSOCK_ECONNRESET, -54);
  assert_int_equal(BSDSOCK_ETIMEDOUT, -60);
  assert_int_equal(BSDSOCK_EBADF, -9);
  assert_int_equal(BSDSOCK_EINVAL, -22);
  assert_int_equal(BSDSOCK_EAI_NONAME, -3008);
  assert_int_equal(BSDSOCK_EAI_AGAIN, -3002);
  assert_int_equal(BSDSOCK_ENOTINITIALISED, -10093);
}

static void test_unknown_codes(void **state) {
  (void)state;
  assert_string_equal(bsdsock_err_name(-12345), "EUNKNOWN");
  assert_string_equal(bsdsock_strerror(-12345), "unknown error");
  assert_string_equal(bsdsock_strerror(0), "success");
  assert_string_equal(bsdsock_err_name(1), "EUNKNOWN");
  assert_int_equal(bsdsock_translate_error(0), 0);
  assert_int_equal(bsdsock_translate_error(0x7ffffff0), BSDSOCK_EUNKNOWN);
  assert_int_equal(bsdsock_translate_error(-77777), BSDSOCK_EUNKNOWN);
  assert_string_equal(bsdsock_gai_strerror(BSDSOCK_EAI_NONAME),
                      bsdsock_strerror(BSDSOCK_EAI_NONAME));
}

/* Native codes whose portable name differs from their own by design. */
static const struct { const char *native; const char *portable; } renamed[] = {
    /* Linux-only errno values mapped to the nearest BSD meaning. */
    {"ENODATA", "ENOATTR"}, {"ETIME", "ETIMEDOUT"}, {"ENOSR", "ENOBUFS"},
    {"ENONET", "EHOSTUNREACH"}, {"ECOMM", "EIO"}, {"EBADFD", "EBADF"},
    {"ENOTUNIQ", "EADDRINUSE"}, {"EREMOTEIO", "EIO"}, {"EUCLEAN", "EIO"},
    {"EHWPOISON", "EIO"}, {"ERESTART", "EINTR"}, {"ESTRPIPE", "EPIPE"},
    {"ENOKEY", "EACCES"}, {"EKEYEXPIRED", "EACCES"},
    {"EKEYREVOKED", "EACCES"}, {"EKEYREJECTED", "EACCES"},
    {"ERFKILL", "ENETDOWN"}, {"ENOMEDIUM", "ENXIO"},
    {"EMEDIUMTYPE", "ENXIO"}, {"EXFULL", "ENOBUFS"},
    /* Winsock codes whose BSD spelling differs. */
    {"WSAEWOULDBLOCK", "EAGAIN"}, {"WSAECANCELLED", "ECANCELED"},
    {"WSA_E_CANCELLED", "ECANCELED"}, {"WSA_E_NO_MORE", "ENOMORE"},
    {"WSASYSNOTREADY", "ESYSNOTREADY"},
    {"WSAVERNOTSUPPORTED", "EVERNOTSUPPORTED"},
    {"WSANOTINITIALISED", "ENOTINITIALISED"},
    {"WSASYSCALLFAILURE", "ESYSCALLFAILURE"},
    {"WSASERVICE_NOT_FOUND", "ESERVICE_NOT_FOUND"},
    {"WSATYPE_NOT_FOUND", "ETYPE_NOT_FOUND"},
    {"WSAHOST_NOT_FOUND", "EAI_NONAME"}, {"WSATRY_AGAIN", "EAI_AGAIN"},
    {"WSANO_RECOVERY", "EAI_FAIL"}, {"WSANO_DATA", "EAI_NODATA"},
    {"WSA_INVALID_HANDLE", "EBADF"}, {"WSA_NOT_ENOUGH_MEMORY", "ENOMEM"},
    {"WSA_INVALID_PARAMETER", "EINVAL"},
    {"WSA_OPERATION_ABORTED", "ECANCELED"}, {"WSA_IO_INCOMPLETE", "EAGAIN"},
    {"WSA_IO_PENDING", "EINPROGRESS"},
    {"ERROR_NETNAME_DELETED", "ECONNRESET"}, {"ERROR_MORE_DATA", "EMSGSIZE"},
    {"ERROR_CONNECTION_REFUSED", "ECONNREFUSED"},
    {"ERROR_PORT_UNREACHABLE", "ECONNREFUSED"},
    {"ERROR_NETWORK_UNREACHABLE", "ENETUNREACH"},
    {"ERROR_HOST_UNREACHABLE", "EHOSTUNREACH"},
    {"ERROR_CONNECTION_ABORTED", "ECONNABORTED"},
    {"ERROR_SEM_TIMEOUT", "ETIMEDOUT"}, {"ERROR_NOT_SUPPORTED", "EOPNOTSUPP"},
    {"ERROR_ACCESS_DENIED", "EACCES"}, {"ERROR_TOO_MANY_OPEN_FILES", "EMFILE"},
    {"ERROR_BROKEN_PIPE", "EPIPE"},
};

/* The portable name a native code must land on: its own name without the
 * "WSA"/"WSA_" prefix ("WSAECONNREFUSED" -> "ECONNREFUSED",
 * "WSA_QOS_SENDERS" -> "EQOS_SENDERS"), unless listed above. */
static void expected_name(const char *native, char *out, size_t size) {
  size_t i;
  for (i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++) {
    if (strcmp(renamed[i].native, native) == 0) {
      snprintf(out, size, "%s", renamed[i].portable);
      return;
    }
  }
  if (strncmp(native, "WSA_QOS_", 8) == 0)
    snprintf(out, size, "EQOS_%s", native + 8);
  else if (strncmp(native, "WSA", 3) == 0)
    snprintf(out, size, "%s", native + 3);
  else
    snprintf(out, size, "%s", native);
}

/* Table-driven: every row of the backend's native table translates to the
 * expected portable code, and the native code is what
 * bsdsock_last_native_error() would report. */
static void test_native_table(void **state) {
  size_t i, n;
  const struct bsdsock__errmap *map = bsdsock__errmap(&n);
  char want[64];
  (void)state;
  assert_true(n > 60);
  for (i = 0; i < n; i++) {
    int got = bsdsock_translate_error(map[i].native);
    expected_name(map[i].name, want, sizeof(want));
    if (strcmp(bsdsock_err_name(got), want) != 0)
      fail_msg("%s (%d) -> %s, expected %s", map[i].name, map[i].native,
               bsdsock_err_name(got), want);
    assert_int_equal(bsdsock__fail_native(map[i].native), got);
    assert_int_equal(bsdsock_last_native_error(), map[i].native);
  }
}

/* Every Winsock error code winerror.h defines in its Winsock range
 * (WSABASEERR + 4 .. + 1031), written out here by number so the test does
 * not trust the headers the library was built with. */
static const int wsa_codes[] = {
    10004, 10009, 10013, 10014, 10022, 10024, 10035, 10036, 10037, 10038,
    10039, 10040, 10041, 10042, 10043, 10044, 10045, 10046, 10047, 10048,
    10049, 10050, 10051, 10052, 10053, 10054, 10055, 10056, 10057, 10058,
    10059, 10060, 10061, 10062, 10063, 10064, 10065, 10066, 10067, 10068,
    10069, 10070, 10071, 10091, 10092, 10093, 10101, 10102, 10103, 10104,
    10105, 10106, 10107, 10108, 10109, 10110, 10111, 10112, 11001, 11002,
    11003, 11004, 11005, 11006, 11007, 11008, 11009, 11010, 11011, 11012,
    11013, 11014, 11015, 11016, 11017, 11018, 11019, 11020, 11021, 11022,
    11023, 11024, 11025, 11026, 11027, 11028, 11029, 11030, 11031};

static void test_whole_wsa_range(void **state) {
  size_t i;
  (void)state;
  if (strcmp(bsdsock_backend(), "win32") != 0)
    H_SKIP("WSA codes are native only on the win32 backend (%s here)",
           bsdsock_backend());
  for (i = 0; i < sizeof(wsa_codes) / sizeof(wsa_codes[0]); i++) {
    int c = wsa_codes[i], got = bsdsock_translate_error(c);
    if (got == BSDSOCK_EUNKNOWN) fail_msg("WSA code %d maps to EUNKNOWN", c);
    /* The BSD-derived block is WSABASEERR + the BSD errno. */
    if (c <= 10071 && got != -(c - 10000))
      fail_msg("WSA code %d -> %d, expected %d", c, got, -(c - 10000));
  }
}

/* Linux errno values a socket call can return, by number. */
static void test_errno_values(void **state) {
  static const struct { int native; int portable; } linux_errno[] = {
      {11, BSDSOCK_EAGAIN},        {32, BSDSOCK_EPIPE},
      {88, BSDSOCK_ENOTSOCK},      {97, BSDSOCK_EAFNOSUPPORT},
      {98, BSDSOCK_EADDRINUSE},    {99, BSDSOCK_EADDRNOTAVAIL},
      {104, BSDSOCK_ECONNRESET},   {110, BSDSOCK_ETIMEDOUT},
      {111, BSDSOCK_ECONNREFUSED}, {113, BSDSOCK_EHOSTUNREACH},
      {114, BSDSOCK_EALREADY},     {115, BSDSOCK_EINPROGRESS},
      {9, BSDSOCK_EBADF},          {22, BSDSOCK_EINVAL},
      {24, BSDSOCK_EMFILE},        {105, BSDSOCK_ENOBUFS}};
  size_t i;
  (void)state;
  if (strcmp(bsdsock_backend(), "posix") != 0)
    H_SKIP("errno numbers are native only on the posix backend (%s here)",
           bsdsock_backend());
  for (i = 0; i < sizeof(linux_errno) / sizeof(linux_errno[0]); i++)
    assert_int_equal(bsdsock_translate_error(linux_errno[i].native),
                     linux_errno[i].portable);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names_and_messages),
      cmocka_unit_test(test_fixed_numbers),
      cmocka_unit_test(test_unknown_codes),
      cmocka_unit_test(test_native_table),
      cmocka_unit_test(test_whole_wsa_range),
      cmocka_unit_test(test_errno_values),
  };
  return H_RUN("errors", tests);
}
