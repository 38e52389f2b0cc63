package dev.cohort.cli;

import java.time.Duration;
import java.util.Locale;

/** How numbers and times read in the command's output. */
final class Formats {
  private Formats() {}

  /** {@code 1,234,567}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code 850 ms}, {@code 4.2 s}, {@code 3m 05s}, {@code 1h 02m}. */
  static String elapsed(Duration d) {
    long millis = Math.max(0, d.toMillis());
    if (millis < 1_000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** A short estimate: {@code 12s}, {@code 3m 05s}, {@code 1h 02m}. */
  static String eta(Duration d) {
    long seconds = Math.max(0, (d.toMillis() + 999) / 1000);
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** {@code 3.2} (one decimal). */
  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%.1f", perSecond);
  }

  /**
   * US dollars: {@code $1,234.57} from one dollar up, {@code $0.0123} (four decimals) below, so a
   * small batch does not read as free; {@code $0.00} only for nothing.
   */
  static String usd(double dollars) {
    if (dollars == 0 || Math.abs(dollars) >= 0.995) {
      return String.format(Locale.ROOT, "$%,.2f", dollars);
    }
    return String.format(Locale.ROOT, "$%.4f", dollars);
  }

  /** {@code text} cut to {@code max} characters with an ellipsis, on one line. */
  static String shorten(String text, int max) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, Math.max(0, max - 3)) + "...";
  }
}
