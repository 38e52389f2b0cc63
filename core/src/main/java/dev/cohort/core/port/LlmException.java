package dev.cohort.core.port;

import dev.cohort.core.batch.CohortException;
import org.jspecify.annotations.Nullable;

/**
 * A model call failed. The subclass says what to do about it: {@link RetryableLlmException} (try
 * again, after {@link RetryableLlmException#retryAfter()} if given), {@link
 * BatchFatalLlmException} (stop the whole batch), {@link CallFatalLlmException} (fail this
 * simulation). Messages never contain API keys or request bodies.
 */
public abstract class LlmException extends CohortException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final @Nullable String errorCode;
  private final @Nullable String requestId;

  protected LlmException(
      String message,
      @Nullable Throwable cause,
      int httpStatus,
      @Nullable String errorCode,
      @Nullable String requestId) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.requestId = requestId;
  }

  /** The HTTP status of the failed call, or 0 when there was no HTTP answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The provider's error code, such as {@code insufficient_quota}, or null. */
  public @Nullable String errorCode() {
    return errorCode;
  }

  /** The provider's request id, or null. */
  public @Nullable String requestId() {
    return requestId;
  }
}
