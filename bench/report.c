/* SPDX-License-Identifier: MIT */
/*
 * bench/report.c - --json (every figure, machine-readable) and --svg (the
 * table's ratios as a bar chart a browser can open, with the run's
 * parameters and a legend; no scripts, no external resources).
 */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- JSON -------------------------------------------------------------- */

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else fputc(c, f);
  }
  fputc('"', f);
}

/* JSON has no NaN: a figure that does not exist is null. */
static void json_num(FILE *f, double v) {
  if (isnan(v) || isinf(v)) fputs("null", f);
  else fprintf(f, "%.9g", v);
}

/* What the run was; the same in every record, so that one record read
 * alone still says how it was measured. */
static void json_setup(FILE *f, const struct bench_setup *s) {
  fputs(",\n   \"run\": {\"mode\": ", f);
  json_str(f, s->mode);
  fprintf(f, ", \"reps\": %ld, \"duration_ms\": %ld, \"warmup_ms\": %ld",
          s->reps, s->dur_ms, s->warm_ms);
  fprintf(f, ", \"pinned\": %s, \"backend\": ", s->pinned ? "true" : "false");
  json_str(f, bsdsock_backend());
  fputs(", \"build\": ", f);
  json_str(f, s->build);
  fputs(", \"libuv\": ", f);
  json_str(f, s->uv);
  fputs("}", f);
}

/* A bsdsock record's comparisons, keyed by the other arm. */
static void json_ratios(FILE *f, const struct bench_record *r) {
  int i;
  if (r->nvs == 0) return;
  fputs(",\n   \"ratios\": {", f);
  for (i = 0; i < r->nvs; i++) {
    const struct bench_ratio *q = &r->vs[i];
    if (i) fputs(", ", f);
    json_str(f, q->vs);
    fputs(": {\"of_medians\": ", f);
    json_num(f, q->of_medians);
    fputs(", \"paired\": ", f);
    json_num(f, q->paired);
    fputs(", \"paired_min\": ", f);
    json_num(f, q->paired_min);
    fputs(", \"paired_max\": ", f);
    json_num(f, q->paired_max);
    fputs("}", f);
  }
  fputs("}", f);
}

static void json_record(FILE *f, const struct bench_setup *s,
                        const struct bench_record *r) {
  int i;
  fputs("  {\"scenario\": ", f);
  json_str(f, r->scenario);
  fputs(", \"anchor\": ", f);
  json_str(f, r->anchor);
  fputs(", \"arm\": ", f);
  json_str(f, r->arm);
  fputs(", \"platform\": ", f);
  json_str(f, bench_platform());
  fputs(", \"host\": ", f);
  json_str(f, bench_host());
  json_setup(f, s);
  fputs(",\n   \"metric\": ", f);
  json_str(f, r->metric);
  fputs(", \"unit\": ", f);
  json_str(f, r->unit);
  fprintf(f, ", \"higher_is_better\": %s", r->higher_better ? "true" : "false");
  fputs(", \"median\": ", f);
  json_num(f, r->median);
  fputs(", \"spread_pct\": ", f);
  json_num(f, r->spread);
  fputs(", \"p50\": ", f);
  json_num(f, r->p50);
  fputs(", \"p99\": ", f);
  json_num(f, r->p99);
  if (!isnan(r->pooled)) {
    fputs(", \"pooled\": ", f);
    json_num(f, r->pooled);
  }
  fputs(", \"runs\": [", f);
  for (i = 0; i < r->nruns; i++) {
    if (i) fputs(", ", f);
    json_num(f, r->runs[i]);
  }
  fprintf(f, "], \"skipped\": %s", r->skipped ? "true" : "false");
  if (r->skipped) {
    fputs(", \"reason\": ", f);
    json_str(f, r->reason);
  }
  json_ratios(f, r);
  fputs("}", f);
}

