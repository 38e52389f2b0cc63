package dev.cohort.analysis;

import java.util.Locale;

/** Escapes text for HTML and SVG, and formats numbers for people. */
final class HtmlText {
  private HtmlText() {}

  /**
   * The text with {@code & < > " '} replaced by character references, safe in element content and
   * in quoted attribute values: no text a model or a user wrote can become markup. Control
   * characters other than tab and line breaks are dropped (HTML does not allow them).
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** At most {@code max} characters of {@code text}, an ellipsis marking a cut. */
  static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /** A statistic with three decimals, or an en dash when it is not a number. */
  static String number(double value) {
    if (!Double.isFinite(value)) {
      return "–";
    }
    String text = String.format(Locale.ROOT, "%.3f", value);
    return text.equals("-0.000") ? "0.000" : text;
  }

  /** A p-value in three significant digits, or an en dash. */
  static String p(double value) {
    if (!Double.isFinite(value)) {
      return "–";
    }
    return value < 0.001 ? String.format(Locale.ROOT, "%.2e", value) : String.format(Locale.ROOT, "%.3f", value);
  }

  /** A share as a percentage with one decimal, or an en dash. */
  static String percent(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f %%", share * 100) : "–";
  }
}
