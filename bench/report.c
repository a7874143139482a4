/* SPDX-License-Identifier: MIT */
/*
 * bench/report.c - --json (every figure, machine-readable) and --svg (the
 * ratios as a bar chart a browser can open; no scripts, no external
 * resources).
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

static void json_record(FILE *f, const struct bench_record *r) {
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
  fputs(",\n   \"metric\": ", f);
  json_str(f, r->metric);
  fputs(", \"unit\": ", f);
  json_str(f, r->unit);
  fprintf(f, ", \"higher_is_better\": %s", r->higher_better ? "true" : "false");
  fputs(", \"median\": ", f);
  json_num(f, r->median);
  fputs(", \"p50\": ", f);
  json_num(f, r->p50);
  fputs(", \"p99\": ", f);
  json_num(f, r->p99);
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
  fputs("}", f);
}

int bench_write_json(const char *path, const struct bench_record *rec,
                     size_t n) {
  FILE *f = fopen(path, "w");
  size_t i;
  if (f == NULL) {
    perror(path);
    return -1;
  }
  fputs("[\n", f);
  for (i = 0; i < n; i++) {
    json_record(f, &rec[i]);
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
#define TOP 78

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

static void svg_bar(FILE *f, double ratio, double y, const char *cls) {
  double x0 = x_of(1.0), x1;
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
  /* The value sits past the bar's end, or on the other side of the 1.0
   * line when the bar is clamped (it would run into the labels). */
  if (ratio < 1 && fabs(log2(ratio)) < MAX_LOG2)
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"v\" "
            "text-anchor=\"end\">%.3g</text>\n", x1 - 4, y + 10, ratio);
  else if (ratio < 1)
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"v\">%.3g "
            "(clamped)</text>\n", x0 + 4, y + 10, ratio);
  else
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"v\">%.3g</text>\n",
            x1 + 4, y + 10, ratio);
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

int bench_write_svg(const char *path, const struct bench_ratio_row *rows,
                    size_t n) {
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
          "<style>.raw{fill:#3a6fb0}.uv{fill:#e08a2c}.grid{stroke:#ddd}"
          ".one{stroke:#333;stroke-width:1.5}.t{text-anchor:middle;fill:#555}"
          ".v{fill:#222;font-size:10px}.na{fill:#999;font-size:10px}"
          "</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
          LABEL_W + 2 * HALF_W + 60, bottom + 20);
  fputs("<text x=\"10\" y=\"20\" font-size=\"15\">bsdsock-bench: bsdsock "
        "vs raw syscalls (blue) and vs libuv (orange); right of 1 = bsdsock "
        "better</text>\n<text x=\"10\" y=\"38\" class=\"v\">",
        f);
  svg_text(f, bench_platform());
  fputs(" - ", f);
  svg_text(f, bench_host());
  fputs(" - log scale, clamped at 1/16 and 16</text>\n", f);
  svg_axis(f, bottom);
  for (i = 0; i < n; i++) {
    double y = TOP + (double)i * ROW_H;
    fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", LABEL_W - 8,
            y + 16);
    svg_text(f, rows[i].label);
    fputs("</text>\n", f);
    svg_bar(f, rows[i].vs_raw, y + 2, "raw");
    svg_bar(f, rows[i].vs_uv, y + 15, "uv");
  }
  fputs("</svg>\n", f);
  if (fclose(f) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}
