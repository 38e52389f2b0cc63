package dev.cohort.core.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The canonical JSON form of a batch, a simulation and an entity: the JSON export and the REST API
 * both write through this class, so they cannot drift apart. Field names are snake_case,
 * timestamps ISO-8601 in UTC ({@code 2025-03-07T12:34:56Z}), absent values {@code null}.
 *
 * <p>A <b>batch</b> object holds {@code id, name, description, context, status, timestamp} (when it
 * was created, as in the original system), {@code created_at, started_at, finished_at, error,
 * warnings} (sentences, see {@link Batch#warnings()}), {@code metadata}, the stored request ({@code entity_ids, interaction_size, num_simulations, n_turns,
 * simulation_rounds, replicates, interaction_style, language, seed, llm {model, temperature,
 * max_tokens}}), {@code requested_simulations, planned_simulations}, {@code counts {total, pending,
 * running, completed, failed, cancelled}}, {@code progress} (0 to 1) and {@code usage
 * {prompt_tokens, completion_tokens, cached_tokens, total_tokens}}. The {@linkplain #writeDocument
 * document} form adds {@code simulations} and an {@code entities} map keyed by id.
 *
 * <p>A <b>simulation</b> object has the original system's fields {@code id, sequence_number,
 * timestamp, interaction_type, entity_ids, content, metadata {n_turns, simulation_rounds,
 * final_turn_number, model}}, extended with {@code batch_id, entity_names, status, error,
 * speaking_order, turns [{round, turn_number, speaker_id, speaker_name, thought, text}], usage,
 * attempts, attempt_history [{attempt, error, finished_at}] (its failures before a retry-failed),
 * created_at, started_at, finished_at}. It is self-contained, which is what a JSON Lines
 * row needs.
 *
 * <p>Instances are cheap, immutable and bound to one batch, whose entity snapshot supplies the
 * entity names. Methods write to a caller's generator and never close it.
 */
public final class BatchJson {
  private static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      // Without this, characters beyond the BMP (emoji) come out as pairs of escaped surrogates.
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .rootValueSeparator((String) null)
      .build();

  private final Batch batch;
  private final EntitySnapshot entities;

  private BatchJson(Batch batch) {
    this.batch = batch;
    this.entities = EntitySnapshot.of(batch);
  }

  /** The JSON form of {@code batch} and of its simulations. */
  public static BatchJson of(Batch batch) {
    return new BatchJson(batch);
  }

  /**
   * A UTF-8 generator configured as every Cohort JSON output is: non-ASCII characters, emoji
   * included, written as they are (never as escape sequences), no separator between root values,
   * and the stream left open when the generator is closed.
   */
  public static JsonGenerator createGenerator(OutputStream out) throws IOException {
    return FACTORY.createGenerator(out, JsonEncoding.UTF8);
  }

