package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.RoundResult;
import dev.cohort.testkit.TestBatch;
import dev.cohort.testkit.TestBatches;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the in-memory store promises beyond the shared contract. */
class InMemoryRepositoryBehaviourTest {
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  private final MutableClock clock = new MutableClock(START);
  private final InMemoryRepository repository = InMemoryRepository.create(clock);

  @Test
  void leasesExpireByTheInjectedClock() {
    TestBatches.pending("b1", 1).storeIn(repository);
    ClaimedSimulation first = repository.claim("b1", "w1", 1, Duration.ofSeconds(30)).get(0);
    assertThat(first.simulation().startedAt()).isEqualTo(START);

    clock.advance(Duration.ofSeconds(29));
    assertThat(repository.claim("b1", "w2", 1, Duration.ofSeconds(30))).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    List<ClaimedSimulation> takeover = repository.claim("b1", "w2", 1, Duration.ofSeconds(30));
    assertThat(takeover).hasSize(1);
    assertThat(takeover.get(0).simulation().startedAt()).isEqualTo(START);
  }

  @Test
  void renewMovesTheExpiryFromTheInjectedClock() {
    TestBatches.pending("b1", 1).storeIn(repository);
    ClaimedSimulation claimed = repository.claim("b1", "w1", 1, Duration.ofSeconds(10)).get(0);

    clock.advance(Duration.ofSeconds(9));
    assertThat(repository.renew(List.of(claimed.lease()), Duration.ofSeconds(10))).isEmpty();
    clock.advance(Duration.ofSeconds(9));

    assertThat(repository.claim("b1", "w2", 1, Duration.ofSeconds(10))).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(repository.claim("b1", "w2", 1, Duration.ofSeconds(10))).hasSize(1);
  }

  @Test
  void timestampsAreKeptToTheMillisecondAsEveryStoreKeepsThem() {
    TestBatches.pending("b1", 1).storeIn(repository);
    clock.advance(Duration.ofNanos(1_234_567));
    ClaimedSimulation claimed = repository.claim("b1", "w1", 1, Duration.ofMinutes(1)).get(0);
    clock.advance(Duration.ofNanos(2_000_999));

    repository.finish(claimed.lease(), SimulationStatus.COMPLETED, null);

    Simulation finished = repository.findSimulation(claimed.lease().simulationId()).orElseThrow();
    assertThat(finished.startedAt()).isEqualTo(START.plusMillis(1));
    assertThat(finished.finishedAt()).isEqualTo(START.plusMillis(3));
  }

  @Test
  void finishStampsTheInjectedTime() {
    TestBatches.pending("b1", 1).storeIn(repository);
    ClaimedSimulation claimed = repository.claim("b1", "w1", 1, Duration.ofMinutes(1)).get(0);
    clock.advance(Duration.ofSeconds(42));

    repository.finish(claimed.lease(), SimulationStatus.COMPLETED, null);

    assertThat(repository.findSimulation(claimed.simulation().id()).orElseThrow().finishedAt())
        .isEqualTo(START.plusSeconds(42));
  }

