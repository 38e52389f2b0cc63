package dev.cohort.core.port;

import dev.cohort.core.batch.ValidationException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * How fast the model calls of one {@code Cohort} may go, shared by all its batches: requests per
 * minute and tokens per minute, each optional. Calls are spread evenly over the minute rather than
 * sent in bursts, so a limit of 600 requests per minute sends about ten a second, never 600 in the
 * first second; they are paced a little below the limit (98.5 % of it), so that a provider counting
 * a strict sliding minute never sees it passed. A lower limit the provider reports wins.
 * Immutable: every {@code with…} method returns a new value.
 *
 * <pre>{@code
 * RateLimit limit = RateLimit.of(500, 200_000);             // OpenAI tier-1 style limits
 * RateLimit rpmOnly = RateLimit.ofRequestsPerMinute(60);
 * RateLimit local = RateLimit.NONE;                          // a local server: no limit
 * }</pre>
 *
 * <p>Token limits are enforced with an estimate made before each call (a quarter of the prompt's
 * characters plus the call's maximum output tokens, or {@link #completionTokensEstimate()} when
 * the call sets none) and corrected with the real usage the provider reports afterwards.
 */
public final class RateLimit {
  /** Output tokens assumed for a call that does not set a maximum, when estimating its cost. */
  public static final int DEFAULT_COMPLETION_TOKENS_ESTIMATE = 1024;

  /**
   * No configured limit, the default: the limits the provider reports on its answers ({@code
   * x-ratelimit-limit-*}) are still followed, and its rate-limit answers (HTTP 429) still pause
   * every call.
   */
  public static final RateLimit NONE = new RateLimit(0, 0, DEFAULT_COMPLETION_TOKENS_ESTIMATE);

  private static final int UNLIMITED = 0;

  private final int requestsPerMinute;
  private final long tokensPerMinute;
  private final int completionTokensEstimate;

  private RateLimit(int requestsPerMinute, long tokensPerMinute, int completionTokensEstimate) {
    this.requestsPerMinute = requestsPerMinute;
    this.tokensPerMinute = tokensPerMinute;
    this.completionTokensEstimate = completionTokensEstimate;
  }

  /**
   * A limit on requests per minute only.
   *
   * @throws ValidationException when {@code requests} is less than 1
   */
  public static RateLimit ofRequestsPerMinute(int requests) {
    return NONE.withRequestsPerMinute(requests);
  }

  /**
   * A limit on tokens (prompt plus completion) per minute only.
   *
   * @throws ValidationException when {@code tokens} is less than 1
   */
  public static RateLimit ofTokensPerMinute(long tokens) {
    return NONE.withTokensPerMinute(tokens);
  }

  /**
   * A limit on both requests and tokens per minute.
   *
   * @throws ValidationException when either is less than 1
   */
  public static RateLimit of(int requestsPerMinute, long tokensPerMinute) {
    return NONE.withRequestsPerMinute(requestsPerMinute).withTokensPerMinute(tokensPerMinute);
  }

  /**
   * This limit with at most {@code requests} calls per minute.
   *
   * @throws ValidationException when {@code requests} is less than 1
   */
  public RateLimit withRequestsPerMinute(int requests) {
    if (requests < 1) {
      throw new ValidationException(
          "requestsPerMinute", "must be at least 1, was " + requests + " (use RateLimit.NONE for no limit)");
    }
    return new RateLimit(requests, tokensPerMinute, completionTokensEstimate);
  }

  /**
   * This limit with at most {@code tokens} prompt plus completion tokens per minute.
   *
   * @throws ValidationException when {@code tokens} is less than 1
   */
  public RateLimit withTokensPerMinute(long tokens) {
    if (tokens < 1) {
      throw new ValidationException(
          "tokensPerMinute", "must be at least 1, was " + tokens + " (use RateLimit.NONE for no limit)");
    }
    return new RateLimit(requestsPerMinute, tokens, completionTokensEstimate);
  }

  /**
   * This limit, assuming {@code tokens} output tokens for calls that set no maximum.
   *
   * @throws ValidationException when {@code tokens} is less than 1
   */
  public RateLimit withCompletionTokensEstimate(int tokens) {
    if (tokens < 1) {
      throw new ValidationException("completionTokensEstimate", "must be at least 1, was " + tokens);
    }
    return new RateLimit(requestsPerMinute, tokensPerMinute, tokens);
  }

  /** The most calls per minute, or empty when calls are not limited. */
  public OptionalInt requestsPerMinute() {
    return requestsPerMinute == UNLIMITED ? OptionalInt.empty() : OptionalInt.of(requestsPerMinute);
  }

  /** The most prompt plus completion tokens per minute, or empty when tokens are not limited. */
  public OptionalLong tokensPerMinute() {
    return tokensPerMinute == UNLIMITED ? OptionalLong.empty() : OptionalLong.of(tokensPerMinute);
  }

  /** Output tokens assumed for a call that sets no maximum. */
  public int completionTokensEstimate() {
    return completionTokensEstimate;
  }

  /** Whether neither requests nor tokens are limited. */
  public boolean isUnlimited() {
    return requestsPerMinute == UNLIMITED && tokensPerMinute == UNLIMITED;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RateLimit
        && ((RateLimit) o).requestsPerMinute == requestsPerMinute
        && ((RateLimit) o).tokensPerMinute == tokensPerMinute
        && ((RateLimit) o).completionTokensEstimate == completionTokensEstimate;
  }

  @Override
  public int hashCode() {
    return Objects.hash(requestsPerMinute, tokensPerMinute, completionTokensEstimate);
  }

  @Override
  public String toString() {
    return "RateLimit[requestsPerMinute=" + (requestsPerMinute == UNLIMITED ? "unlimited" : requestsPerMinute)
        + ", tokensPerMinute=" + (tokensPerMinute == UNLIMITED ? "unlimited" : tokensPerMinute)
        + ", completionTokensEstimate=" + completionTokensEstimate + "]";
  }
}
