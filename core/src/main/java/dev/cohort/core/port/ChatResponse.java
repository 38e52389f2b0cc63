package dev.cohort.core.port;

import dev.cohort.core.batch.TokenUsage;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model's answer to one {@link ChatRequest}.
 *
 * @param text the generated text
 * @param usage tokens billed for the call
 * @param finishReason why generation stopped ({@code stop}, {@code length}…), or null
 * @param model the model name the provider reported, or null
 * @param requestId the provider's request id, for support tickets, or null
 * @param rateLimits the provider's rate-limit state after the call, or null
 * @param systemFingerprint the provider's {@code system_fingerprint}, naming the backend
 *     configuration that answered, or null when it reports none
 */
public record ChatResponse(
    String text,
    TokenUsage usage,
    @Nullable String finishReason,
    @Nullable String model,
    @Nullable String requestId,
    @Nullable RateLimits rateLimits,
    @Nullable String systemFingerprint) {

  public ChatResponse {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(usage, "usage");
  }

  /** A response without a system fingerprint. */
  public ChatResponse(String text, TokenUsage usage, @Nullable String finishReason, @Nullable String model,
      @Nullable String requestId, @Nullable RateLimits rateLimits) {
    this(text, usage, finishReason, model, requestId, rateLimits, null);
  }

  /** A response with text and usage only. */
  public static ChatResponse of(String text, TokenUsage usage) {
    return new ChatResponse(text, usage, "stop", null, null, null);
  }

  /** Whether the model stopped because it reached its token limit. */
  public boolean truncated() {
    return "length".equals(finishReason);
  }
}
