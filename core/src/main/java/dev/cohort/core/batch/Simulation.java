package dev.cohort.core.batch;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One conversation of a batch: one combination of entities, its transcript and its outcome.
 *
 * @param id unique id
 * @param batchId the batch it belongs to
 * @param sequenceNumber 1-based position in the batch, assigned before execution, without gaps
 * @param entityIds the combination, in the pool's order
 * @param speakingOrder the order the participants are asked to speak in (a seeded permutation)
 * @param status where it stands
 * @param turns every turn written so far, in order
 * @param error why it failed, or null
 * @param attempts how many times a worker claimed it
 * @param usage tokens billed for it so far
 * @param model the model name the provider reported, or null before the first call
 * @param finalTurnNumber turns per round × rounds: the number of its last turn
 * @param createdAt when it was planned
 * @param startedAt when a worker first claimed it, or null
 * @param finishedAt when it reached a final status, or null
 * @param attemptHistory the failures before it was last retried, oldest first; empty when it never
 *     was
 * @param outcomes the values of the batch's {@linkplain BatchRequest#outcomes() declared outcomes}
 *     extracted so far, by outcome name: a simulation-level outcome's value ({@code Boolean}, an
 *     {@code Integer} or {@code Long}, a {@code Double} or a {@code String}; an entity outcome holds the entity id), or
 *     for a per-participant outcome a map from entity id to such a value; empty before extraction
 *     and when it failed
 * @param outcomeError why the last extraction failed, or null; the dialogue and status are kept
 * @param outcomeExtraction the model and prompt of the last extraction, or null when none ran
 * @param costUsd what all its calls cost in US dollars (re-asks and unused answers included, cached
 *     tokens at their price), each call priced by the model the provider named; null when the cost
 *     is unknown because some call's model has no price (never 0 for an unknown cost)
 * @param flags the quality problems local checks found in it once it completed, in {@link
 *     QualityFlag} order without repeats; empty before it completes and when none were found
 * @param systemFingerprint the {@code system_fingerprint} the provider last reported for its
 *     calls, or null when none did
 * @param turnsSha256 the {@linkplain TurnsDigest SHA-256 of its turns}, stored when it finished so
 *     that a later change to the stored transcript shows; null before it finished
 * @param finishedBy the worker that finished it, or null before it finished
 * @param plannedModel the registry name of the model it was planned for ({@link
 *     BatchRequest#models()}), or null when its batch runs on the one model; {@code model} is what
 *     the provider reported
 */
public record Simulation(
    String id,
    String batchId,
    int sequenceNumber,
    List<String> entityIds,
    List<String> speakingOrder,
    SimulationStatus status,
    List<Turn> turns,
    @Nullable String error,
    int attempts,
    TokenUsage usage,
    @Nullable String model,
    int finalTurnNumber,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    List<FailedAttempt> attemptHistory,
    @Nullable Double costUsd,
    Map<String, @Nullable Object> outcomes,
    @Nullable String outcomeError,
    @Nullable OutcomeExtraction outcomeExtraction,
    List<QualityFlag> flags,
    @Nullable String systemFingerprint,
    @Nullable String turnsSha256,
    @Nullable String finishedBy,
    @Nullable String plannedModel) {

  public Simulation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(createdAt, "createdAt");
    entityIds = List.copyOf(entityIds);
    speakingOrder = List.copyOf(speakingOrder);
    turns = List.copyOf(turns);
    attemptHistory = List.copyOf(attemptHistory);
    outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
    flags = QualityFlags.canonical(flags);
    if (sequenceNumber < 1) {
      throw new IllegalArgumentException("sequenceNumber is 1-based, was " + sequenceNumber);
    }
  }

  /** A simulation planned for no named model. */
  public Simulation(String id, String batchId, int sequenceNumber, List<String> entityIds, List<String> speakingOrder,
      SimulationStatus status, List<Turn> turns, @Nullable String error, int attempts, TokenUsage usage,
      @Nullable String model, int finalTurnNumber, Instant createdAt, @Nullable Instant startedAt,
      @Nullable Instant finishedAt, List<FailedAttempt> attemptHistory, @Nullable Double costUsd,
      Map<String, @Nullable Object> outcomes, @Nullable String outcomeError,
      @Nullable OutcomeExtraction outcomeExtraction, List<QualityFlag> flags, @Nullable String systemFingerprint,
      @Nullable String turnsSha256, @Nullable String finishedBy) {
    this(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts, usage, model,
        finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, costUsd, outcomes, outcomeError,
        outcomeExtraction, flags, systemFingerprint, turnsSha256, finishedBy, null);
  }

  /** A simulation without extracted outcomes. */
  public Simulation(String id, String batchId, int sequenceNumber, List<String> entityIds, List<String> speakingOrder,
      SimulationStatus status, List<Turn> turns, @Nullable String error, int attempts, TokenUsage usage,
      @Nullable String model, int finalTurnNumber, Instant createdAt, @Nullable Instant startedAt,
      @Nullable Instant finishedAt, List<FailedAttempt> attemptHistory, @Nullable Double costUsd) {
    this(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts, usage, model,
        finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, costUsd, Map.of(), null, null, List.of(),
        null, null, null);
  }

  /** A simulation that cost nothing yet ({@code costUsd} 0), without extracted outcomes. */
  public Simulation(String id, String batchId, int sequenceNumber, List<String> entityIds, List<String> speakingOrder,
      SimulationStatus status, List<Turn> turns, @Nullable String error, int attempts, TokenUsage usage,
      @Nullable String model, int finalTurnNumber, Instant createdAt, @Nullable Instant startedAt,
      @Nullable Instant finishedAt, List<FailedAttempt> attemptHistory) {
    this(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts, usage, model,
        finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, 0.0);
  }

  /** A simulation never retried: its attempt history is empty. */
  public Simulation(String id, String batchId, int sequenceNumber, List<String> entityIds, List<String> speakingOrder,
      SimulationStatus status, List<Turn> turns, @Nullable String error, int attempts, TokenUsage usage,
      @Nullable String model, int finalTurnNumber, Instant createdAt, @Nullable Instant startedAt,
      @Nullable Instant finishedAt) {
    this(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts, usage, model,
        finalTurnNumber, createdAt, startedAt, finishedAt, List.of(), 0.0);
  }

  /** This simulation with {@code history} as its attempt history. */
  public Simulation withAttemptHistory(List<FailedAttempt> history) {
    return new Simulation(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts,
        usage, model, finalTurnNumber, createdAt, startedAt, finishedAt, history, costUsd, outcomes, outcomeError,
        outcomeExtraction, flags, systemFingerprint, turnsSha256, finishedBy, plannedModel);
  }

  /** This simulation with {@code cost} as its cost (null: unknown). */
  public Simulation withCostUsd(@Nullable Double cost) {
    return new Simulation(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts,
        usage, model, finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, cost, outcomes, outcomeError,
        outcomeExtraction, flags, systemFingerprint, turnsSha256, finishedBy, plannedModel);
  }

  /** This simulation with the given outcome values, extraction error and extraction record. */
  public Simulation withOutcomes(Map<String, @Nullable Object> values, @Nullable String error,
      @Nullable OutcomeExtraction extraction) {
    return new Simulation(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, this.error, attempts,
        usage, model, finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, costUsd, values, error,
        extraction, flags, systemFingerprint, turnsSha256, finishedBy, plannedModel);
  }

  /** This simulation with {@code flags} as its quality flags. */
  public Simulation withFlags(List<QualityFlag> flags) {
    return new Simulation(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts,
        usage, model, finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, costUsd, outcomes,
        outcomeError, outcomeExtraction, flags, systemFingerprint, turnsSha256, finishedBy, plannedModel);
  }

  /** This simulation with the given provenance: fingerprint, transcript hash and finishing worker. */
  public Simulation withProvenance(
      @Nullable String systemFingerprint, @Nullable String turnsSha256, @Nullable String finishedBy) {
    return new Simulation(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts,
        usage, model, finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, costUsd, outcomes,
        outcomeError, outcomeExtraction, flags, systemFingerprint, turnsSha256, finishedBy, plannedModel);
  }

  /** This simulation planned for the registry name {@code name} (null: the one model). */
  public Simulation withPlannedModel(@Nullable String name) {
    return new Simulation(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts,
        usage, model, finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, costUsd, outcomes,
        outcomeError, outcomeExtraction, flags, systemFingerprint, turnsSha256, finishedBy, name);
  }

  /**
   * The model name a reader compares simulations by: the registry name it was planned for, else
   * the one the provider reported; null when neither is known.
   */
  public @Nullable String modelName() {
    return plannedModel != null ? plannedModel : model;
  }

  /** Solo, dyadic or group, from the number of participants. */
  public InteractionType interactionType() {
    return InteractionType.of(entityIds.size());
  }

  /**
   * The transcript in the original system's format: each turn as {@code Name: *thought*\n"text"}
   * (or {@code Name: "text"} without a thought), turns separated by a blank line. Empty before the
   * first turn.
   */
  public String content() {
    return Transcript.render(turns);
  }

  /** The moment the original system's {@code timestamp} field shows: finish, else start, else creation. */
  public Instant timestamp() {
    return finishedAt != null ? finishedAt : startedAt != null ? startedAt : createdAt;
  }
}
