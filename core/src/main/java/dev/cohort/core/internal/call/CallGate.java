package dev.cohort.core.internal.call;

import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What every model call of a {@code Cohort} passes through, shared by all its batches: the place
 * a rate limiter holds callers back.
 */
public interface CallGate {
  /** Lets every call through at once. */
  CallGate OPEN = new CallGate() {};

  /** Blocks until the call may be sent. */
  default void acquire(ChatRequest request) throws InterruptedException {}

  /** The call succeeded: {@code response} carries its real usage and the provider's limits. */
  default void completed(ChatRequest request, ChatResponse response) {}

  /** The call failed without a usable answer; nothing was (or will be) billed for its completion. */
  default void failed(ChatRequest request) {}

  /** The provider said its rate limit was hit (HTTP 429): everyone should pause. */
  default void rateLimited(@Nullable Duration retryAfter) {}
}
