/* SPDX-License-Identifier: MIT */
/*
 * bench/table.c - the table on stdout: what the run was, how to read it,
 * then one row per scenario x metric, with notes under a scenario.
 *
 * Every figure the table prints is rounded by one function (fmt_value),
 * and bench_shown() reads a figure back the way it was printed, so that
 * main.c can compute each ratio from the very numbers on the row: a reader
 * who divides two printed medians gets the printed ratio.
 *
 * Columns are separated by at least two spaces and no cell contains two
 * spaces in a row, so bench/check-json.py --table can split a row on runs
 * of spaces.
 */
#include "bench.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Column widths. An arm is a median and its spread; a comparison is the
 * ratio of the medians and the paired ratio. */
#define W_LABEL 20
#define W_METRIC 16
#define W_MEDIAN 8
#define W_SPREAD 6
#define W_RATIO 7
#define W_ARM (2 + W_MEDIAN + 2 + W_SPREAD)
#define W_CMP (3 + W_RATIO + 2 + W_RATIO)

/* ---- numbers -------------------------------------------------------------- */

/* Four significant figures without an exponent, whole numbers from 1000
 * up (a rate of 161183/s stays 161183: rounding it to 161200 would print
 * digits that were not measured as zeros). */
static int decimals_of(double v) {
  int d;
  if (v == 0 || fabs(v) >= 1000) return 0;
  d = 3 - (int)floor(log10(fabs(v)));
  return d < 0 ? 0 : d > 9 ? 9 : d;
}

static const char *fmt_value(char *buf, size_t len, double v) {
  if (isnan(v)) snprintf(buf, len, "-");
  else snprintf(buf, len, "%.*f", decimals_of(v), v);
  return buf;
}

double bench_shown(double v) {
  char buf[64];
  if (isnan(v) || isinf(v)) return v;
  return strtod(fmt_value(buf, sizeof(buf), v), NULL);
}

/* The spread in %: one decimal below 10 %, so that a quiet figure does not
 * read as "0%" (no spread at all). */
static const char *fmt_spread(char *buf, size_t len, double pct) {
  if (isnan(pct)) snprintf(buf, len, "-");
  else snprintf(buf, len, pct < 10 ? "%.1f%%" : "%.0f%%", pct);
  return buf;
}

/* Three decimals near 1, where the differences are; two significant
 * figures for the tiny ratios of O(n) calls against epoll. */
const char *bench_fmt_ratio(char *buf, size_t len, double v) {
  if (isnan(v) || isinf(v)) snprintf(buf, len, "-");
  else snprintf(buf, len, v < 0.01 ? "%.2g" : "%.3f", v);
  return buf;
}

const char *bench_fmt_cell(char *buf, size_t len,
                           const struct bench_record *r) {
  char m[32], s[32];
  if (r == NULL) snprintf(buf, len, "-");
  else if (r->skipped) snprintf(buf, len, "skipped");
  else
    snprintf(buf, len, "%s (%s)", fmt_value(m, sizeof(m), r->median),
             fmt_spread(s, sizeof(s), r->spread));
  return buf;
}

/* ---- the header ------------------------------------------------------------ */

size_t bench_describe(const struct bench_setup *s, char lines[][160],
                      size_t max) {
  size_t n = 0;
  if (n < max)
    snprintf(lines[n++], 160,
             "run: %s pass, %ld reps x %ld ms per arm after a %ld ms warm-up, "
             "arms interleaved, %s",
             s->mode, s->reps, s->dur_ms, s->warm_ms,
             s->pinned ? "client on CPU 0, peer on CPU 1"
                       : "threads not pinned");
  if (n < max)
    snprintf(lines[n++], 160, "build: bsdsock %s (%s backend), %s; libuv %s",
             bsdsock_version(), bsdsock_backend(), s->build, s->uv);
  if (n < max)
    snprintf(lines[n++], 160, "machine: %s, %.120s", bench_platform(),
             bench_host());
  return n;
}

/* text centred in width columns (cut if longer). */
static void centre(char *buf, size_t len, const char *text, int width) {
  int n = (int)strlen(text), left = n >= width ? 0 : (width - n) / 2;
  snprintf(buf, len, "%*s%-*.*s", left, "", width - left, width - left, text);
}

