package dev.cohort.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * The error a provider put in an answer's body: OpenAI's {@code {"error":{"message","type",
 * "param","code"}}}, the bare {@code {"error":"…"}} (with a top-level {@code "message"} beside it
 * or not) or {@code {"message":"…"}} of some compatible servers, or plain text from a proxy.
 *
 * @param message what the provider said, shortened, or null when the body said nothing usable
 * @param type the error type, such as {@code invalid_request_error}, or null
 * @param code the error code, such as {@code insufficient_quota}, or null
 */
record ProviderError(@Nullable String message, @Nullable String type, @Nullable String code) {
  private static final int MAX_MESSAGE_LENGTH = 500;

  /** Reads an error body; never fails. */
  static ProviderError parse(ObjectMapper json, @Nullable String body) {
    if (body == null || body.isBlank()) {
      return new ProviderError(null, null, null);
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      return new ProviderError(shorten(body), null, null);
    }
    JsonNode error = root.path("error");
    if (error.isObject()) {
      return new ProviderError(
          shorten(text(error.path("message"))), text(error.path("type")), text(error.path("code")));
    }
    if (error.isTextual()) {
      // Some compatible servers put a word in "error" and the explanation in "message"
      // ({"error":"SyntaxError","message":"Unexpected token…"}): the word alone says too little.
      @Nullable String explanation = text(root.path("message"));
      String said = explanation == null || explanation.equals(error.asText())
          ? error.asText() : error.asText() + ": " + explanation;
      return new ProviderError(shorten(said), null, null);
    }
    return new ProviderError(shorten(text(root.path("message"))), null, null);
  }

  /** The code, else the type: what a caller can match on. */
  @Nullable String codeOrType() {
    return code != null ? code : type;
  }

  /** Whether the provider named {@code name} as the code or the type. */
  boolean is(String name) {
    return name.equals(code) || name.equals(type);
  }

  private static @Nullable String text(JsonNode node) {
    // Codes are strings at OpenAI, numbers at some compatible servers.
    return node.isValueNode() && !node.isNull() && !node.asText().isBlank() ? node.asText() : null;
  }

  private static @Nullable String shorten(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String oneLine = text.strip().replaceAll("\\s+", " ");
    if (oneLine.isEmpty()) {
      return null;
    }
    return oneLine.length() <= MAX_MESSAGE_LENGTH ? oneLine : oneLine.substring(0, MAX_MESSAGE_LENGTH) + "…";
  }
}
