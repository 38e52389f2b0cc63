package dev.cohort.core.port;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call to a language model: the conversation and the options for answering it. A null option
 * leaves the choice to the adapter. Immutable; build one with {@link #builder()} (options will be
 * added, so there is no public constructor whose arguments would change) or {@link #of(List)}.
 */
public final class ChatRequest {
  private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private final List<ChatMessage> messages;
  private final @Nullable String model;
  private final @Nullable Double temperature;
  private final @Nullable Integer maxTokens;
  private final @Nullable Long seed;
  private final @Nullable Map<String, Object> jsonSchema;

  private ChatRequest(Builder b) {
    this.messages = List.copyOf(b.messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("messages: a chat request needs at least one message");
    }
    this.model = b.model;
    this.temperature = b.temperature;
    this.maxTokens = b.maxTokens;
    this.seed = b.seed;
    this.jsonSchema = b.jsonSchema == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.jsonSchema));
  }

  /** A builder with no messages and every option left to the adapter. */
  public static Builder builder() {
    return new Builder();
  }

  /** A request with only messages; every option left to the adapter. */
  public static ChatRequest of(List<ChatMessage> messages) {
    return builder().messages(messages).build();
  }

  /** A builder holding this request's messages and options, to derive a changed copy. */
  public Builder toBuilder() {
    return builder().messages(messages).model(model).temperature(temperature).maxTokens(maxTokens).seed(seed)
        .jsonSchema(jsonSchema);
  }

  /** The conversation, at least one message; unmodifiable. */
  public List<ChatMessage> messages() {
    return messages;
  }

  /** The model name, or null for the adapter's default. */
  public @Nullable String model() {
    return model;
  }

  /** The sampling temperature, or null for the adapter's default. */
  public @Nullable Double temperature() {
    return temperature;
  }

  /** The most tokens to generate, or null for the adapter's default. */
  public @Nullable Integer maxTokens() {
    return maxTokens;
  }

  /** A seed for providers that support reproducible sampling, or null. */
  public @Nullable Long seed() {
    return seed;
  }

  /**
   * The JSON Schema the answer must follow (sent as a structured-output response format where the
   * endpoint supports it), or null for free text; unmodifiable.
   */
  public @Nullable Map<String, Object> jsonSchema() {
    return jsonSchema;
  }

  /** The total number of characters in all messages, a cheap proxy for prompt size. */
  public long promptCharacters() {
    long total = 0;
    for (ChatMessage m : messages) {
      total += m.content().length();
    }
    return total;
  }

  /**
   * The request as one JSON object with sorted keys, every option included (null when unset): the
   * same request always gives the same text. A new option must be added here too, or requests
   * differing in it would share response-cache entries.
   */
  public String canonicalJson() {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    List<Map<String, String>> conversation = new ArrayList<>(messages.size());
    for (ChatMessage m : messages) {
      conversation.add(Map.of("role", m.role().wireName(), "content", m.content()));
    }
    json.put("messages", conversation);
    json.put("model", model);
    json.put("temperature", temperature);
    json.put("max_tokens", maxTokens);
    json.put("seed", seed);
    json.put("json_schema", jsonSchema);
    try {
      return CANONICAL.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a chat request is always JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ChatRequest r && messages.equals(r.messages) && Objects.equals(model, r.model)
        && Objects.equals(temperature, r.temperature) && Objects.equals(maxTokens, r.maxTokens)
        && Objects.equals(seed, r.seed) && Objects.equals(jsonSchema, r.jsonSchema);
  }

  @Override
  public int hashCode() {
    return Objects.hash(messages, model, temperature, maxTokens, seed, jsonSchema);
  }

  @Override
  public String toString() {
    return "ChatRequest[messages=" + messages.size() + ", model=" + model + ", temperature=" + temperature
        + ", maxTokens=" + maxTokens + ", seed=" + seed + ", jsonSchema=" + (jsonSchema != null) + "]";
  }

  /** Collects a {@link ChatRequest}'s messages and options; {@link #build()} checks them. */
  public static final class Builder {
    private final List<ChatMessage> messages = new ArrayList<>();
    private @Nullable String model;
    private @Nullable Double temperature;
    private @Nullable Integer maxTokens;
    private @Nullable Long seed;
    private @Nullable Map<String, Object> jsonSchema;

    private Builder() {}

    /** Replaces the conversation with {@code messages}, in order. */
    public Builder messages(List<ChatMessage> messages) {
      Objects.requireNonNull(messages, "messages");
      for (ChatMessage m : messages) {
        Objects.requireNonNull(m, "messages must not contain null");
      }
      this.messages.clear();
      this.messages.addAll(messages);
      return this;
    }

    /** Appends one message to the conversation. */
    public Builder message(ChatMessage message) {
      messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /** The model name; null leaves it to the adapter. */
    public Builder model(@Nullable String model) {
      this.model = model;
      return this;
    }

    /** The sampling temperature, from 0 to 2; null leaves it to the adapter. */
    public Builder temperature(@Nullable Double temperature) {
      if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException("temperature must be between 0 and 2, was " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /** The most tokens to generate, at least 1; null leaves it to the adapter. */
    public Builder maxTokens(@Nullable Integer maxTokens) {
      if (maxTokens != null && maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /** A seed for reproducible sampling; null for none. */
    public Builder seed(@Nullable Long seed) {
      this.seed = seed;
      return this;
    }

    /** The JSON Schema the answer must follow; null for free text. Copied. */
    public Builder jsonSchema(@Nullable Map<String, Object> jsonSchema) {
      this.jsonSchema = jsonSchema == null ? null : new LinkedHashMap<>(jsonSchema);
      return this;
    }

    /**
     * The request.
     *
     * @throws IllegalArgumentException when no message was given
     */
    public ChatRequest build() {
      return new ChatRequest(this);
    }
  }
}
