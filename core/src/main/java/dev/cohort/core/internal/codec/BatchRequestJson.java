package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.batch.Visibility;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link BatchRequest}: the original system's fields ({@code name, context,
 * entity_ids, interaction_size, num_simulations, n_turns, simulation_rounds, metadata}) plus
 * Cohort's ({@code description, interaction_style, language, seed, replicates, mode, visibility}) and the model
 * settings, written as {@code llm {model, temperature, max_tokens}}, and the declared {@code
 * outcomes} with their {@code outcome_model} (see {@link OutcomeJson}). Reading takes the settings in
 * that object or, as the REST API has always accepted them, as top-level {@code model, temperature,
 * max_tokens}. The study design's fields ({@code design, constraints, speaking_order} and, stored
 * only, {@code extensions}) are read and written by {@link DesignJson}, {@code rerun_flagged} by
 * {@link RerunFlaggedJson}.
 *
 * <p>Reading checks each field's exact JSON type and reports every problem at once, the type
 * errors found here together with the range errors of {@link BatchRequest.Builder#build()}.
 * Unknown fields are refused, so a misspelt {@code n_turn} cannot silently fall back to its default.
 */
public final class BatchRequestJson {
  /** Every field a request object may hold. */
  public static final List<String> FIELDS = List.of("name", "description", "context", "entity_ids",
      "interaction_size", "num_simulations", "n_turns", "simulation_rounds", "metadata",
      "interaction_style", "language", "seed", "replicates", "model", "temperature", "max_tokens", "llm",
      "mode", "visibility", "execution", "max_cost_usd", "max_total_tokens", "outcomes", "outcome_model",
      "design", "constraints", "speaking_order", "extensions", RerunFlaggedJson.FIELD,
      "models", "model_assignment", "participant_models");

  private static final List<String> LLM_FIELDS = List.of("model", "temperature", "max_tokens");

  private BatchRequestJson() {}

  /**
   * The request a JSON object from outside (a REST body) describes.
   *
   * @param field how errors name the whole document, such as {@code body}
   * @throws ValidationException naming every bad field
   */
  public static BatchRequest read(JsonNode node, String field) {
    return read(node, field, true);
  }

  /** A request stored by {@link #write(BatchRequest)}. */
  public static BatchRequest readStored(String json) {
    return JsonText.readStored(json, "batch request", node -> read(node, "request", false));
  }

  private static BatchRequest read(JsonNode node, String field, boolean strict) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields fields = strict ? JsonFields.of(node, field, "", errors) : JsonFields.ofStored(node, field, "", errors);
    if (fields == null) {
      throw new ValidationException(errors);
    }
    fields.rejectUnknown(FIELDS);
    BatchRequest.Builder builder = BatchRequest.builder();
    set(fields.text("name", true), builder::name);
    builder.description(fields.text("description", false));
    set(fields.text("context", true), builder::context);
    set(fields.texts("entity_ids", true), builder::entityIds);
    set(fields.integer("interaction_size", true, Integer.MAX_VALUE), builder::interactionSize);
    // An explicit design's groups say how many simulations there are.
    set(fields.integer("num_simulations", !DesignJson.isExplicit(node), BatchRequest.MAX_SIMULATIONS),
        builder::numSimulations);
    set(fields.integer("n_turns", false, BatchRequest.MAX_TURNS), builder::nTurns);
    set(fields.integer("simulation_rounds", false, BatchRequest.MAX_ROUNDS), builder::simulationRounds);
    set(fields.integer("replicates", false, BatchRequest.MAX_REPLICATES), builder::replicates);
    Map<String, @Nullable Object> metadata = fields.object("metadata");
    if (metadata != null) {
      builder.metadata(metadata);
    }
    set(fields.text("interaction_style", false), builder::interactionStyle);
    set(fields.text("language", false), builder::language);
    builder.seed(fields.longInteger("seed"));
    if (fields.has("outcomes")) {
      builder.outcomes(OutcomeJson.read(node.get("outcomes"), "outcomes", errors, strict));
    }
    builder.outcomeModel(fields.text("outcome_model", false));
    RerunFlaggedJson.read(fields, errors, builder);
    builder.llm(llm(fields, errors));
    String mode = fields.text("mode", false);
    if (mode != null) {
      SimulationMode.fromWireName(mode).ifPresentOrElse(builder::mode, () -> errors.add(new FieldError("mode",
          "must be one of " + SimulationMode.wireNames() + ", was '" + mode + "'")));
    }
    String visibility = fields.text("visibility", false);
    if (visibility != null) {
      Visibility.fromWireName(visibility).ifPresentOrElse(builder::visibility, () -> errors.add(new FieldError(
          "visibility", "must be one of " + Visibility.wireNames() + ", was '" + visibility + "'")));
    }
    String execution = fields.text("execution", false);
    if (execution != null) {
      Execution.fromWireName(execution).ifPresentOrElse(builder::execution, () -> errors.add(new FieldError(
          "execution", "must be one of " + Execution.wireNames() + ", was '" + execution + "'")));
    }
    builder.maxCostUsd(fields.decimal("max_cost_usd"));
    builder.maxTotalTokens(fields.longInteger("max_total_tokens"));
    DesignJson.read(node, strict, errors, builder);
    ModelFactorJson.read(node, strict, errors, builder);

    BatchRequest request;
    try {
      request = builder.build();
    } catch (ValidationException e) {
      // A field that failed its type check reaches the builder unset; its complaint about the
      // missing value would only repeat ours.
      Set<String> reported = new HashSet<>();
      errors.forEach(error -> reported.add(topLevel(error.field())));
      e.errors().stream().filter(error -> !reported.contains(topLevel(error.field()))).forEach(errors::add);
      throw new ValidationException(errors);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return request;
  }

  private static LlmOptions llm(JsonFields fields, List<FieldError> errors) {
    if (!fields.has("llm")) {
      return new LlmOptions(fields.text("model", false), fields.decimal("temperature"),
          fields.integer("max_tokens", false, Integer.MAX_VALUE));
    }
    for (String flat : LLM_FIELDS) {
      if (fields.has(flat)) {
        errors.add(new FieldError(flat, "is given both on its own and inside llm; give it once"));
      }
    }
    JsonFields llm = fields.nested("llm");
    if (llm == null) {
      return LlmOptions.DEFAULTS;
    }
    llm.rejectUnknown(LLM_FIELDS);
    return new LlmOptions(llm.text("model", false), llm.decimal("temperature"),
        llm.integer("max_tokens", false, Integer.MAX_VALUE));
  }

  /** The JSON text of {@code request}, as a batch stores it. */
  public static String write(BatchRequest request) {
    return JsonText.write(gen -> write(gen, request));
  }

  /** Writes {@code request} as one object. */
  public static void write(JsonGenerator gen, BatchRequest request) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("name", request.name());
    gen.writeStringField("description", request.description());
    gen.writeStringField("context", request.context());
    gen.writeFieldName("entity_ids");
    JsonText.writeStrings(gen, request.entityIds());
    gen.writeFieldName("outcomes");
    OutcomeJson.write(gen, request.outcomes());
    gen.writeStringField("outcome_model", request.outcomeModel());
    gen.writeNumberField("interaction_size", request.interactionSize());
    gen.writeNumberField("num_simulations", request.numSimulations());
    gen.writeNumberField("n_turns", request.nTurns());
    gen.writeNumberField("simulation_rounds", request.simulationRounds());
    gen.writeFieldName("metadata");
    JsonText.writeValue(gen, request.metadata());
    gen.writeStringField("interaction_style", request.interactionStyle());
    gen.writeStringField("language", request.language());
    gen.writeFieldName("seed");
    JsonText.writeValue(gen, request.seed());
    gen.writeNumberField("replicates", request.replicates());
    gen.writeFieldName("llm");
    writeLlm(gen, request.llm());
    writeMode(gen, request);
    writeBudget(gen, request);
    DesignJson.write(gen, request);
    RerunFlaggedJson.write(gen, request);
    ModelFactorJson.write(gen, request);
    gen.writeEndObject();
  }

  /** Writes the request's {@code mode} and {@code visibility} fields into the object being written. */
  static void writeMode(JsonGenerator gen, BatchRequest request) throws IOException {
    gen.writeStringField("mode", request.mode().wireName());
    gen.writeStringField("visibility", request.visibility().wireName());
    gen.writeStringField("execution", request.execution().wireName());
  }

  /** Writes {@code max_cost_usd} and {@code max_total_tokens} (null when not capped) into the object being written. */
  public static void writeBudget(JsonGenerator gen, BatchRequest request) throws IOException {
    gen.writeFieldName("max_cost_usd");
    JsonText.writeValue(gen, request.maxCostUsd());
    gen.writeFieldName("max_total_tokens");
    JsonText.writeValue(gen, request.maxTotalTokens());
  }

  /** Writes model settings as {@code {model, temperature, max_tokens}}. */
  static void writeLlm(JsonGenerator gen, LlmOptions llm) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("model", llm.model());
    gen.writeFieldName("temperature");
    JsonText.writeValue(gen, llm.temperature());
    gen.writeFieldName("max_tokens");
    JsonText.writeValue(gen, llm.maxTokens());
    gen.writeEndObject();
  }

  /** The request field an error is about: {@code entity_ids} for {@code entity_ids[2]}, {@code model} for {@code llm.model}. */
  private static String topLevel(String path) {
    String field = path.startsWith("llm.") ? path.substring("llm.".length()) : path;
    int end = field.length();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '.' || c == '[' || c == ' ') {
        end = i;
        break;
      }
    }
    return field.substring(0, end);
  }

  private static <T> void set(@Nullable T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
