package dev.cohort.core.port;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A call failed for a reason that may pass: a timeout, an I/O error, 408, 409, 429 or 5xx. */
public class RetryableLlmException extends LlmException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;

  public RetryableLlmException(String message) {
    this(message, null, 0, null, null, null);
  }

  /**
   * @param retryAfter how long the provider asked callers to wait, or null
   */
  public RetryableLlmException(
      String message,
      @Nullable Throwable cause,
      int httpStatus,
      @Nullable String errorCode,
      @Nullable String requestId,
      @Nullable Duration retryAfter) {
    super(message, cause, httpStatus, errorCode, requestId);
    this.retryAfter = retryAfter;
  }

  /** How long the provider asked callers to wait before trying again, or null. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** Whether the provider said its rate limit was hit (HTTP 429): every caller should pause. */
  public boolean isRateLimit() {
    return httpStatus() == 429;
  }
}