  @Test
  void finishCompletedWritesWhatRecordingTheFlagsThenFinishingWrites() {
    TestBatches.pending("b1", 3).storeIn(repository);
    List<ClaimedSimulation> claimed = repository.claim("b1", "w1", 3, Duration.ofMinutes(1));
    List<Turn> turns = List.of(new Turn(1, 1, "e1", "Ada", null, "We should open the reading room on Sundays."));
    for (ClaimedSimulation c : claimed.subList(0, 2)) {
      assertThat(repository.recordRound(c.lease(), new RoundResult(1, turns, new TokenUsage(10, 5, 0), "m", 0.25,
          "fp"))).isTrue();
    }
    clock.advance(Duration.ofSeconds(7));
    List<QualityFlag> flags = List.of(QualityFlag.REFUSAL, QualityFlag.TRUNCATED);

    assertThat(repository.finishCompleted(claimed.get(0).lease(), flags)).isTrue();
    // The port's default: the flags, then the finish.
    repository.recordFlags(claimed.get(1).lease().simulationId(), flags);
    assertThat(repository.finish(claimed.get(1).lease(), SimulationStatus.COMPLETED, null)).isTrue();

    Simulation inOne = repository.findSimulation(claimed.get(0).lease().simulationId()).orElseThrow();
    Simulation inTwo = repository.findSimulation(claimed.get(1).lease().simulationId()).orElseThrow();
    assertThat(inOne.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(inOne.flags()).isEqualTo(flags);
    assertThat(inOne).usingRecursiveComparison()
        .ignoringFields("id", "sequenceNumber", "entityIds", "speakingOrder").isEqualTo(inTwo);
    assertThat(repository.findBatch("b1").orElseThrow().flagCounts())
        .containsEntry(QualityFlag.REFUSAL, 2L).containsEntry(QualityFlag.TRUNCATED, 2L);
    assertThat(repository.findBatch("b1").orElseThrow().counts().completed()).isEqualTo(2);

    // A lost lease: nothing is written, not even the flags.
    clock.advance(Duration.ofMinutes(2));
    assertThat(repository.claim("b1", "w2", 1, Duration.ofMinutes(1))).hasSize(1);
    assertThat(repository.finishCompleted(claimed.get(2).lease(), flags)).isFalse();
    Simulation lost = repository.findSimulation(claimed.get(2).lease().simulationId()).orElseThrow();
    assertThat(lost.status()).isEqualTo(SimulationStatus.RUNNING);
    assertThat(lost.flags()).isEmpty();
  }

  @Test
  void forEachSimulationLetsTheActionWriteToTheRepository() {
    TestBatches.pending("b1", 1_200).storeIn(repository);
    List<ClaimedSimulation> claimed = repository.claim("b1", "w1", 1_200, Duration.ofMinutes(1));
    List<Integer> seen = new ArrayList<>();

    repository.forEachSimulation("b1", simulation -> {
      seen.add(simulation.sequenceNumber());
      assertThat(repository.finish(claimed.get(simulation.sequenceNumber() - 1).lease(),
          SimulationStatus.COMPLETED, null)).isTrue();
    });

    assertThat(seen).hasSize(1_200).isSorted();
    assertThat(repository.findBatch("b1").orElseThrow().counts()).isEqualTo(new BatchCounts(0, 0, 1_200, 0, 0));
  }

  @Test
  void forEachSimulationStopsWhenTheBatchIsDeletedMeanwhile() {
    TestBatches.pending("b1", 2_000).storeIn(repository);
    List<Simulation> seen = new ArrayList<>();

    repository.forEachSimulation("b1", simulation -> {
      seen.add(simulation);
      repository.deleteBatch("b1");
    });

    assertThat(seen).hasSize(InMemoryRepository.PAGE_SIZE);
  }

  @Test
  void claimsEveryOneOfAHundredThousandSimulationsOnceInSequenceOrder() {
    int size = 100_000;
    TestBatches.pending("big", size).storeIn(repository);

    int claimed = 0;
    boolean inOrder = true;
    for (List<ClaimedSimulation> page = repository.claim("big", "w1", 1_000, Duration.ofMinutes(1));
        !page.isEmpty();
        page = repository.claim("big", "w1", 1_000, Duration.ofMinutes(1))) {
      for (ClaimedSimulation c : page) {
        inOrder &= c.simulation().sequenceNumber() == ++claimed;
      }
    }

    assertThat(inOrder).as("claimed in sequence order").isTrue();
    assertThat(claimed).isEqualTo(size);
    assertThat(repository.findBatch("big").orElseThrow().counts()).isEqualTo(new BatchCounts(0, size, 0, 0, 0));
  }

  @Test
  void aSimulationStoredAsRunningWithoutALeaseCanBeClaimed() {
    TestBatch tb = TestBatches.pending("b1", 1);
    Simulation s = tb.simulation(1);
    Simulation running = new Simulation(s.id(), s.batchId(), 1, s.entityIds(), s.speakingOrder(),
        SimulationStatus.RUNNING, s.turns(), null, 1, s.usage(), null, s.finalTurnNumber(), s.createdAt(),
        START, null);
    repository.createBatch(tb.batch(), List.of(running).iterator());

    List<ClaimedSimulation> claimed = repository.claim("b1", "w1", 1, Duration.ofMinutes(1));

    assertThat(claimed).hasSize(1);
    assertThat(claimed.get(0).simulation().attempts()).isEqualTo(2);
  }

  @Test
  void createBatchRejectsSimulationsOfAnotherBatchOrWithRepeatedSequenceNumbers() {
    TestBatch tb = TestBatches.pending("b1", 2);
    TestBatch other = TestBatches.pending("b2", 1);
    Simulation second = tb.simulation(2);
    Simulation repeated = new Simulation(second.id(), "b1", 1, second.entityIds(), second.speakingOrder(),
        second.status(), second.turns(), null, 0, second.usage(), null, second.finalTurnNumber(),
        second.createdAt(), null, null);

    assertThatThrownBy(() -> repository.createBatch(tb.batch(), List.of(tb.simulation(1), other.simulation(1)).iterator()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to batch b2");
    assertThatThrownBy(() -> repository.createBatch(tb.batch(), List.of(tb.simulation(1), repeated).iterator()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequence number 1");
    assertThat(repository.findBatch("b1")).isEmpty();
  }

  @Test
  void badArgumentsAreRejectedWithTheirName() {
    TestBatches.pending("b1", 1).storeIn(repository);

    assertThatThrownBy(() -> repository.claim("b1", "w1", 0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
    assertThatThrownBy(() -> repository.claim("b1", "w1", 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration");
    assertThatThrownBy(() -> repository.listBatches(-1, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
    assertThatThrownBy(() -> repository.listBatches(0, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }
}
