package dev.cohort.core.internal.outcome;

import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.DeclaredOutcome.Per;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema of an extraction answer, built from the declaration: one required property per
 * outcome, no others; a per-participant outcome is an object with one required property per
 * participant label. Strict-mode compatible (OpenAI structured outputs): every object lists all its
 * properties as required and forbids additional ones.
 */
final class OutcomeSchema {
  private OutcomeSchema() {}

  static Map<String, Object> of(List<DeclaredOutcome> outcomes, Participants participants) {
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (DeclaredOutcome o : outcomes) {
      Map<String, Object> value = value(o, participants);
      if (o.per() == Per.PARTICIPANT) {
        Map<String, Object> each = new LinkedHashMap<>();
        for (String label : participants.labels()) {
          each.put(label, value);
        }
        value = object(each, participants.labels());
        value.put("description", o.question() + " (one value for each participant, keyed by name)");
      }
      properties.put(o.name(), value);
      required.add(o.name());
    }
    return object(properties, required);
  }

  private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("additionalProperties", false);
    schema.put("required", List.copyOf(required));
    schema.put("properties", properties);
    return schema;
  }

  private static Map<String, Object> value(DeclaredOutcome o, Participants participants) {
    Map<String, Object> schema = new LinkedHashMap<>();
    switch (o.type()) {
      case BOOLEAN -> schema.put("type", "boolean");
      case INTEGER, NUMBER -> {
        schema.put("type", o.type() == DeclaredOutcome.Type.INTEGER ? "integer" : "number");
        if (o.min() != null) {
          schema.put("minimum", bound(o, o.min()));
        }
        if (o.max() != null) {
          schema.put("maximum", bound(o, o.max()));
        }
      }
      case ENUM -> {
        schema.put("type", "string");
        schema.put("enum", o.values());
      }
      case ENTITY -> {
        schema.put("type", "string");
        schema.put("enum", participants.labels());
      }
      case STRING -> schema.put("type", "string");
    }
    schema.put("description", o.question());
    return schema;
  }

  private static Number bound(DeclaredOutcome o, double bound) {
    return o.type() == DeclaredOutcome.Type.INTEGER ? (Number) (long) bound : (Number) bound;
  }
}
