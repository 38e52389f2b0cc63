package dev.cohort.core.batch;

import java.time.Instant;
import java.util.List;
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
 * @param flags the quality problems local checks found in it once it completed, in {@link
 *     QualityFlag} order without repeats; empty before it completes and when none were found
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
    List<QualityFlag> flags) {

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
    flags = QualityFlags.canonical(flags);
    if (sequenceNumber < 1) {
      throw new IllegalArgumentException("sequenceNumber is 1-based, was " + sequenceNumber);
    }
  }

  /** A simulation without quality flags. */
  public Simulation(String id, String batchId, int sequenceNumber, List<String> entityIds, List<String> speakingOrder,
      SimulationStatus status, List<Turn> turns, @Nullable String error, int attempts, TokenUsage usage,
      @Nullable String model, int finalTurnNumber, Instant createdAt, @Nullable Instant startedAt,
      @Nullable Instant finishedAt, List<FailedAttempt> attemptHistory) {
    this(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts, usage, model,
        finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, List.of());
  }

  /** A simulation never retried: its attempt history is empty. */
  public Simulation(String id, String batchId, int sequenceNumber, List<String> entityIds, List<String> speakingOrder,
      SimulationStatus status, List<Turn> turns, @Nullable String error, int attempts, TokenUsage usage,
      @Nullable String model, int finalTurnNumber, Instant createdAt, @Nullable Instant startedAt,
      @Nullable Instant finishedAt) {
    this(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts, usage, model,
        finalTurnNumber, createdAt, startedAt, finishedAt, List.of(), List.of());
  }

  /** This simulation with {@code history} as its attempt history. */
  public Simulation withAttemptHistory(List<FailedAttempt> history) {
    return new Simulation(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts,
        usage, model, finalTurnNumber, createdAt, startedAt, finishedAt, history, flags);
  }

  /** This simulation with {@code flags} as its quality flags (sorted, repeats dropped). */
  public Simulation withFlags(List<QualityFlag> flags) {
    return new Simulation(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error, attempts,
        usage, model, finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, flags);
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
