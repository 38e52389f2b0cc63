package dev.cohort.core.batch;

/**
 * Tokens billed for one or more model calls.
 *
 * @param promptTokens tokens sent
 * @param completionTokens tokens generated
 * @param cachedTokens part of {@code promptTokens} served from the provider's prompt cache
 * @param cacheHits answers taken from Cohort's response cache instead of a model call: they bill
 *     no tokens, so they add to this count only
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedTokens, long cacheHits) {
  /** No tokens. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0);
  /** One answer from the response cache: no tokens billed. */
  public static final TokenUsage ONE_CACHE_HIT = new TokenUsage(0, 0, 0, 1);

  public TokenUsage {
    if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0 || cacheHits < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  /** Usage of model calls, without response-cache hits. */
  public TokenUsage(long promptTokens, long completionTokens, long cachedTokens) {
    this(promptTokens, completionTokens, cachedTokens, 0);
  }

  /** The sum of this usage and {@code other}. */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        cachedTokens + other.cachedTokens,
        cacheHits + other.cacheHits);
  }

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
