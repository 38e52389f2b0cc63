package dev.cohort.core.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A batch as stored: the request it was created from, the entities as they were at creation, its
 * status, counts and token usage.
 *
 * @param id unique id
 * @param status where it stands
 * @param request the validated request, with its seed filled in
 * @param requestedSimulations {@code num_simulations} × {@code replicates}, as asked
 * @param plannedSimulations min(C(n,k), {@code num_simulations}) × {@code replicates}: how many
 *     simulations were created
 * @param entities the pool's entities as they were when the batch was created, in the pool's order
 * @param createdAt when it was created
 * @param startedAt when a worker first started it, or null
 * @param finishedAt when it reached a terminal status, or null
 * @param error why it failed or stopped as a whole (a batch-fatal model error), or null
 * @param counts simulations per status
 * @param usage tokens billed for the whole batch
 * @param simulations its simulations in sequence order when they were asked for, else empty
 * @param costUsd what all its simulations' calls cost in US dollars; null when unknown (a call's
 *     model has no price, or a simulation stored before costs were recorded)
 * @param flagCounts how many of its simulations carry each quality flag, in {@link QualityFlag}
 *     order, only flags that occur (a simulation with two flags counts once for each)
 */
public record Batch(
    String id,
    BatchStatus status,
    BatchRequest request,
    long requestedSimulations,
    long plannedSimulations,
    List<Entity> entities,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable String error,
    BatchCounts counts,
    TokenUsage usage,
    List<Simulation> simulations,
    @Nullable Double costUsd,
    Map<QualityFlag, Long> flagCounts) {

  /** A batch with a cost and no quality flags counted. */
  public Batch(String id, BatchStatus status, BatchRequest request, long requestedSimulations,
      long plannedSimulations, List<Entity> entities, Instant createdAt, @Nullable Instant startedAt,
      @Nullable Instant finishedAt, @Nullable String error, BatchCounts counts, TokenUsage usage,
      List<Simulation> simulations, @Nullable Double costUsd) {
    this(id, status, request, requestedSimulations, plannedSimulations, entities, createdAt, startedAt, finishedAt,
        error, counts, usage, simulations, costUsd, Map.of());
  }

  /** A batch whose cost is not known (null): the shape of the record before costs were recorded. */
  public Batch(String id, BatchStatus status, BatchRequest request, long requestedSimulations,
      long plannedSimulations, List<Entity> entities, Instant createdAt, @Nullable Instant startedAt,
      @Nullable Instant finishedAt, @Nullable String error, BatchCounts counts, TokenUsage usage,
      List<Simulation> simulations) {
    this(id, status, request, requestedSimulations, plannedSimulations, entities, createdAt, startedAt, finishedAt,
        error, counts, usage, simulations, null, Map.of());
  }

  public Batch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(usage, "usage");
    entities = List.copyOf(entities);
    simulations = List.copyOf(simulations);
    flagCounts = QualityFlags.canonicalCounts(flagCounts);
  }

  /** The batch's name. */
  public String name() {
    return request.name();
  }

  /** The batch's description, or null. */
  public @Nullable String description() {
    return request.description();
  }

  /** The context every simulation shares. */
  public String context() {
    return request.context();
  }

  /** The free-form metadata given at creation. */
  public Map<String, @Nullable Object> metadata() {
    return request.metadata();
  }

  /** The seed every random choice of the batch was drawn from. */
  public long seed() {
    Long seed = request.seed();
    if (seed == null) {
      throw new IllegalStateException("a stored batch always has a seed");
    }
    return seed;
  }

  /**
   * What the batch's design makes happen that its author may not expect, one sentence each; empty
   * when nothing does. Derived from the request, so every store and every reader shows the same;
   * a warning never stops a batch from being created.
   */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    int turns = request.nTurns() * request.simulationRounds();
    int k = request.interactionSize();
    if (turns < k) {
      int silent = k - turns;
      warnings.add("n_turns " + request.nTurns() + " times simulation_rounds " + request.simulationRounds()
          + " gives " + turns + " turns but interaction_size is " + k + ": " + silent
          + (silent == 1 ? " participant of every simulation never speaks" : " participants of every simulation never speak")
          + "; raise n_turns or simulation_rounds to at least " + k + " turns in all");
    }
    return List.copyOf(warnings);
  }

  /** This batch with the given simulations attached. */
  public Batch withSimulations(List<Simulation> simulations) {
    return new Batch(id, status, request, requestedSimulations, plannedSimulations, entities,
        createdAt, startedAt, finishedAt, error, counts, usage, simulations, costUsd, flagCounts);
  }

  /** This batch with {@code flagCounts} as its quality flag counts. */
  public Batch withFlagCounts(Map<QualityFlag, Long> flagCounts) {
    return new Batch(id, status, request, requestedSimulations, plannedSimulations, entities,
        createdAt, startedAt, finishedAt, error, counts, usage, simulations, costUsd, flagCounts);
  }

  /** Fraction of simulations completed or failed, 0 to 1: {@link BatchCounts#progress()}. */
  public double progress() {
    return counts.progress();
  }
}
