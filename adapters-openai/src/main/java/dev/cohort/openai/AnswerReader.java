package dev.cohort.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RateLimits;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** Reads the body of a successful Chat Completions answer. */
final class AnswerReader {
  private final ObjectMapper json;
  private final ErrorClassifier errors;
  private final UnaryOperator<String> scrubber;

  AnswerReader(ObjectMapper json, ErrorClassifier errors, UnaryOperator<String> scrubber) {
    this.json = json;
    this.errors = errors;
    this.scrubber = scrubber;
  }

  /**
   * The response in {@code body}.
   *
   * @param provider how messages name the server
   * @throws dev.cohort.core.port.RetryableLlmException when the body is not a Chat Completions
   *     answer (a proxy's page, a cut-off body): another try may get a good one
   * @throws CallFatalLlmException when the model refused to answer
   */
  ChatResponse read(
      String provider, int status, String body, HttpHeaders headers, @Nullable String requestId) {
    if (isEventStream(headers, body)) {
      // A proxy or server that streams whatever it is asked: name that, not "invalid JSON".
      throw errors.malformed(provider, status, "an event stream (text/event-stream) although the request "
          + "did not ask to stream; check that the server or proxy honours \"stream\": false", requestId);
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw errors.malformed(provider, status, "a body that is not valid JSON", requestId);
    }
    JsonNode choice = root.path("choices").path(0);
    if (!choice.isObject()) {
      ProviderError error = ProviderError.parse(json, body);
      String problem = error.message() != null
          ? "an error instead of an answer: " + error.message()
          : "a body without choices";
      throw errors.malformed(provider, status, problem, requestId);
    }
    JsonNode message = choice.path("message");
    JsonNode refusal = message.path("refusal");
    String text = content(message.path("content"));
    if (text == null && refusal.isTextual()) {
      throw new CallFatalLlmException(
          scrubber.apply(provider + " refused to answer: " + refusal.asText()
              + ErrorClassifier.requestIdSuffix(requestId)),
          null, status, "refusal", requestId);
    }
    @Nullable RateLimits limits = RateLimitHeaders.parse(headers);
    return new ChatResponse(
        text == null ? "" : text,
        usage(root.path("usage")),
        textOrNull(choice.path("finish_reason")),
        textOrNull(root.path("model")),
        requestId,
        limits,
        textOrNull(root.path("system_fingerprint")));
  }

  /** Whether the answer is server-sent events: by its content type, or by its first line when the type is missing. */
  private static boolean isEventStream(HttpHeaders headers, String body) {
    String type = headers.firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
    if (type.startsWith("text/event-stream")) {
      return true;
    }
    return type.isEmpty() && body.stripLeading().startsWith("data:");
  }

  /** The text of a message's content: a string, or the text parts of a list of parts. */
  private static @Nullable String content(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) {
          text.append(part.path("text").asText());
        }
      }
      return text.toString();
    }
    return null;
  }

  private static TokenUsage usage(JsonNode usage) {
    return new TokenUsage(
        count(usage.path("prompt_tokens")),
        count(usage.path("completion_tokens")),
        count(usage.path("prompt_tokens_details").path("cached_tokens")));
  }

  private static long count(JsonNode node) {
    return node.canConvertToLong() ? Math.max(0, node.asLong()) : 0;
  }

  private static @Nullable String textOrNull(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }
}
