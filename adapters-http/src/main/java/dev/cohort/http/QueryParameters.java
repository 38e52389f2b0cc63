package dev.cohort.http;

import dev.cohort.core.batch.ValidationException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The decoded parameters of a request's query string. Parameters a route does not read are
 * ignored (clients add cache-busters); a parameter a route reads must appear at most once and
 * hold a value of its type, or the request is refused naming it. An empty value ({@code
 * ?limit=}) counts as absent, as forms and URL templates send a parameter left blank.
 */
final class QueryParameters {
  private final Map<String, String> values;
  private final Map<String, Integer> occurrences;

  private QueryParameters(Map<String, String> values, Map<String, Integer> occurrences) {
    this.values = values;
    this.occurrences = occurrences;
  }

  /**
   * Parses a raw query string ({@code a=1&b=x%20y}); null or empty gives no parameters.
   *
   * @throws ValidationException when a name or value is badly encoded
   */
  static QueryParameters parse(@Nullable String rawQuery) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> occurrences = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = UriComponents.decode(eq < 0 ? pair : pair.substring(0, eq), true, "query");
        String value = eq < 0 ? "" : UriComponents.decode(pair.substring(eq + 1), true, "query");
        values.putIfAbsent(name, value);
        occurrences.merge(name, 1, Integer::sum);
      }
    }
    return new QueryParameters(values, occurrences);
  }

  /** The parameter's value, or null when absent or empty. */
  @Nullable String text(String name) {
    if (occurrences.getOrDefault(name, 0) > 1) {
      throw new ValidationException(name, "must be given at most once");
    }
    String value = values.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** A {@code true}/{@code false} parameter (any case; {@code 1} and {@code 0} too). */
  boolean bool(String name, boolean defaultValue) {
    String value = text(name);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new ValidationException(name, "must be true or false, was \"" + shorten(value) + "\"");
    };
  }

  /** A whole-number parameter of at least {@code min}. */
  int integer(String name, int min, int defaultValue) {
    String value = text(name);
    if (value == null) {
      return defaultValue;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ValidationException(name, "must be a whole number of at least " + min + ", was \"" + shorten(value) + "\"");
    }
    if (parsed < min) {
      throw new ValidationException(name, "must be at least " + min + ", was " + parsed);
    }
    return parsed;
  }

  /** A value to echo in an error message: at most 40 characters, control characters replaced. */
  static String shorten(String value) {
    StringBuilder out = new StringBuilder();
    value.codePoints().limit(40).forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return value.codePointCount(0, value.length()) > 40 ? out.append('…').toString() : out.toString();
  }
}
