package dev.cohort.testkit;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.RoundResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds valid batches of pending simulations for tests:
 *
 * <pre>{@code
 * TestBatch batch = TestBatches.pending("b1", 10).storeIn(repository);
 * RoundResult round = TestBatches.round(batch.simulation(1), 1, 3);
 * }</pre>
 *
 * <p>Simulation ids are {@link #simulationId(String, int)}: the batch id (or {@link
 * Builder#simulationIdPrefix another prefix}), {@code "-s"} and the sequence number. Every timestamp has millisecond precision, so a store that keeps milliseconds
 * gives back equal values.
 */
public final class TestBatches {
  /** The creation time of batches built without {@link Builder#createdAt}. */
  public static final Instant DEFAULT_CREATED_AT = Instant.parse("2026-01-01T00:00:00Z");
  /** The model name {@link #round} reports. */
  public static final String ROUND_MODEL = "testkit-model";
  /**
   * What {@link #round} says each turn's call cost, in US dollars: a power of two, so sums of it are
   * exact in floating point and tests can compare them with equals.
   */
  public static final double ROUND_COST_PER_TURN = 0.25;

  private TestBatches() {}

  /** A {@code PENDING} batch of the {@link Entities#sample() sample entities} with {@code simulations} pending simulations. */
  public static TestBatch pending(String batchId, int simulations) {
    return builder(batchId).simulations(simulations).build();
  }

  /** A builder for a batch with this id; defaults: 1 simulation, k = 2, 2 turns, 1 round. */
  public static Builder builder(String batchId) {
    return new Builder(batchId);
  }

  /** The id {@link TestBatches} gives the simulation with this sequence number. */
  public static String simulationId(String batchId, int sequenceNumber) {
    return batchId + "-s" + sequenceNumber;
  }

  /**
   * A round of {@code turnsPerRound} turns for {@code simulation}, speakers taken in its speaking
   * order, turn numbers continuing from earlier rounds, one call costing {@link #ROUND_COST_PER_TURN}
   * per turn, usage of 10 prompt and 5 completion tokens
   * per turn, model {@link #ROUND_MODEL}.
   */
  public static RoundResult round(Simulation simulation, int round, int turnsPerRound) {
    if (turnsPerRound < 0) {
      throw new IllegalArgumentException("turnsPerRound must not be negative, was " + turnsPerRound);
    }
    List<Turn> turns = new ArrayList<>(turnsPerRound);
    List<String> order = simulation.speakingOrder();
    for (int i = 0; i < turnsPerRound; i++) {
      int turnNumber = (round - 1) * turnsPerRound + i + 1;
      String speaker = order.get(i % order.size());
      turns.add(new Turn(round, turnNumber, speaker, "Name of " + speaker,
          i % 2 == 0 ? "thinking in round " + round : null,
          "turn " + turnNumber + " of " + simulation.id()));
    }
    return new RoundResult(round, turns, new TokenUsage(10L * turnsPerRound, 5L * turnsPerRound, 0, 1), ROUND_MODEL,
        ROUND_COST_PER_TURN * turnsPerRound);
  }

  /** Sets up one test batch; {@link #build()} returns it with its simulations. */
  public static final class Builder {
    private final String batchId;
    private String simulationIdPrefix;
    private int simulations = 1;
    private int interactionSize = 2;
    private int nTurns = 2;
    private int rounds = 1;
    private List<Entity> entities = Entities.sample();
    private Instant createdAt = DEFAULT_CREATED_AT;
    private BatchStatus status = BatchStatus.PENDING;
    private String context = "A town hall meeting about building a new bicycle bridge over the river.";

    private Builder(String batchId) {
      this.batchId = Objects.requireNonNull(batchId, "batchId");
      this.simulationIdPrefix = batchId;
    }

    /**
     * What simulation ids start with instead of the batch id: ids become {@code prefix + "-s" +
     * sequenceNumber}. Lets a test build two batches whose simulations do not collide.
     */
    public Builder simulationIdPrefix(String prefix) {
      this.simulationIdPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** How many pending simulations, numbered 1 to {@code count}. */
    public Builder simulations(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("simulations must be at least 1, was " + count);
      }
      this.simulations = count;
      return this;
    }

    /** Entities per simulation, 1 to the pool size. */
    public Builder interactionSize(int k) {
      this.interactionSize = k;
      return this;
    }

    /** Turns per round. */
    public Builder nTurns(int nTurns) {
      this.nTurns = nTurns;
      return this;
    }

    /** Rounds per simulation. */
    public Builder rounds(int rounds) {
      this.rounds = rounds;
      return this;
    }

    /** The pool; default {@link Entities#sample()}. */
    public Builder entities(List<Entity> entities) {
      this.entities = List.copyOf(entities);
      return this;
    }

    /** The shared context. */
    public Builder context(String context) {
      this.context = Objects.requireNonNull(context, "context");
      return this;
    }

    /** When the batch and its simulations were created; truncated to milliseconds. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = Instant.ofEpochMilli(createdAt.toEpochMilli());
      return this;
    }

    /** The batch's stored status; default {@code PENDING}. */
    public Builder status(BatchStatus status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    /**
     * The batch and its simulations. Simulation {@code i} takes {@code k} consecutive entities of
     * the pool starting at entity {@code (i - 1) mod n} (wrapping around) and speaks in that order,
     * reversed for even sequence numbers.
     */
    public TestBatch build() {
      List<String> pool = entities.stream().map(Entity::id).toList();
      BatchRequest request = BatchRequest.builder()
          .name("Test batch " + batchId)
          .description("Built by the Cohort testkit")
          .context(context)
          .entityIds(pool)
          .interactionSize(interactionSize)
          .numSimulations(simulations)
          .nTurns(nTurns)
          .simulationRounds(rounds)
          .metadata(Map.of("source", "testkit"))
          .seed(42L)
          .build();
      Batch batch = new Batch(batchId, status, request, simulations, simulations, entities, createdAt,
          null, null, null, BatchCounts.EMPTY, TokenUsage.ZERO, List.of());
      List<Simulation> sims = new ArrayList<>(simulations);
      for (int seq = 1; seq <= simulations; seq++) {
        List<String> combination = new ArrayList<>(interactionSize);
        for (int j = 0; j < interactionSize; j++) {
          combination.add(pool.get((seq - 1 + j) % pool.size()));
        }
        List<String> order = new ArrayList<>(combination);
        if (seq % 2 == 0) {
          Collections.reverse(order);
        }
        sims.add(new Simulation(simulationId(simulationIdPrefix, seq), batchId, seq, combination, order,
            SimulationStatus.PENDING, List.of(), null, 0, TokenUsage.ZERO, null,
            request.finalTurnNumber(), createdAt, null, null));
      }
      return new TestBatch(batch, sims);
    }
  }
}
