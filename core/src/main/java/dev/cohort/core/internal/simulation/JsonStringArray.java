package dev.cohort.core.internal.simulation;

import java.util.List;

/**
 * Writes a list of strings as a JSON array exactly as Jackson's default {@code ObjectMapper}
 * writes it ({@code ["a","b"]}: no spaces; {@code "} and {@code \} escaped with a backslash;
 * backspace, tab, line feed, form feed and carriage return as {@code \b \t \n \f \r}; the other
 * control characters below U+0020 as {@code \}{@code u00XX} with upper-case hex; everything else as
 * it is). Every round's prompt lists its speakers this way, and going through Jackson's serializer
 * for a few names cost about 5 % of a canned makespan run's CPU.
 */
final class JsonStringArray {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsonStringArray() {}

  /** {@code values} as a JSON array of strings. */
  static String of(List<String> values) {
    StringBuilder out = new StringBuilder(16 * values.size() + 2).append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendString(out, values.get(i));
    }
    return out.append(']').toString();
  }

  private static void appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        out.append(c);
        continue;
      }
      out.append('\\');
      switch (c) {
        case '"', '\\' -> out.append(c);
        case '\b' -> out.append('b');
        case '\t' -> out.append('t');
        case '\n' -> out.append('n');
        case '\f' -> out.append('f');
        case '\r' -> out.append('r');
        default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    out.append('"');
  }
}
