package dev.cohort.openai;

import dev.cohort.core.port.RateLimits;
import java.net.http.HttpHeaders;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Reads OpenAI's {@code x-ratelimit-*} answer headers. Azure sends only the remaining counts;
 * servers that send none (Ollama, vLLM) give no limits at all.
 */
final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /** The limits the headers report, or null when they report none. */
  static @Nullable RateLimits parse(HttpHeaders headers) {
    @Nullable Long limitRequests = count(headers, "x-ratelimit-limit-requests");
    @Nullable Long remainingRequests = count(headers, "x-ratelimit-remaining-requests");
    @Nullable Duration resetRequests = duration(headers, "x-ratelimit-reset-requests");
    @Nullable Long limitTokens = count(headers, "x-ratelimit-limit-tokens");
    @Nullable Long remainingTokens = count(headers, "x-ratelimit-remaining-tokens");
    @Nullable Duration resetTokens = duration(headers, "x-ratelimit-reset-tokens");
    if (limitRequests == null && remainingRequests == null && resetRequests == null
        && limitTokens == null && remainingTokens == null && resetTokens == null) {
      return null;
    }
    return new RateLimits(
        limitRequests, remainingRequests, resetRequests, limitTokens, remainingTokens, resetTokens);
  }

  private static @Nullable Long count(HttpHeaders headers, String name) {
    String value = headers.firstValue(name).orElse(null);
    if (value == null) {
      return null;
    }
    try {
      return Long.valueOf(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static @Nullable Duration duration(HttpHeaders headers, String name) {
    return ProviderDuration.parse(headers.firstValue(name).orElse(null));
  }
}
