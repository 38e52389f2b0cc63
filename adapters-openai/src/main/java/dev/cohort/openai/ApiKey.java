package dev.cohort.openai;

import dev.cohort.core.batch.ValidationException;
import java.util.regex.Pattern;

/**
 * An API key. Its {@link #toString()} never shows it, and the adapter removes it from every
 * message it builds from a provider's answer, so the key cannot leak into a log line, an
 * exception or a stored batch error.
 */
public final class ApiKey {
  /** OpenAI-style keys (also echoed, partly masked, in OpenAI's "Incorrect API key" errors). */
  private static final Pattern OPENAI_STYLE_KEY = Pattern.compile("sk-[A-Za-z0-9_*.\\-]{4,}");
  private static final String REDACTED = "[redacted]";

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /**
   * Wraps a key.
   *
   * @throws ValidationException when the key is blank or contains a line break
   */
  public static ApiKey of(String value) {
    if (value.isBlank()) {
      throw new ValidationException("apiKey", "must not be blank");
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new ValidationException("apiKey", "must not contain a line break");
    }
    return new ApiKey(value.strip());
  }

  /** The key itself, for the one header that carries it. */
  String reveal() {
    return value;
  }

  /** {@code text} with this key and anything that looks like an OpenAI key replaced. */
  String scrub(String text) {
    return scrubKeyLike(text.replace(value, REDACTED));
  }

  /** {@code text} with anything that looks like an OpenAI key replaced. */
  static String scrubKeyLike(String text) {
    return OPENAI_STYLE_KEY.matcher(text).replaceAll("sk-" + REDACTED);
  }

  /** Always {@code ApiKey[redacted]}. */
  @Override
  public String toString() {
    return "ApiKey" + REDACTED;
  }
}
