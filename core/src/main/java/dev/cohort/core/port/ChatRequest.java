package dev.cohort.core.port;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One call to a language model. A null option leaves the choice to the adapter.
 *
 * @param messages the conversation, at least one message
 * @param model model name
 * @param temperature sampling temperature
 * @param maxTokens most tokens to generate
 * @param seed a seed for providers that support reproducible sampling
 * @param jsonSchema the JSON Schema the answer must follow (sent as a structured-output response
 *     format where the endpoint supports it), or null for free text
 */
public record ChatRequest(
    List<ChatMessage> messages,
    @Nullable String model,
    @Nullable Double temperature,
    @Nullable Integer maxTokens,
    @Nullable Long seed,
    @Nullable Map<String, Object> jsonSchema) {

  public ChatRequest {
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
  }

  /** A request with only messages; every option left to the adapter. */
  public static ChatRequest of(List<ChatMessage> messages) {
    return new ChatRequest(messages, null, null, null, null, null);
  }

  /** The total number of characters in all messages, a cheap proxy for prompt size. */
  public long promptCharacters() {
    long total = 0;
    for (ChatMessage m : messages) {
      total += m.content().length();
    }
    return total;
  }
}
