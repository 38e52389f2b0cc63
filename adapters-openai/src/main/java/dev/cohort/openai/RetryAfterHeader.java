package dev.cohort.openai;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Reads how long a provider asked callers to wait: OpenAI's {@code retry-after-ms}
 * (milliseconds), else the standard {@code Retry-After} (seconds or an HTTP date).
 */
final class RetryAfterHeader {
  private RetryAfterHeader() {}

  /** The wait asked for, never negative, or null when the answer asked for none. */
  static @Nullable Duration parse(HttpHeaders headers, Clock clock) {
    @Nullable Duration millis = number(headers.firstValue("retry-after-ms").orElse(null), 1e6);
    if (millis != null) {
      return millis;
    }
    String retryAfter = headers.firstValue("retry-after").orElse(null);
    if (retryAfter == null) {
      return null;
    }
    @Nullable Duration seconds = number(retryAfter, 1e9);
    if (seconds != null) {
      return seconds;
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), at.toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static @Nullable Duration number(@Nullable String text, double nanosPerUnit) {
    if (text == null) {
      return null;
    }
    try {
      double value = Double.parseDouble(text.strip());
      if (!Double.isFinite(value) || value < 0) {
        return null;
      }
      return Duration.ofNanos((long) (value * nanosPerUnit));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