  /** A generator like {@link #createGenerator(OutputStream)}'s, writing characters. */
  static JsonGenerator createGenerator(Writer out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  /** Writes the batch object without simulations or entities (the form a batch list shows). */
  public void writeSummary(JsonGenerator gen) throws IOException {
    gen.writeStartObject();
    writeBatchFields(gen);
    gen.writeEndObject();
  }

  /**
   * Writes the whole batch: its fields, a {@code simulations} array of everything {@code
   * simulations} hands over, in that order, and an {@code entities} map keyed by id from the batch's
   * entity snapshot. Simulations are written as they arrive, so the document streams: pass
   * {@code action -> repository.forEachSimulation(batchId, action)} for a stored batch, or {@code
   * batch.simulations()::forEach} for one already in memory.
   */
  public void writeDocument(JsonGenerator gen, Consumer<Consumer<Simulation>> simulations) throws IOException {
    gen.writeStartObject();
    writeBatchFields(gen);
    gen.writeArrayFieldStart("simulations");
    SimulationStream.forEach(simulations, simulation -> writeSimulation(gen, simulation));
    gen.writeEndArray();
    gen.writeObjectFieldStart("entities");
    for (Entity entity : batch.entities()) {
      gen.writeFieldName(entity.id());
      writeEntity(gen, entity);
    }
    gen.writeEndObject();
    gen.writeEndObject();
  }

  /** Writes one simulation of this batch as a self-contained object. */
  public void writeSimulation(JsonGenerator gen, Simulation simulation) throws IOException {
    BatchRequest request = batch.request();
    gen.writeStartObject();
    gen.writeStringField("id", simulation.id());
    gen.writeStringField("batch_id", simulation.batchId());
    gen.writeNumberField("sequence_number", simulation.sequenceNumber());
    writeInstant(gen, "timestamp", simulation.timestamp());
    gen.writeStringField("interaction_type", simulation.interactionType().wireName());
    writeStrings(gen, "entity_ids", simulation.entityIds());
    gen.writeArrayFieldStart("entity_names");
    for (String id : simulation.entityIds()) {
      gen.writeString(entities.name(id));
    }
    gen.writeEndArray();
    gen.writeStringField("content", simulation.content());
    gen.writeObjectFieldStart("metadata");
    gen.writeNumberField("n_turns", request.nTurns());
    gen.writeNumberField("simulation_rounds", request.simulationRounds());
    gen.writeNumberField("final_turn_number", simulation.finalTurnNumber());
    gen.writeStringField("model", simulation.model());
    gen.writeEndObject();
    gen.writeStringField("status", simulation.status().wireName());
    gen.writeStringField("error", simulation.error());
    writeStrings(gen, "speaking_order", simulation.speakingOrder());
    gen.writeArrayFieldStart("turns");
    for (Turn turn : simulation.turns()) {
      gen.writeStartObject();
      gen.writeNumberField("round", turn.round());
      gen.writeNumberField("turn_number", turn.turnNumber());
      gen.writeStringField("speaker_id", turn.speakerId());
      gen.writeStringField("speaker_name", turn.speakerName());
      gen.writeStringField("thought", turn.thought());
      gen.writeStringField("text", turn.text());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    writeUsage(gen, simulation.usage());
    gen.writeNumberField("attempts", simulation.attempts());
    gen.writeArrayFieldStart("attempt_history");
    for (FailedAttempt failed : simulation.attemptHistory()) {
      gen.writeStartObject();
      gen.writeNumberField("attempt", failed.attempt());
      gen.writeStringField("error", failed.error());
      writeInstant(gen, "finished_at", failed.finishedAt());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    writeInstant(gen, "created_at", simulation.createdAt());
    writeInstant(gen, "started_at", simulation.startedAt());
    writeInstant(gen, "finished_at", simulation.finishedAt());
    gen.writeEndObject();
  }

  /** Writes an entity as {@code {id, name, description, attributes}}. */
  public static void writeEntity(JsonGenerator gen, Entity entity) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("id", entity.id());
    gen.writeStringField("name", entity.name());
    gen.writeStringField("description", entity.description());
    gen.writeFieldName("attributes");
    writeValue(gen, entity.attributes());
    gen.writeEndObject();
  }

  /**
   * Writes a JSON-shaped value as held by the domain model: a map with string keys, a list, a
   * string, a number, a boolean or null.
   *
   * @throws IllegalArgumentException for any other kind of value
   */
  public static void writeValue(JsonGenerator gen, @Nullable Object value) throws IOException {
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof String s) {
      gen.writeString(s);
    } else if (value instanceof Boolean b) {
      gen.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      gen.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double d) {
      gen.writeNumber(d);
    } else if (value instanceof Float f) {
      gen.writeNumber(f);
    } else if (value instanceof BigDecimal d) {
      gen.writeNumber(d);
    } else if (value instanceof BigInteger i) {
      gen.writeNumber(i);
    } else if (value instanceof Map<?, ?> map) {
      gen.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        gen.writeFieldName(String.valueOf(entry.getKey()));
        writeValue(gen, entry.getValue());
      }
      gen.writeEndObject();
    } else if (value instanceof List<?> list) {
      gen.writeStartArray();
      for (Object element : list) {
        writeValue(gen, element);
      }
      gen.writeEndArray();
    } else {
      throw new IllegalArgumentException("a " + value.getClass().getName() + " is not a JSON value");
    }
  }

