package dev.cohort.openai;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the durations of OpenAI's {@code x-ratelimit-reset-*} headers, written like Go's {@code
 * time.Duration}: {@code 6m0s}, {@code 1s}, {@code 12ms}, {@code 1h2m3.5s}. A bare number is
 * seconds, as some compatible servers send it.
 */
final class ProviderDuration {
  private static final Pattern WHOLE = Pattern.compile("(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:h|m|s|ms|us|µs|ns))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(h|ms|m|s|us|µs|ns)");
  private static final Pattern BARE_SECONDS = Pattern.compile("\\d+(?:\\.\\d*)?|\\.\\d+");

  private ProviderDuration() {}

  /** The duration {@code text} stands for, or null when it is not one. */
  static @Nullable Duration parse(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    if (BARE_SECONDS.matcher(trimmed).matches()) {
      return nanos(new BigDecimal(trimmed), 1_000_000_000L);
    }
    if (!WHOLE.matcher(trimmed).matches()) {
      return null;
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(trimmed);
    while (part.find()) {
      total = total.plus(nanos(new BigDecimal(part.group(1)), unitNanos(part.group(2))));
    }
    return total;
  }

  private static long unitNanos(String unit) {
    switch (unit) {
      case "h":
        return 3_600_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "s":
        return 1_000_000_000L;
      case "ms":
        return 1_000_000L;
      case "us":
      case "µs":
        return 1_000L;
      default:
        return 1L;
    }
  }

  private static Duration nanos(BigDecimal amount, long unitNanos) {
    return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(unitNanos)).longValue());
  }
}
