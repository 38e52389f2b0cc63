package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.port.CacheEntry;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * One response-cache entry as a JSON object, the line format of a shared cache file ({@code cohort
 * cache export}): {@code key, text, finish_reason, model, system_fingerprint, prompt_tokens,
 * completion_tokens, created_at, sha256}.
 */
public final class CacheEntryJson {
  private CacheEntryJson() {}

  /** Writes the entry as one object. */
  public static void write(JsonGenerator gen, CacheEntry e) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("key", e.key());
    gen.writeStringField("text", e.text());
    gen.writeStringField("finish_reason", e.finishReason());
    gen.writeStringField("model", e.model());
    gen.writeStringField("system_fingerprint", e.systemFingerprint());
    gen.writeNumberField("prompt_tokens", e.promptTokens());
    gen.writeNumberField("completion_tokens", e.completionTokens());
    JsonText.writeInstant(gen, "created_at", e.createdAt());
    gen.writeStringField("sha256", e.sha256());
    gen.writeEndObject();
  }

  /**
   * The entry of one parsed line, as written (its seal is not checked here).
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static CacheEntry read(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("a cache entry is a JSON object, was " + JsonText.describe(node));
    }
    return new CacheEntry(text(node, "key"), text(node, "text"), optional(node, "finish_reason"),
        optional(node, "model"), optional(node, "system_fingerprint"), count(node, "prompt_tokens"),
        count(node, "completion_tokens"), instant(node, "created_at"), text(node, "sha256"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.asText();
  }

  private static @Nullable String optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string or null");
    }
    return value.asText();
  }

  private static long count(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
      throw new IllegalArgumentException(field + " must be a whole number of at least 0");
    }
    return value.asLong();
  }

  private static Instant instant(JsonNode node, String field) {
    String text = text(node, field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " must be an ISO-8601 UTC timestamp, was \"" + text + "\"", e);
    }
  }
}
