package dev.cohort.analysis;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the report: horizontal bars, a histogram, a heatmap and a forest plot. All
 * labels pass through {@link HtmlText#escape}; sizes are fixed so a chart's markup grows with its
 * rows, never with the batch.
 */
final class SvgCharts {
  private static final int WIDTH = 720;
  private static final int LABEL = 200;
  private static final int ROW = 18;

  /** One labelled value of a bar chart or a forest plot. */
  record Row(String label, double value, double low, double high) {
    static Row bar(String label, double value) {
      return new Row(label, value, Double.NaN, Double.NaN);
    }
  }

  private SvgCharts() {}

  /** Horizontal bars from zero, one per row, each with its value written after it. */
  static String bars(String title, List<Row> rows) {
    double max = rows.stream().mapToDouble(Row::value).filter(Double::isFinite).max().orElse(0);
    int height = rows.size() * ROW + 10;
    StringBuilder svg = open(title, height);
    double scale = max > 0 ? (WIDTH - LABEL - 70) / max : 0;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      int y = 5 + i * ROW;
      label(svg, r.label(), y);
      double w = Double.isFinite(r.value()) ? r.value() * scale : 0;
      svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
          LABEL, y + 2, w, ROW - 5));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", LABEL + w + 4, y + ROW - 5,
          HtmlText.escape(format(r.value()))));
    }
    return svg.append("</svg>").toString();
  }

  /** Vertical bars for consecutive bins, each row's label under its bar. */
  static String histogram(String title, List<Row> bins) {
    int height = 160;
    StringBuilder svg = open(title, height);
    double max = bins.stream().mapToDouble(Row::value).max().orElse(0);
    double slot = (double) (WIDTH - 40) / Math.max(1, bins.size());
    int labelEvery = Math.max(1, (int) Math.ceil(bins.size() / 12.0));
    for (int i = 0; i < bins.size(); i++) {
      Row b = bins.get(i);
      double h = max > 0 ? b.value() / max * (height - 40) : 0;
      double x = 20 + i * slot;
      svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
          + "<title>%s: %s</title></rect>", x + 1, height - 25 - h, Math.max(1, slot - 2), h,
          HtmlText.escape(b.label()), format(b.value())));
      if (i % labelEvery == 0) {
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\">%s</text>", x + 1, height - 8,
            HtmlText.escape(HtmlText.shorten(b.label(), 12))));
      }
    }
    return svg.append("</svg>").toString();
  }

  /** A square heatmap of pair counts; darker is more. */
  static String heatmap(String title, List<String> labels, long[][] counts) {
    int n = labels.size();
    int cell = Math.max(6, Math.min(18, 480 / Math.max(1, n)));
    int left = 140;
    int height = n * cell + 20;
    StringBuilder svg = open(title, height);
    long max = 1;
    for (long[] row : counts) {
      for (long c : row) {
        max = Math.max(max, c);
      }
    }
    for (int i = 0; i < n; i++) {
      svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
          left - 4, 10 + i * cell + cell - 3, HtmlText.escape(HtmlText.shorten(labels.get(i), 20))));
      for (int j = 0; j < n; j++) {
        if (i == j) {
          continue;
        }
        double shade = (double) counts[i][j] / max;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,%d)\">"
            + "<title>%s × %s: %d</title></rect>", left + j * cell, 10 + i * cell, cell - 1, cell - 1,
            (int) (240 - 200 * shade), (int) (244 - 150 * shade), (int) (250 - 60 * shade),
            HtmlText.escape(labels.get(i)), HtmlText.escape(labels.get(j)), counts[i][j]));
      }
    }
    return svg.append("</svg>").toString();
  }

  /** A forest plot: one row per entry, its point and interval, with a reference line at {@code reference}. */
  static String forest(String title, List<Row> rows, double reference) {
    double lo = reference;
    double hi = reference;
    for (Row r : rows) {
      for (double v : new double[] {r.value(), r.low(), r.high()}) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (hi - lo <= 0) {
      hi = lo + 1;
    }
    int plot = WIDTH - LABEL - 90;
    double scale = plot / (hi - lo);
    int height = rows.size() * ROW + 30;
    StringBuilder svg = open(title, height);
    double x0 = LABEL + (reference - lo) * scale;
    svg.append(String.format(Locale.ROOT, "<line class=\"ref\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\"/>", x0, x0,
        height - 20));
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      int y = 5 + i * ROW;
      int mid = y + ROW / 2;
      label(svg, r.label(), y);
      if (Double.isFinite(r.low()) && Double.isFinite(r.high())) {
        svg.append(String.format(Locale.ROOT, "<line class=\"ci\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
            LABEL + (r.low() - lo) * scale, mid, LABEL + (r.high() - lo) * scale, mid));
      }
      if (Double.isFinite(r.value())) {
        svg.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%d\" r=\"4\"/>",
            LABEL + (r.value() - lo) * scale, mid));
      }
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", LABEL + plot + 8, y + ROW - 5,
          HtmlText.escape(HtmlText.number(r.value()))));
    }
    svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\">%s</text>", LABEL, height - 6,
        HtmlText.number(lo)));
    svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
        LABEL + plot, height - 6, HtmlText.number(hi)));
    return svg.append("</svg>").toString();
  }

  private static StringBuilder open(String title, int height) {
    StringBuilder svg = new StringBuilder(256);
    svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
        + "><title>%s</title>", WIDTH, height, WIDTH, height,
        HtmlText.escape(title)));
    return svg;
  }

  private static void label(StringBuilder svg, String label, int y) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", LABEL - 6,
        y + ROW - 5, HtmlText.escape(HtmlText.shorten(label, 28))));
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : HtmlText.number(value);
  }
}
