package dev.cohort.core.batch;

/**
 * Tokens billed for one or more model calls, and how many calls.
 *
 * @param promptTokens tokens sent
 * @param completionTokens tokens generated
 * @param cachedTokens part of {@code promptTokens} served from the provider's prompt cache (JSON
 *     {@code cached_prompt_tokens})
 * @param calls how many model calls answered: every call that was billed, re-asks and answers that
 *     were not used included (JSON {@code calls})
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedTokens, long calls) {
  /** No tokens, no calls. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0);

  public TokenUsage {
    if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    if (calls < 0) {
      throw new IllegalArgumentException("calls must not be negative, was " + calls);
    }
  }

  /**
   * Tokens without a count of calls (0): the shape a provider's answer has before the engine
   * counts it as one call with {@link #asOneCall()}.
   */
  public TokenUsage(long promptTokens, long completionTokens, long cachedTokens) {
    this(promptTokens, completionTokens, cachedTokens, 0);
  }

  /** The sum of this usage and {@code other}, calls included. */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        cachedTokens + other.cachedTokens,
        calls + other.calls);
  }

  /** These tokens as the usage of exactly one call. */
  public TokenUsage asOneCall() {
    return calls == 1 ? this : new TokenUsage(promptTokens, completionTokens, cachedTokens, 1);
  }

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
