package dev.cohort.core.port;

import dev.cohort.core.batch.TurnsDigest;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One stored model answer of a {@link ResponseCache}, sealed with a SHA-256 of its key and content
 * so that an entry changed after it was written (a corrupted file, an edited row) is detected by
 * {@link #isIntact()} and never served.
 *
 * @param key the request's cache key (64 hex digits, see {@link ResponseCache})
 * @param text the answer's text
 * @param finishReason why generation stopped, or null
 * @param model the model name the provider reported, or null
 * @param systemFingerprint the provider's system fingerprint, or null
 * @param promptTokens tokens the original call was billed for its prompt
 * @param completionTokens tokens the original call generated
 * @param createdAt when the answer was stored
 * @param sha256 the seal: {@link #seal} of the fields above (createdAt excluded)
 */
public record CacheEntry(
    String key,
    String text,
    @Nullable String finishReason,
    @Nullable String model,
    @Nullable String systemFingerprint,
    long promptTokens,
    long completionTokens,
    Instant createdAt,
    String sha256) {

  public CacheEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(sha256, "sha256");
    if (key.isBlank()) {
      throw new IllegalArgumentException("key must not be blank");
    }
    if (promptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  /** A sealed entry holding {@code response} under {@code key}. */
  public static CacheEntry of(String key, ChatResponse response, Instant createdAt) {
    Objects.requireNonNull(response, "response");
    return new CacheEntry(key, response.text(), response.finishReason(), response.model(),
        response.systemFingerprint(), response.usage().promptTokens(), response.usage().completionTokens(),
        createdAt, seal(key, response.text(), response.finishReason(), response.model(),
            response.systemFingerprint(), response.usage().promptTokens(), response.usage().completionTokens()));
  }

  /** The SHA-256 an intact entry with these fields carries. */
  public static String seal(String key, String text, @Nullable String finishReason, @Nullable String model,
      @Nullable String systemFingerprint, long promptTokens, long completionTokens) {
    // Length-prefixed fields: no two different entries share an encoding.
    StringBuilder s = new StringBuilder();
    for (String field : new String[] {key, text, finishReason, model, systemFingerprint,
        Long.toString(promptTokens), Long.toString(completionTokens)}) {
      if (field == null) {
        s.append("-1:");
      } else {
        s.append(field.length()).append(':').append(field);
      }
    }
    return TurnsDigest.sha256(s.toString());
  }

  /** Whether {@link #sha256} matches the entry's fields: false when it was changed after it was sealed. */
  public boolean isIntact() {
    return sha256.equals(seal(key, text, finishReason, model, systemFingerprint, promptTokens, completionTokens));
  }

  /**
   * The answer as a response to a call served from the cache: no tokens billed, one cache hit, the
   * provider's model and fingerprint as they were.
   */
  public ChatResponse toResponse() {
    return new ChatResponse(text, dev.cohort.core.batch.TokenUsage.ONE_CACHE_HIT, finishReason, model, null, null,
        systemFingerprint);
  }
}