  private void writeBatchFields(JsonGenerator gen) throws IOException {
    BatchRequest request = batch.request();
    gen.writeStringField("id", batch.id());
    gen.writeStringField("name", batch.name());
    gen.writeStringField("description", batch.description());
    gen.writeStringField("context", batch.context());
    gen.writeStringField("status", batch.status().wireName());
    writeInstant(gen, "timestamp", batch.createdAt());
    writeInstant(gen, "created_at", batch.createdAt());
    writeInstant(gen, "started_at", batch.startedAt());
    writeInstant(gen, "finished_at", batch.finishedAt());
    gen.writeStringField("error", batch.error());
    writeStrings(gen, "warnings", batch.warnings());
    gen.writeFieldName("metadata");
    writeValue(gen, batch.metadata());
    writeStrings(gen, "entity_ids", request.entityIds());
    gen.writeNumberField("interaction_size", request.interactionSize());
    gen.writeNumberField("num_simulations", request.numSimulations());
    gen.writeNumberField("n_turns", request.nTurns());
    gen.writeNumberField("simulation_rounds", request.simulationRounds());
    gen.writeNumberField("replicates", request.replicates());
    gen.writeStringField("interaction_style", request.interactionStyle());
    gen.writeStringField("language", request.language());
    gen.writeNumberField("seed", batch.seed());
    LlmOptions llm = request.llm();
    gen.writeObjectFieldStart("llm");
    gen.writeStringField("model", llm.model());
    gen.writeFieldName("temperature");
    writeValue(gen, llm.temperature());
    gen.writeFieldName("max_tokens");
    writeValue(gen, llm.maxTokens());
    gen.writeEndObject();
    writeProgressFields(gen, batch);
  }

  /**
   * Writes a batch's progress into the object being written: {@code requested_simulations},
   * {@code planned_simulations}, {@code counts} per status, {@code progress} (0 to 1) and token
   * {@code usage}. The batch document and the REST status route share this form.
   */
  public static void writeProgressFields(JsonGenerator gen, Batch batch) throws IOException {
    gen.writeNumberField("requested_simulations", batch.requestedSimulations());
    gen.writeNumberField("planned_simulations", batch.plannedSimulations());
    BatchCounts counts = batch.counts();
    gen.writeObjectFieldStart("counts");
    gen.writeNumberField("total", counts.total());
    gen.writeNumberField("pending", counts.pending());
    gen.writeNumberField("running", counts.running());
    gen.writeNumberField("completed", counts.completed());
    gen.writeNumberField("failed", counts.failed());
    gen.writeNumberField("cancelled", counts.cancelled());
    gen.writeEndObject();
    gen.writeNumberField("progress", batch.progress());
    writeUsage(gen, batch.usage());
  }

  private static void writeUsage(JsonGenerator gen, TokenUsage usage) throws IOException {
    gen.writeObjectFieldStart("usage");
    gen.writeNumberField("prompt_tokens", usage.promptTokens());
    gen.writeNumberField("completion_tokens", usage.completionTokens());
    gen.writeNumberField("cached_tokens", usage.cachedTokens());
    gen.writeNumberField("total_tokens", usage.totalTokens());
    gen.writeEndObject();
  }

  private static void writeStrings(JsonGenerator gen, String field, List<String> values) throws IOException {
    gen.writeArrayFieldStart(field);
    for (String value : values) {
      gen.writeString(value);
    }
    gen.writeEndArray();
  }

  private static void writeInstant(JsonGenerator gen, String field, @Nullable Instant instant) throws IOException {
    gen.writeStringField(field, instant == null ? null : instant.toString());
  }
}
