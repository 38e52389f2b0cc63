package dev.cohort.core.internal.simulation;

import java.util.List;
import java.util.Map;

/** The JSON shape the model must answer in, as a JSON Schema for structured-output endpoints. */
final class TurnFormat {
  private TurnFormat() {}

  /** The answer format, spelt out for the prompt. */
  static final String EXAMPLE =
      "{\"turns\":[{\"speaker\":\"<exact participant name>\",\"thought\":\"<optional inner thought>\","
          + "\"text\":\"<what they say or do>\"}]}";

  /** JSON Schema of {@link #EXAMPLE}; strict-mode compatible (every property required, none extra). */
  static final Map<String, Object> SCHEMA = Map.of(
      "type", "object",
      "additionalProperties", false,
      "required", List.of("turns"),
      "properties", Map.of(
          "turns", Map.of(
              "type", "array",
              "items", Map.of(
                  "type", "object",
                  "additionalProperties", false,
                  "required", List.of("speaker", "thought", "text"),
                  "properties", Map.of(
                      "speaker", Map.of("type", "string"),
                      "thought", Map.of("type", "string"),
                      "text", Map.of("type", "string"))))));
}
