package dev.cohort.jdbc;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * SQLite's text timestamps, {@code uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'} in UTC (what {@code strftime}
 * with {@link DialectSql}'s format writes), read and written without a {@link DateTimeFormatter}
 * when they have exactly that shape. Every claimed simulation carries three of them: parsing them
 * with {@link Instant#parse} was a quarter of a claim's time, spent while SQLite's one connection
 * waited. Any other text (an older file's timestamps, a year beyond four digits) goes the general
 * way, so the result is always what {@code Instant.parse(text).truncatedTo(MILLIS)} gives.
 */
final class SqliteTimestamps {
  private static final int LENGTH = "2026-01-01T00:00:00.000000Z".length();
  private static final DateTimeFormatter TEXT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final long SECONDS_PER_DAY = 86_400;

  private SqliteTimestamps() {}

  /** {@code text} as an instant truncated to milliseconds. */
  static Instant parse(String text) {
    if (text.length() == LENGTH && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
        && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == '.' && text.charAt(26) == 'Z') {
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 2);
      int day = digits(text, 8, 2);
      int hour = digits(text, 11, 2);
      int minute = digits(text, 14, 2);
      int second = digits(text, 17, 2);
      int millis = digits(text, 20, 3);
      // The last three fraction digits only need to be digits: truncated to milliseconds they drop.
      if ((year | month | day | hour | minute | second | millis | digits(text, 23, 3)) >= 0
          && hour < 24 && minute < 60 && second < 60) {
        try {
          long epochDay = LocalDate.of(year, month, day).toEpochDay();
          return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second,
              millis * 1_000_000L);
        } catch (DateTimeException notADate) {
          // February 30th and the like: the general parser says what is wrong.
        }
      }
    }
    return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
  }

  /** {@code instant}, truncated to milliseconds, as SQLite's text timestamps are written. */
  static String format(Instant instant) {
    Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
    long seconds = millis.getEpochSecond();
    long epochDay = Math.floorDiv(seconds, SECONDS_PER_DAY);
    LocalDate date = LocalDate.ofEpochDay(epochDay);
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return TEXT.format(millis);
    }
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    char[] out = new char[LENGTH];
    put(out, 0, date.getYear(), 4);
    out[4] = '-';
    put(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    put(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    put(out, 11, secondOfDay / 3600, 2);
    out[13] = ':';
    put(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    put(out, 17, secondOfDay % 60, 2);
    out[19] = '.';
    put(out, 20, millis.getNano() / 1_000_000, 3);
    put(out, 23, 0, 3);
    out[26] = 'Z';
    return new String(out);
  }

  /** The decimal number of {@code count} digits at {@code from}, or -1 when one is not a digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char ch = text.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      value = value * 10 + (ch - '0');
    }
    return value;
  }

  private static void put(char[] out, int from, int value, int count) {
    int rest = value;
    for (int i = from + count - 1; i >= from; i--) {
      out[i] = (char) ('0' + rest % 10);
      rest /= 10;
    }
  }
}