/* Prints line without its trailing blanks (centred titles leave some). */
static void print_trimmed(char *line) {
  size_t n = strlen(line);
  while (n > 0 && line[n - 1] == ' ') line[--n] = '\0';
  printf("%s\n", line);
}

static void print_column_heads(void) {
  char raw[64], bsd[64], uv[64], vr[64], vu[64], line[512];
  size_t len;
  int i;
  centre(raw, sizeof(raw), "raw", W_ARM);
  centre(bsd, sizeof(bsd), "bsdsock", W_ARM);
  centre(uv, sizeof(uv), "libuv", W_ARM);
  centre(vr, sizeof(vr), "bsdsock vs raw", W_CMP);
  centre(vu, sizeof(vu), "bsdsock vs libuv", W_CMP);
  snprintf(line, sizeof(line), "%*s%s%s%s%s%s", W_LABEL + 2 + W_METRIC, "",
           raw, bsd, uv, vr, vu);
  print_trimmed(line);
  len = (size_t)snprintf(line, sizeof(line), "%-*s  %-*s", W_LABEL,
                         "scenario", W_METRIC, "metric unit");
  for (i = 0; i < 3; i++)
    len += (size_t)snprintf(line + len, sizeof(line) - len, "  %*s  %*s",
                            W_MEDIAN, "median", W_SPREAD, "spread");
  for (i = 0; i < 2; i++)
    len += (size_t)snprintf(line + len, sizeof(line) - len, "   %*s  %*s",
                            W_RATIO, "ratio", W_RATIO, "paired");
  print_trimmed(line);
}

void bench_table_header(const struct bench_setup *s) {
  char lines[4][160];
  size_t n = bench_describe(s, lines, 4), i;
  printf("bsdsock-bench: raw syscalls vs bsdsock vs libuv\n");
  for (i = 0; i < n; i++) printf("  %s\n", lines[i]);
  printf(
      "\nHow to read it: each arm shows the median of its reps and their "
      "spread, (max - min) / median.\nA comparison is bsdsock against the "
      "arm named above it, > 1 = bsdsock better (rates:\nbsdsock/other; "
      "times: other/bsdsock). \"ratio\" divides the two medians printed on "
      "the row;\n\"paired\" is the median of the per-rep ratios (rep k of "
      "both arms ran back to back, so a slow\nstretch of the machine cancels "
      "out); the two differ by the run's noise. Notes under a\nscenario: "
      "loss, a fourth arm, why an arm was skipped. Every column: "
      "bench/README.md.\n\n");
  print_column_heads();
  fflush(stdout);
}

/* ---- rows and notes ----------------------------------------------------- */

static void print_arm(const struct bench_record *r) {
  char m[32], s[32];
  if (r == NULL || r->skipped) {
    printf("  %*s  %*s", W_MEDIAN, r ? "skipped" : "-", W_SPREAD, "-");
    return;
  }
  printf("  %*s  %*s", W_MEDIAN, fmt_value(m, sizeof(m), r->median),
         W_SPREAD, fmt_spread(s, sizeof(s), r->spread));
}

static void print_comparison(const struct bench_record *bsd,
                             const struct bench_record *other) {
  const struct bench_ratio *q =
      bsd && other ? bench_ratio_vs(bsd, other->arm) : NULL;
  char a[32], b[32];
  printf("   %*s  %*s", W_RATIO,
         bench_fmt_ratio(a, sizeof(a), q ? q->of_medians : NAN), W_RATIO,
         bench_fmt_ratio(b, sizeof(b), q ? q->paired : NAN));
}

void bench_table_row(const struct bench_row *row) {
  char metric[64];
  snprintf(metric, sizeof(metric), "%s %s", row->metric, row->unit);
  printf("%-*s  %-*s", W_LABEL, row->label, W_METRIC, metric);
  print_arm(row->raw);
  print_arm(row->bsd);
  print_arm(row->uv);
  print_comparison(row->bsd, row->raw);
  print_comparison(row->bsd, row->uv);
  printf("\n");
}

void bench_table_note(const char *fmt, ...) {
  va_list ap;
  fputs("    ", stdout);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  fputc('\n', stdout);
}
