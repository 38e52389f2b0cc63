package dev.cohort.core.batch;

/**
 * Tokens billed for one or more model calls, how many calls, and how many answers came from the
 * response cache instead.
 *
 * @param promptTokens tokens sent
 * @param completionTokens tokens generated
 * @param cachedTokens part of {@code promptTokens} served from the provider's prompt cache (JSON
 *     {@code cached_prompt_tokens})
 * @param calls how many model calls answered: every call that was billed, re-asks and answers that
 *     were not used included (JSON {@code calls})
 * @param cacheHits answers taken from Cohort's response cache instead of a model call: they bill
 *     no tokens and are no call, so they add to this count only (JSON {@code cache_hits})
 */
public record TokenUsage(
    long promptTokens, long completionTokens, long cachedTokens, long calls, long cacheHits) {
  /** No tokens, no calls. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);
  /** One answer from the response cache: no tokens billed, no call made. */
  public static final TokenUsage ONE_CACHE_HIT = new TokenUsage(0, 0, 0, 0, 1);

  public TokenUsage {
    if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    if (calls < 0) {
      throw new IllegalArgumentException("calls must not be negative, was " + calls);
    }
    if (cacheHits < 0) {
      throw new IllegalArgumentException("cacheHits must not be negative, was " + cacheHits);
    }
  }

  /** Usage of {@code calls} model calls, without response-cache hits. */
  public TokenUsage(long promptTokens, long completionTokens, long cachedTokens, long calls) {
    this(promptTokens, completionTokens, cachedTokens, calls, 0);
  }

  /**
   * Tokens without a count of calls (0): the shape a provider's answer has before the engine
   * counts it as one call with {@link #asOneCall()}.
   */
  public TokenUsage(long promptTokens, long completionTokens, long cachedTokens) {
    this(promptTokens, completionTokens, cachedTokens, 0, 0);
  }

  /** The sum of this usage and {@code other}, calls and cache hits included. */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        cachedTokens + other.cachedTokens,
        calls + other.calls,
        cacheHits + other.cacheHits);
  }

  /**
   * These tokens as the usage of exactly one call; the usage of an answer from the response cache
   * stays as it is, since a hit is no call.
   */
  public TokenUsage asOneCall() {
    return calls == 1 || cacheHits > 0 ? this : new TokenUsage(promptTokens, completionTokens, cachedTokens, 1, 0);
  }

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
