package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.ModelBreakdown;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Manifest;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ProviderJob;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The canonical JSON form of a batch and a simulation: the JSON export, the REST API and the
 * command line all write through this class, so they cannot drift apart. Field names are snake_case,
 * timestamps ISO-8601 in UTC with milliseconds ({@code 2025-03-07T12:34:56.789Z}), absent values {@code null}.
 *
 * <p>A <b>batch</b> object holds {@code id, name, description, context, status, timestamp} (when it
 * was created, as in the original system), {@code created_at, started_at, finished_at, error,
 * warnings} (sentences, see {@link Batch#warnings()}), {@code metadata}, the stored request ({@code entity_ids, interaction_size, num_simulations, n_turns,
 * simulation_rounds, replicates, interaction_style, language, seed, llm {model, temperature,
 * max_tokens}, mode, visibility, max_cost_usd, max_total_tokens, outcomes, outcome_model}), {@code requested_simulations,
 * planned_simulations}, {@code counts {total, pending,
 * running, completed, failed, cancelled}}, {@code progress} (0 to 1), {@code usage
 * {prompt_tokens, completion_tokens, cached_prompt_tokens, total_tokens, calls, cache_hits}}, {@code cost_usd}
 * (US dollars, null when unknown) and {@code flag_counts} (quality flag wire name to how many
 * simulations carry it, flags that occur only). The {@linkplain #writeDocument
 * document} form adds {@code simulations}, an {@code entities} map keyed by id and, in the JSON
 * export, the batch's {@code manifest}.
 *
 * <p>A <b>simulation</b> object has the original system's fields {@code id, sequence_number,
 * timestamp, interaction_type, entity_ids, content, metadata {n_turns, simulation_rounds,
 * final_turn_number, model}}, extended with {@code batch_id, entity_names, status, error,
 * speaking_order, turns [{round, turn_number, speaker_id, speaker_name, thought, text}], usage,
 * cost_usd, attempts, attempt_history [{attempt, error, finished_at}] (its failures before a retry-failed),
 * flags (its quality flags' wire names, {@code ["refusal", "repetition"]}),
 * created_at, started_at, finished_at, outcomes} (extracted values by outcome name, a
 * per-participant outcome as an object keyed by entity id; null before extraction or when it
 * failed), {@code outcome_error, outcome_extraction {model, prompt}, system_fingerprint} (the
 * provider's, last reported), {@code turns_sha256} (the digest of its turns stored when it finished),
 * {@code model} (the registry name it was planned for, else the provider's). It is self-contained, which is what a JSON Lines
 * row needs.
 *
 * <p>Instances are cheap, immutable and bound to one batch, whose entity snapshot supplies the
 * entity names. Methods write to a caller's generator and never close it.
 */
public final class BatchJson {
  private final Batch batch;
  private final Map<String, String> names = new HashMap<>();

  private BatchJson(Batch batch) {
    this.batch = batch;
    batch.entities().forEach(entity -> names.put(entity.id(), entity.name()));
  }

  /** The JSON form of {@code batch} and of its simulations. */
  public static BatchJson of(Batch batch) {
    return new BatchJson(batch);
  }

  /** Writes the batch object without simulations or entities (the form a batch list shows). */
  public void writeSummary(JsonGenerator gen) throws IOException {
    gen.writeStartObject();
    writeBatchFields(gen);
    gen.writeEndObject();
  }

  /**
   * Writes the batch's fields as {@link #writeSummary(JsonGenerator)} does, then, when {@code
   * byModel} is not empty, its {@code by_model} rows in the status route's form ({@link
   * #writeByModel}): what {@code cohort batches show --json} prints.
   */
  public void writeSummary(JsonGenerator gen, List<ModelBreakdown> byModel) throws IOException {
    gen.writeStartObject();
    writeSummaryFields(gen, byModel);
    gen.writeEndObject();
  }

  /**
   * Writes the batch object as {@link #writeSummary(JsonGenerator, List)} does, then {@code
   * provider_jobs} (see {@link ProviderJobsJson}): the form of a {@code batch_api} batch.
   */
  public void writeSummary(JsonGenerator gen, List<ModelBreakdown> byModel, List<ProviderJob> providerJobs)
      throws IOException {
    gen.writeStartObject();
    writeSummaryFields(gen, byModel);
    ProviderJobsJson.writeField(gen, providerJobs);
    gen.writeEndObject();
  }

  private void writeSummaryFields(JsonGenerator gen, List<ModelBreakdown> byModel) throws IOException {
    writeBatchFields(gen);
    if (!byModel.isEmpty()) {
      writeByModel(gen, byModel);
    }
  }

  /**
   * Writes the whole batch: its fields, a {@code simulations} array of everything {@code
   * simulations} hands over, in that order, and an {@code entities} map keyed by id from the batch's
   * entity snapshot. Simulations are written as they arrive, so the document streams: pass
   * {@code action -> repository.forEachSimulation(batchId, action)} for a stored batch, or {@code
   * batch.simulations()::forEach} for one already in memory.
   */
  public void writeDocument(JsonGenerator gen, Consumer<Consumer<Simulation>> simulations) throws IOException {
    writeDocument(gen, simulations, null);
  }

  /**
   * Writes the whole batch as {@link #writeDocument(JsonGenerator, Consumer)} does, followed by its
   * {@code manifest} when one is given.
   */
  public void writeDocument(JsonGenerator gen, Consumer<Consumer<Simulation>> simulations, @Nullable Manifest manifest)
      throws IOException {
    gen.writeStartObject();
    writeBatchFields(gen);
    gen.writeArrayFieldStart("simulations");
    SimulationStream.forEach(simulations, simulation -> writeSimulation(gen, simulation));
    gen.writeEndArray();
    gen.writeObjectFieldStart("entities");
    for (Entity entity : batch.entities()) {
      gen.writeFieldName(entity.id());
      EntityJson.write(gen, entity);
    }
    gen.writeEndObject();
    if (manifest != null) {
      gen.writeFieldName("manifest");
      ManifestJson.write(gen, manifest);
    }
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
      gen.writeString(names.get(id));
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
    gen.writeFieldName("turns");
    TurnJson.write(gen, simulation.turns());
    writeUsage(gen, simulation.usage());
    writeCost(gen, simulation.costUsd());
    gen.writeNumberField("attempts", simulation.attempts());
    gen.writeFieldName("attempt_history");
    AttemptHistoryJson.write(gen, simulation.attemptHistory());
    FlagsJson.writeFlags(gen, simulation.flags());
    writeInstant(gen, "created_at", simulation.createdAt());
    writeInstant(gen, "started_at", simulation.startedAt());
    writeInstant(gen, "finished_at", simulation.finishedAt());
    gen.writeFieldName("outcomes");
    JsonText.writeValue(gen, simulation.outcomes().isEmpty() ? null : simulation.outcomes());
    gen.writeStringField("outcome_error", simulation.outcomeError());
    gen.writeFieldName("outcome_extraction");
    OutcomeJson.writeExtraction(gen, simulation.outcomeExtraction());
    gen.writeStringField("system_fingerprint", simulation.systemFingerprint());
    gen.writeStringField("turns_sha256", simulation.turnsSha256());
    // The model as a study factor: the registry name it was planned for, else what the provider
    // reported (metadata.model always holds the latter).
    gen.writeStringField("model", simulation.modelName());
    gen.writeEndObject();
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
    JsonText.writeValue(gen, batch.metadata());
    writeStrings(gen, "entity_ids", request.entityIds());
    gen.writeNumberField("interaction_size", request.interactionSize());
    gen.writeNumberField("num_simulations", request.numSimulations());
    gen.writeNumberField("n_turns", request.nTurns());
    gen.writeNumberField("simulation_rounds", request.simulationRounds());
    gen.writeNumberField("replicates", request.replicates());
    gen.writeStringField("interaction_style", request.interactionStyle());
    gen.writeStringField("language", request.language());
    gen.writeNumberField("seed", batch.seed());
    gen.writeFieldName("llm");
    BatchRequestJson.writeLlm(gen, request.llm());
    gen.writeFieldName("outcomes");
    OutcomeJson.write(gen, request.outcomes());
    gen.writeStringField("outcome_model", request.outcomeModel());
    BatchRequestJson.writeMode(gen, request);
    BatchRequestJson.writeBudget(gen, request);
    // The study design: design, constraints, speaking_order and extensions, as the request stores them.
    DesignJson.write(gen, request);
    RerunFlaggedJson.write(gen, request);
    writeProgressFields(gen, batch);
    // The models as a factor: models, model_assignment and participant_models, as the request stores them.
    ModelFactorJson.write(gen, request);
  }

  /**
   * Writes the progress of a batch as one object: {@code id, status, error}, the {@linkplain
   * #writeProgressFields progress fields} and {@code created_at, started_at, finished_at} (the
   * REST status route's form).
   */
  public static void writeStatus(JsonGenerator gen, Batch batch) throws IOException {
    writeStatus(gen, batch, List.of());
  }

  /**
   * Writes the progress of a batch as {@link #writeStatus(JsonGenerator, Batch)} does, then, when
   * {@code byModel} is not empty, {@code by_model}: one object per model with {@code model},
   * {@code counts}, {@code usage} and {@code cost_usd}.
   */
  public static void writeStatus(JsonGenerator gen, Batch batch, List<ModelBreakdown> byModel) throws IOException {
    gen.writeStartObject();
    writeStatusFields(gen, batch, byModel);
    gen.writeEndObject();
  }

  private static void writeStatusFields(JsonGenerator gen, Batch batch, List<ModelBreakdown> byModel)
      throws IOException {
    gen.writeStringField("id", batch.id());
    gen.writeStringField("status", batch.status().wireName());
    gen.writeStringField("error", batch.error());
    writeProgressFields(gen, batch);
    writeInstant(gen, "created_at", batch.createdAt());
    writeInstant(gen, "started_at", batch.startedAt());
    writeInstant(gen, "finished_at", batch.finishedAt());
    if (!byModel.isEmpty()) {
      writeByModel(gen, byModel);
    }
  }

  /**
   * Writes the progress of a batch as {@link #writeStatus(JsonGenerator, Batch, List)} does, then
   * {@code provider_jobs} (see {@link ProviderJobsJson}): the status of a {@code batch_api} batch.
   */
  public static void writeStatus(JsonGenerator gen, Batch batch, List<ModelBreakdown> byModel,
      List<ProviderJob> providerJobs) throws IOException {
    gen.writeStartObject();
    writeStatusFields(gen, batch, byModel);
    ProviderJobsJson.writeField(gen, providerJobs);
    gen.writeEndObject();
  }

  /** Writes {@code by_model}: the per-model rows of counts, usage and cost, into the object being written. */
  public static void writeByModel(JsonGenerator gen, List<ModelBreakdown> byModel) throws IOException {
    gen.writeArrayFieldStart("by_model");
    for (ModelBreakdown row : byModel) {
      gen.writeStartObject();
      gen.writeStringField("model", row.model());
      writeCounts(gen, row.counts());
      writeUsage(gen, row.usage());
      writeCost(gen, row.costUsd());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  /**
   * Writes a batch's progress into the object being written: {@code requested_simulations},
   * {@code planned_simulations}, {@code counts} per status, {@code progress} (0 to 1), token
   * {@code usage} and {@code flag_counts}. The batch document and the REST status route share this form.
   */
  public static void writeProgressFields(JsonGenerator gen, Batch batch) throws IOException {
    gen.writeNumberField("requested_simulations", batch.requestedSimulations());
    gen.writeNumberField("planned_simulations", batch.plannedSimulations());
    writeCounts(gen, batch.counts());
    gen.writeNumberField("progress", batch.progress());
    writeUsage(gen, batch.usage());
    writeCost(gen, batch.costUsd());
    FlagsJson.writeFlagCounts(gen, batch.flagCounts());
  }

  /** Writes {@code counts} per status, {@code total} first, into the object being written. */
  private static void writeCounts(JsonGenerator gen, BatchCounts counts) throws IOException {
    gen.writeObjectFieldStart("counts");
    gen.writeNumberField("total", counts.total());
    gen.writeNumberField("pending", counts.pending());
    gen.writeNumberField("running", counts.running());
    gen.writeNumberField("completed", counts.completed());
    gen.writeNumberField("failed", counts.failed());
    gen.writeNumberField("cancelled", counts.cancelled());
    gen.writeEndObject();
  }

  /** {@code cost_usd}: US dollars, or null when a call's model has no price (never 0 for unknown). */
  private static void writeCost(JsonGenerator gen, @Nullable Double costUsd) throws IOException {
    if (costUsd == null) {
      gen.writeNullField("cost_usd");
    } else {
      gen.writeNumberField("cost_usd", costUsd);
    }
  }

  /**
   * Writes {@code usage {prompt_tokens, completion_tokens, cached_tokens, total_tokens,
   * cache_hits}} into the object being written.
   */
  public static void writeUsage(JsonGenerator gen, TokenUsage usage) throws IOException {
    gen.writeObjectFieldStart("usage");
    gen.writeNumberField("prompt_tokens", usage.promptTokens());
    gen.writeNumberField("completion_tokens", usage.completionTokens());
    gen.writeNumberField("cached_prompt_tokens", usage.cachedTokens());
    gen.writeNumberField("total_tokens", usage.totalTokens());
    gen.writeNumberField("calls", usage.calls());
    gen.writeNumberField("cache_hits", usage.cacheHits());
    gen.writeEndObject();
  }

  private static void writeStrings(JsonGenerator gen, String field, List<String> values) throws IOException {
    gen.writeFieldName(field);
    JsonText.writeStrings(gen, values);
  }

  private static void writeInstant(JsonGenerator gen, String field, @Nullable Instant instant) throws IOException {
    JsonText.writeInstant(gen, field, instant);
  }
}
