package dev.cohort.core.internal.simulation;

import java.util.List;
import java.util.Map;

/** The JSON shape a role-play speaker answers in, as a JSON Schema for structured-output endpoints. */
final class SpeakerTurnFormat {
  private SpeakerTurnFormat() {}

  /** The answer format, spelt out for the prompt. */
  static final String EXAMPLE = "{\"thought\":\"<your inner thought>\",\"text\":\"<what you say or do>\"}";

  /** JSON Schema of {@link #EXAMPLE}; strict-mode compatible (every property required, none extra). */
  static final Map<String, Object> SCHEMA = Map.of(
      "type", "object",
      "additionalProperties", false,
      "required", List.of("thought", "text"),
      "properties", Map.of(
          "thought", Map.of("type", "string"),
          "text", Map.of("type", "string")));
}
