package dev.cohort.core.batch;

/**
 * Tokens billed for one or more model calls.
 *
 * @param promptTokens tokens sent
 * @param completionTokens tokens generated
 * @param cachedTokens part of {@code promptTokens} served from the provider's prompt cache
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedTokens) {
  /** No tokens. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0);

  public TokenUsage {
    if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  /** The sum of this usage and {@code other}. */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        cachedTokens + other.cachedTokens);
  }

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