int bench_write_json(const char *path, const struct bench_setup *s,
                     const struct bench_record *rec, size_t n) {
  FILE *f = fopen(path, "w");
  size_t i;
  if (f == NULL) {
    perror(path);
    return -1;
  }
  fputs("[\n", f);
  for (i = 0; i < n; i++) {
    json_record(f, s, &rec[i]);
    fputs(i + 1 < n ? ",\n" : "\n", f);
  }
  fputs("]\n", f);
  if (fclose(f) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

/* ---- SVG ------------------------------------------------------------------ */

/* Ratios are drawn on a log2 axis centred on 1.0 (equal), clamped at
 * 1/16 and 16, so a 2x win and a 2x loss are bars of the same length. */
#define LABEL_W 330
#define HALF_W 300
#define MAX_LOG2 4.0
#define ROW_H 30
#define TOP 188          /* below the title, the run and the legend */
#define WIDTH (LABEL_W + 2 * HALF_W + 60)

static double x_of(double ratio) {
  double l = log2(ratio);
  if (l > MAX_LOG2) l = MAX_LOG2;
  if (l < -MAX_LOG2) l = -MAX_LOG2;
  return LABEL_W + HALF_W + l / MAX_LOG2 * HALF_W;
}

static void svg_text(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '<') fputs("&lt;", f);
    else if (*s == '>') fputs("&gt;", f);
    else if (*s == '&') fputs("&amp;", f);
    else fputc(*s, f);
  }
}

/* The range of the per-repetition ratios across the bar: how much of the
 * bar's length the noise could account for. */
static void svg_whisker(FILE *f, const struct bench_ratio *q, double y) {
  double x0, x1, mid = y + 5.5;
  if (isnan(q->paired_min) || isnan(q->paired_max)) return;
  x0 = x_of(q->paired_min);
  x1 = x_of(q->paired_max);
  fprintf(f,
          "<path class=\"w\" d=\"M%.1f %.1fv7M%.1f %.1fH%.1fM%.1f %.1fv7\"/>\n",
          x0, mid - 3.5, x0, mid, x1, x1, mid - 3.5);
}

static void svg_bar(FILE *f, const struct bench_ratio *q, double y,
                    const char *cls) {
  double x0 = x_of(1.0), x1, ratio = q->of_medians, lo, hi;
  char text[32];
  if (isnan(ratio) || ratio <= 0) {
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"na\">n/a</text>\n",
            x0 + 4, y + 10);
    return;
  }
  x1 = x_of(ratio);
  fprintf(f,
          "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
          "height=\"11\"/>\n",
          cls, x1 < x0 ? x1 : x0, y, fabs(x1 - x0) < 1 ? 1 : fabs(x1 - x0));
  svg_whisker(f, q, y);
  /* The value sits past the bar's end and its whisker, or on the other
   * side of the 1.0 line when the bar is clamped (it would run into the
   * labels). */
  lo = isnan(q->paired_min) ? x1 : fmin(x1, x_of(q->paired_min));
  hi = isnan(q->paired_max) ? x1 : fmax(x1, x_of(q->paired_max));
  bench_fmt_ratio(text, sizeof(text), ratio);  /* the table's digits */
  if (ratio < 1 && fabs(log2(ratio)) < MAX_LOG2 && lo > LABEL_W + 40)
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"v\" "
            "text-anchor=\"end\">%s</text>\n", lo - 4, y + 10, text);
  else if (ratio < 1)
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"v\">%s%s</text>\n",
            fmax(x0, hi) + 4, y + 10, text,
            fabs(log2(ratio)) < MAX_LOG2 ? "" : " (clamped)");
  else
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"v\">%s</text>\n",
            hi + 4, y + 10, text);
}

