package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.RepositoryPort;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A batch as a repository holds it, read back in full, with the checks every reliability test
 * makes of a batch that has stopped: its counts add up, nothing is left running, every failure
 * says why, and every stored transcript is whole, gap-free and free of duplicates.
 */
final class StoredBatch {
  final Batch batch;
  final List<Simulation> simulations;

  private StoredBatch(Batch batch, List<Simulation> simulations) {
    this.batch = batch;
    this.simulations = simulations;
  }

  /** Reads the batch and all its simulations from {@code repository}. */
  static StoredBatch read(RepositoryPort repository, String batchId) {
    Batch batch = repository.findBatch(batchId).orElseThrow(() -> new AssertionError("batch " + batchId + " is gone"));
    List<Simulation> simulations = new ArrayList<>();
    repository.forEachSimulation(batchId, simulations::add);
    return new StoredBatch(batch, simulations);
  }

  /** Simulations per status, counted from the simulations themselves. */
  Map<SimulationStatus, Long> statusCounts() {
    Map<SimulationStatus, Long> counts = new EnumMap<>(SimulationStatus.class);
    for (SimulationStatus s : SimulationStatus.values()) {
      counts.put(s, 0L);
    }
    for (Simulation s : simulations) {
      counts.merge(s.status(), 1L, Long::sum);
    }
    return counts;
  }

  /** The simulations with this status. */
  List<Simulation> withStatus(SimulationStatus status) {
    return simulations.stream().filter(s -> s.status() == status).toList();
  }

  /**
   * Checks a batch that has stopped: terminal status matching its counts, counts matching the
   * simulations, the planned number of simulations numbered 1 to N, none pending or running,
   * every failed one with its reason, every completed one with a whole transcript, and every
   * stored turn numbered without gaps or repeats.
   */
  StoredBatch assertSettled() {
    String id = batch.id();
    assertThat(batch.status().isTerminal()).as("batch %s is terminal, was %s", id, batch.status()).isTrue();
    assertThat(simulations).as("simulations of %s", id).hasSize((int) batch.plannedSimulations());
    assertThat(simulations).extracting(Simulation::sequenceNumber)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, simulations.size()).boxed().toList());
    Map<SimulationStatus, Long> counts = statusCounts();
    assertThat(counts.get(SimulationStatus.PENDING)).as("pending simulations of %s", id).isZero();
    assertThat(counts.get(SimulationStatus.RUNNING)).as("running simulations of %s", id).isZero();
    assertThat(batch.counts().pending()).isEqualTo(counts.get(SimulationStatus.PENDING));
    assertThat(batch.counts().running()).isEqualTo(counts.get(SimulationStatus.RUNNING));
    assertThat(batch.counts().completed()).isEqualTo(counts.get(SimulationStatus.COMPLETED));
    assertThat(batch.counts().failed()).isEqualTo(counts.get(SimulationStatus.FAILED));
    assertThat(batch.counts().cancelled()).isEqualTo(counts.get(SimulationStatus.CANCELLED));
    assertThat(batch.counts().total()).isEqualTo(batch.plannedSimulations());
    if (batch.error() == null) {
      assertThat(batch.status()).as("status of %s follows from its counts", id)
          .isEqualTo(BatchStatus.aggregate(batch.counts()));
    } else {
      assertThat(batch.status()).as("a batch with an error failed").isEqualTo(BatchStatus.FAILED);
    }
    int finalTurn = batch.request().finalTurnNumber();
    for (Simulation s : simulations) {
      assertTurnsGapFree(s, batch.request().nTurns());
      switch (s.status()) {
        case COMPLETED -> {
          assertThat(s.turns()).as("turns of completed simulation %d", s.sequenceNumber()).hasSize(finalTurn);
          assertThat(s.error()).isNull();
          assertThat(s.finishedAt()).isNotNull();
        }
        case FAILED -> {
          assertThat(s.error()).as("reason of failed simulation %d", s.sequenceNumber()).isNotBlank();
          assertThat(s.finishedAt()).isNotNull();
        }
        default -> { }
      }
    }
    return this;
  }

  /**
   * Checks that {@code recorder} accepted each stored round exactly once and each final result
   * once, and nothing for a round that is not stored. A stored round or result without an accepted
   * write passes only when a write of it failed with an exception (the store committed it, but
   * the caller never heard).
   */
  StoredBatch assertEachResultWrittenOnce(RecordingRepository recorder) {
    assertThat(recorder.duplicateRounds()).as("rounds accepted more than once").isEmpty();
    int turnsPerRound = batch.request().nTurns();
    for (Simulation s : simulations) {
      int storedRounds = s.turns().size() / turnsPerRound;
      for (int round = 1; round <= storedRounds; round++) {
        if (!recorder.roundUncertain(s.id(), round)) {
          assertThat(recorder.acceptedRounds(s.id(), round))
              .as("writes accepted for round %d of simulation %d", round, s.sequenceNumber()).isEqualTo(1);
        }
      }
      assertThat(recorder.highestAcceptedRound(s.id())).as("highest round accepted for simulation %d",
          s.sequenceNumber()).isLessThanOrEqualTo(storedRounds);
      boolean finished = s.status() == SimulationStatus.COMPLETED || s.status() == SimulationStatus.FAILED;
      if (finished && recorder.finishUncertain(s.id())) {
        assertThat(recorder.acceptedFinishes(s.id())).as("final results accepted for simulation %d",
            s.sequenceNumber()).isLessThanOrEqualTo(1);
      } else {
        assertThat(recorder.acceptedFinishes(s.id())).as("final results accepted for simulation %d",
            s.sequenceNumber()).isEqualTo(finished ? 1 : 0);
      }
    }
    return this;
  }

  /** Turns numbered 1, 2, 3… in whole rounds of {@code turnsPerRound}, each turn carrying its round. */
  static void assertTurnsGapFree(Simulation s, int turnsPerRound) {
    List<Turn> turns = s.turns();
    assertThat(turns).extracting(Turn::turnNumber).as("turn numbers of simulation %d", s.sequenceNumber())
        .containsExactlyElementsOf(IntStream.rangeClosed(1, turns.size()).boxed().toList());
    for (Turn t : turns) {
      assertThat(t.round()).as("round of turn %d of simulation %d", t.turnNumber(), s.sequenceNumber())
          .isEqualTo((t.turnNumber() - 1) / turnsPerRound + 1);
    }
    assertThat(turns.size() % turnsPerRound).as("simulation %d holds whole rounds", s.sequenceNumber()).isZero();
  }
}
