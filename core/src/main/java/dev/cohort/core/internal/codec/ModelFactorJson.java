package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.ModelAssignment;
import dev.cohort.core.batch.ModelFactor;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes a request's model factor: {@code models} (an array of registry names), {@code
 * model_assignment} ({@code crossed} or {@code balanced}) and {@code participant_models} (an object
 * of entity id → registry name). Part of {@link BatchRequestJson}.
 */
final class ModelFactorJson {
  static final List<String> FIELDS = List.of("models", "model_assignment", "participant_models");

  private ModelFactorJson() {}

  /** Reads the model fields of {@code request} into {@code builder}, recording every problem. */
  static void read(JsonNode request, boolean strict, List<FieldError> errors, BatchRequest.Builder builder) {
    JsonNode models = request.get("models");
    if (models != null && !models.isNull()) {
      List<String> names = JsonFields.textArray(models, "models", errors, strict);
      if (names != null) {
        builder.models(names);
      }
    }
    JsonNode assignment = request.get("model_assignment");
    if (assignment != null && !assignment.isNull()) {
      if (!assignment.isTextual()) {
        errors.add(new FieldError("model_assignment", "must be a string, was " + JsonFields.describe(assignment)));
      } else {
        try {
          builder.modelAssignment(ModelAssignment.fromWireName(assignment.textValue()));
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError("model_assignment", e.getMessage()));
        }
      }
    }
    JsonNode participants = request.get("participant_models");
    if (participants != null && !participants.isNull()) {
      @Nullable Map<String, String> byEntity = participantModels(participants, strict, errors);
      if (byEntity != null) {
        builder.participantModels(byEntity);
      }
    }
  }

  private static @Nullable Map<String, String> participantModels(JsonNode node, boolean strict,
      List<FieldError> errors) {
    if (!node.isObject()) {
      errors.add(new FieldError("participant_models", "must be an object of entity id to model name, was "
          + JsonFields.describe(node)));
      return null;
    }
    Map<String, String> byEntity = new LinkedHashMap<>();
    boolean ok = true;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String path = "participant_models." + e.getKey();
      if (!e.getValue().isTextual()) {
        errors.add(new FieldError(path, "must be a model name, was " + JsonFields.describe(e.getValue())));
        ok = false;
        continue;
      }
      String name = JsonFields.checkedText(e.getValue().textValue(), path, errors, strict);
      ok &= name != null;
      if (name != null) {
        byEntity.put(e.getKey(), name);
      }
    }
    return ok ? byEntity : null;
  }

  /** Writes the request's model fields into the object being written. */
  static void write(JsonGenerator gen, BatchRequest request) throws IOException {
    ModelFactor factor = request.modelFactor();
    gen.writeFieldName("models");
    JsonText.writeStrings(gen, factor.models());
    gen.writeStringField("model_assignment", factor.assignment().wireName());
    gen.writeObjectFieldStart("participant_models");
    for (Map.Entry<String, String> e : factor.participantModels().entrySet()) {
      gen.writeStringField(e.getKey(), e.getValue());
    }
    gen.writeEndObject();
  }
}
