package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.OutcomeExtraction;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON forms of outcomes: a declaration list {@code [{"name", "type", "question", "min",
 * "max", "values", "per"}]} (read with every problem named by its path, {@code
 * outcomes[1].type}; unknown fields refused), a simulation's extracted values (an object by outcome
 * name) and its extraction record {@code {"model", "prompt"}}. The request codec, the stores, the
 * REST API and the command line's {@code --outcomes FILE} all read and write through this class.
 */
public final class OutcomeJson {
  /** Every field one declared outcome may hold. */
  public static final List<String> FIELDS = List.of("name", "type", "question", "min", "max", "values", "per");

  private OutcomeJson() {}

  /**
   * The declaration list {@code node} holds, from outside (a REST body, a user's file).
   *
   * @param path how errors name the list, such as {@code outcomes}
   * @throws ValidationException naming every bad field
   */
  public static List<DeclaredOutcome> read(JsonNode node, String path) {
    List<FieldError> errors = new ArrayList<>();
    List<DeclaredOutcome> outcomes = read(node, path, errors, true);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    DeclaredOutcome.validate(outcomes, path);
    return outcomes;
  }

  /**
   * What a re-extraction asks: the outcomes to extract and whether they replace the declaration.
   *
   * @param outcomes the outcomes to extract, validated
   * @param replace whether they become the whole declaration
   */
  public record ExtractionRequest(List<DeclaredOutcome> outcomes, boolean replace) {}

  /** Fields of a re-extraction body. */
  public static final List<String> EXTRACTION_FIELDS = List.of("outcomes", "replace");

  /**
   * A re-extraction body {@code {"outcomes": [...], "replace": false}} ({@code replace} optional;
   * unknown fields refused).
   *
   * @param field how errors name the whole document, such as {@code body}
   * @throws ValidationException naming every bad field
   */
  public static ExtractionRequest readExtractionRequest(JsonNode node, String field) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields fields = JsonFields.of(node, field, "", errors);
    if (fields == null) {
      throw new ValidationException(errors);
    }
    fields.rejectUnknown(EXTRACTION_FIELDS);
    boolean replace = false;
    JsonNode flag = node.get("replace");
    if (flag != null && !flag.isNull()) {
      if (flag.isBoolean()) {
        replace = flag.booleanValue();
      } else {
        errors.add(new FieldError("replace", "must be true or false, was " + JsonFields.describe(flag)));
      }
    }
    List<DeclaredOutcome> outcomes = List.of();
    if (!fields.has("outcomes")) {
      errors.add(new FieldError("outcomes", "is required: the outcomes to extract"));
    } else {
      outcomes = read(node.get("outcomes"), "outcomes", errors, true);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    DeclaredOutcome.validate(outcomes, "outcomes");
    return new ExtractionRequest(outcomes, replace);
  }

  /** Reads a declaration list, adding type errors to {@code errors}; the ranges are left to the caller. */
  static List<DeclaredOutcome> read(JsonNode node, String path, List<FieldError> errors, boolean strict) {
    List<DeclaredOutcome> outcomes = new ArrayList<>();
    if (!node.isArray()) {
      errors.add(new FieldError(path, "must be an array of outcome objects, was " + JsonFields.describe(node)));
      return outcomes;
    }
    for (int i = 0; i < node.size(); i++) {
      String at = path + "[" + i + "]";
      JsonFields fields = strict ? JsonFields.of(node.get(i), at, at + ".", errors)
          : JsonFields.ofStored(node.get(i), at, at + ".", errors);
      if (fields == null) {
        continue;
      }
      fields.rejectUnknown(FIELDS);
      int before = errors.size();
      String name = fields.text("name", true);
      String typeName = fields.text("type", true);
      String question = fields.text("question", true);
      Double min = fields.decimal("min");
      Double max = fields.decimal("max");
      List<String> values = fields.has("values") ? fields.texts("values", false) : List.of();
      String perName = fields.text("per", false);
      DeclaredOutcome.Type type = null;
      if (typeName != null) {
        try {
          type = DeclaredOutcome.Type.fromWireName(typeName);
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError(at + ".type", e.getMessage()));
        }
      }
      DeclaredOutcome.Per per = DeclaredOutcome.Per.SIMULATION;
      if (perName != null) {
        try {
          per = DeclaredOutcome.Per.fromWireName(perName);
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError(at + ".per", e.getMessage()));
        }
      }
      if (errors.size() == before && name != null && type != null && question != null && values != null) {
        outcomes.add(new DeclaredOutcome(name, type, question, min, max, values, per));
      }
    }
    return outcomes;
  }

  /** Writes a declaration list as an array. */
  public static void write(JsonGenerator gen, List<DeclaredOutcome> outcomes) throws IOException {
    gen.writeStartArray();
    for (DeclaredOutcome o : outcomes) {
      gen.writeStartObject();
      gen.writeStringField("name", o.name());
      gen.writeStringField("type", o.type().wireName());
      gen.writeStringField("question", o.question());
      writeBound(gen, "min", o, o.min());
      writeBound(gen, "max", o, o.max());
      if (o.type() == DeclaredOutcome.Type.ENUM) {
        gen.writeFieldName("values");
        JsonText.writeStrings(gen, o.values());
      }
      gen.writeStringField("per", o.per().wireName());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  private static void writeBound(JsonGenerator gen, String field, DeclaredOutcome o, @Nullable Double bound)
      throws IOException {
    if (bound == null) {
      return;
    }
    if (o.type() == DeclaredOutcome.Type.INTEGER) {
      gen.writeNumberField(field, bound.longValue());
    } else {
      gen.writeNumberField(field, bound);
    }
  }

  /** The JSON text of extracted values, as a store keeps them; null for none. */
  public static @Nullable String writeValues(Map<String, @Nullable Object> values) {
    return values.isEmpty() ? null : JsonText.write(gen -> JsonText.writeValue(gen, values));
  }

  /** Values stored by {@link #writeValues}; empty for null. */
  public static Map<String, @Nullable Object> readValues(@Nullable String json) {
    if (json == null) {
      return Map.of();
    }
    return JsonText.readStored(json, "outcomes", node -> {
      List<FieldError> errors = new ArrayList<>();
      Map<String, @Nullable Object> values = JsonFields.objectValue(node, "outcomes", errors, false);
      if (!errors.isEmpty()) {
        throw new ValidationException(errors);
      }
      return values;
    });
  }

  /** The JSON text of an extraction record, as a store keeps it; null for none. */
  public static @Nullable String writeExtraction(@Nullable OutcomeExtraction extraction) {
    if (extraction == null) {
      return null;
    }
    return JsonText.write(gen -> writeExtraction(gen, extraction));
  }

  /** Writes an extraction record as {@code {"model", "prompt"}}, or null. */
  public static void writeExtraction(JsonGenerator gen, @Nullable OutcomeExtraction extraction) throws IOException {
    if (extraction == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    gen.writeStringField("model", extraction.model());
    gen.writeStringField("prompt", extraction.prompt());
    gen.writeEndObject();
  }

  /** A record stored by {@link #writeExtraction(OutcomeExtraction)}; null for null. */
  public static @Nullable OutcomeExtraction readExtraction(@Nullable String json) {
    if (json == null) {
      return null;
    }
    JsonNode node = JsonText.parseStored(json);
    return new OutcomeExtraction(node.path("model").asText(""), node.path("prompt").asText(""));
  }
}