static void svg_axis(FILE *f, double bottom) {
  static const double ticks[] = {0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16};
  size_t i;
  for (i = 0; i < sizeof(ticks) / sizeof(ticks[0]); i++) {
    double x = x_of(ticks[i]);
    fprintf(f,
            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" "
            "class=\"%s\"/>\n<text x=\"%.1f\" y=\"%d\" class=\"t\">%g</text>\n",
            x, TOP - 8, x, bottom, ticks[i] == 1 ? "one" : "grid", x, TOP - 12,
            ticks[i]);
  }
}

/* The title and the run's parameters, as at the top of the table. */
static void svg_heading(FILE *f, const struct bench_setup *s) {
  char lines[4][160];
  size_t n = bench_describe(s, lines, 4), i;
  fputs("<text x=\"10\" y=\"22\" font-size=\"15\">bsdsock-bench: bsdsock "
        "against raw syscalls and against libuv; right of 1 = bsdsock "
        "better</text>\n", f);
  for (i = 0; i < n; i++) {
    fprintf(f, "<text x=\"10\" y=\"%lu\" class=\"v\">",
            (unsigned long)(42 + 14 * i));
    svg_text(f, lines[i]);
    fputs("</text>\n", f);
  }
}

/* What the colours and marks mean. */
static void svg_legend(FILE *f) {
  static const struct {
    const char *cls, *text;
  } keys[] = {
      {"raw", "bsdsock vs raw syscalls (raw-poll / raw-select for "
              "readiness, raw-epoll / raw-wsapoll for the poller)"},
      {"uv", "bsdsock vs libuv"},
      {"ex", "bsdsock vs bsdsock-remote (remote_sendrecv): remote/local, "
             "the cost of forwarding"},
  };
  size_t i;
  double y = 100;
  for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++, y += 16) {
    fprintf(f, "<rect class=\"%s\" x=\"10\" y=\"%.0f\" width=\"22\" "
            "height=\"11\"/>\n<text x=\"40\" y=\"%.0f\">%s</text>\n",
            keys[i].cls, y, y + 10, keys[i].text);
  }
  fprintf(f, "<path class=\"w\" d=\"M10 %.0fv7M10 %.0fH32M32 %.0fv7\"/>\n"
          "<text x=\"40\" y=\"%.0f\">bar: ratio of the medians, as in the "
          "table; whisker: range of the per-rep (paired) ratios; log scale, "
          "clamped at 1/16 and 16</text>\n", y + 2, y + 5.5, y + 2, y + 10);
}

int bench_write_svg(const char *path, const struct bench_setup *s,
                    const struct bench_chart_row *rows, size_t n) {
  FILE *f = fopen(path, "w");
  double bottom = TOP + (double)n * ROW_H;
  size_t i;
  if (f == NULL) {
    perror(path);
    return -1;
  }
  fprintf(f,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
          "height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
          "<style>.raw{fill:#3a6fb0}.uv{fill:#e08a2c}.ex{fill:#4a9a5b}.grid{stroke:#ddd}"
          ".one{stroke:#333;stroke-width:1.5}.t{text-anchor:middle;fill:#555}"
          ".v{fill:#222;font-size:10px}.na{fill:#999;font-size:10px}"
          ".w{stroke:#222;stroke-width:1;fill:none}"
          "</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
          WIDTH, bottom + 20);
  svg_heading(f, s);
  svg_legend(f);
  svg_axis(f, bottom);
  for (i = 0; i < n; i++) {
    double y = TOP + (double)i * ROW_H;
    fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", LABEL_W - 8,
            y + 16);
    svg_text(f, rows[i].label);
    fputs("</text>\n", f);
    svg_bar(f, &rows[i].vs_raw, y + 2, "raw");
    /* A row without libuv shows its fourth arm there, if it has one. */
    if (rows[i].vs_uv.vs == NULL && rows[i].vs_extra.vs != NULL)
      svg_bar(f, &rows[i].vs_extra, y + 15, "ex");
    else
      svg_bar(f, &rows[i].vs_uv, y + 15, "uv");
  }
  fputs("</svg>\n", f);
  if (fclose(f) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}
