package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.Simulation;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.testkit.Entities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cancel, delete and resume, called from several threads at random moments while simulations
 * finish: whatever wins, the batch ends in a consistent state (counts add up, nothing left
 * running, a resumed batch completes with every round stored once) and a deleted batch leaves
 * nothing behind, not even a write that was in flight when it was deleted.
 */
class CancellationRaceTest {
  private static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final int ROUNDS = 2;

  /** What the racing threads do to a running batch. */
  private enum Race {
    /** Two cancels at once while simulations finish. */
    CANCEL_TWICE,
    /** Cancel, resume and cancel again at random moments. */
    CANCEL_AND_RESUME,
    /** Delete while others cancel and resume. */
    DELETE_WHILE_CANCELLING_AND_RESUMING
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Store.class, names = {"IN_MEMORY", "SQLITE"})
  void cancelDeleteAndResumeRacingFinishingSimulationsLeaveAConsistentState(Store store) throws Exception {
    race(store, 20);
  }

  @Tag("reliability-long")
  @ParameterizedTest(name = "{0}, 100 iterations")
  @EnumSource(Store.class)
  void aHundredRacesPerStoreLeaveAConsistentState(Store store) throws Exception {
    race(store, 100);
  }

  private void race(Store store, int iterations) throws Exception {
    ExecutorService racers = Executors.newFixedThreadPool(3);
    try (Store.Opened opened = store.openNew(dir)) {
      RecordingRepository repository = new RecordingRepository(opened.repository());
      SimulatedLlm llm = SimulatedLlm.builder().seed(8).latency(Duration.ZERO, Duration.ofMillis(3)).build();
      try (Cohort cohort = Cohort.builder().llm(llm).repository(repository).maxInFlight(6)
          .pollInterval(Duration.ofMillis(10)).build()) {
        cohort.saveEntities(Entities.generated(8));
        for (int i = 0; i < iterations; i++) {
          Random random = new Random(1_000L + i);
          Race race = Race.values()[i % Race.values().length];
          Batch batch = cohort.createBatch(request(random));
          List<String> simulationIds = new ArrayList<>();
          cohort.forEachSimulation(batch.id(), s -> simulationIds.add(s.id()));
          // A random head start for the batch, counted in stored rounds: none, some, or all of them
          // (a round whose write failed but was committed is not counted: the batch's end also ends
          // the wait).
          long roundsBefore = repository.acceptedRoundsTotal();
          long lastRound = roundsBefore + (long) simulationIds.size() * ROUNDS;
          BooleanSupplier ended = () -> cohort.findBatch(batch.id()).map(b -> b.status().isTerminal()).orElse(true);
          awaitRounds(repository, roundsBefore + random.nextInt(simulationIds.size() * ROUNDS + 1), ended);

          runTogether(racers, random, repository, lastRound, ended, racers(cohort, batch.id(), race));

          String what = race + " in iteration " + i;
          if (race == Race.DELETE_WHILE_CANCELLING_AND_RESUMING) {
            assertNothingLeft(cohort, opened, repository, batch.id(), simulationIds, what);
          } else {
            Batch settled = cohort.await(batch.id(), PATIENCE);
            assertThat(settled.status().isTerminal()).as("%s: batch terminal, was %s", what, settled.status()).isTrue();
            StoredBatch stored = StoredBatch.read(repository, batch.id()).assertSettled();
            assertThat(stored.batch.status()).as(what).isIn(BatchStatus.CANCELLED, BatchStatus.COMPLETED);
            Batch resumed = cohort.await(cohort.resume(batch.id()).id(), PATIENCE);
            assertThat(resumed.status()).as("%s: after resume", what).isEqualTo(BatchStatus.COMPLETED);
            StoredBatch.read(repository, batch.id()).assertSettled().assertEachResultWrittenOnce(repository);
          }
        }
      }
    } finally {
      racers.shutdownNow();
    }
  }

  private static List<Callable<Object>> racers(Cohort cohort, String batchId, Race race) {
    return switch (race) {
      case CANCEL_TWICE -> List.of(() -> cohort.cancel(batchId), () -> cohort.cancel(batchId));
      case CANCEL_AND_RESUME -> List.of(() -> cohort.cancel(batchId), () -> cohort.resume(batchId),
          () -> cohort.cancel(batchId));
      case DELETE_WHILE_CANCELLING_AND_RESUMING -> List.of(() -> cohort.deleteBatch(batchId),
          () -> tolerateDeleted(() -> cohort.cancel(batchId)), () -> tolerateDeleted(() -> cohort.resume(batchId)));
    };
  }

  /**
   * Starts the calls together, each after its own random number (0 to 3) of further rounds stored,
   * and waits for all. A call stops waiting for rounds once another call has returned (the batch may
   * take no more), the batch's last round ({@code lastRound} in the store's count) is stored, or the
   * batch has {@code ended}.
   */
  private static void runTogether(ExecutorService racers, Random random, RecordingRepository repository,
      long lastRound, BooleanSupplier ended, List<Callable<Object>> calls) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger returned = new AtomicInteger();
    List<Future<Object>> results = new ArrayList<>();
    for (Callable<Object> call : calls) {
      int rounds = random.nextInt(4);
      results.add(racers.submit(() -> {
        assertThat(start.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("start signal").isTrue();
        // Each call's own moment, counted in rounds the batch stores: the jitter is the race under test.
        awaitRounds(repository, Math.min(lastRound, repository.acceptedRoundsTotal() + rounds),
            () -> returned.get() > 0 || ended.getAsBoolean());
        try {
          return call.call();
        } finally {
          returned.incrementAndGet();
        }
      }));
    }
    start.countDown();
    for (Future<Object> result : results) {
      try {
        result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new AssertionError("a racing call failed", e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("a racing call did not return within " + PATIENCE, e);
      }
    }
  }

  /** Waits until the store has accepted {@code rounds} round writes in all, or {@code stopWaiting} says so. */
  private static void awaitRounds(RecordingRepository repository, long rounds, BooleanSupplier stopWaiting) {
    await("round " + rounds + " to be stored").atMost(PATIENCE).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1))
        .until(() -> repository.acceptedRoundsTotal() >= rounds || stopWaiting.getAsBoolean());
  }

  /** A call on a batch that another thread may have deleted: not finding it is a fair answer. */
  private static Object tolerateDeleted(Callable<Object> call) throws Exception {
    try {
      return call.call();
    } catch (NotFoundException e) {
      return "deleted";
    }
  }

  private static void assertNothingLeft(Cohort cohort, Store.Opened opened, RecordingRepository repository,
      String batchId, List<String> simulationIds, String what) {
    assertGone(cohort, opened, repository, batchId, simulationIds, what);
    // And it stays gone while writes that were in flight at the delete land (they must be refused).
    await(what + ": the batch to stay gone").during(Duration.ofMillis(30)).atMost(PATIENCE)
        .untilAsserted(() -> assertGone(cohort, opened, repository, batchId, simulationIds, what));
    assertThat(repository.writesAfterDelete()).as("%s: writes accepted after the delete", what).isZero();
    assertThat(cohort.listBatches(false)).extracting(Batch::status).as(what)
        .doesNotContain(BatchStatus.IN_PROGRESS, BatchStatus.PENDING);
  }

  private static void assertGone(Cohort cohort, Store.Opened opened, RecordingRepository repository,
      String batchId, List<String> simulationIds, String what) {
    assertThat(cohort.findBatch(batchId)).as("%s: batch gone", what).isEmpty();
    for (String id : simulationIds) {
      assertThat(repository.findSimulation(id)).as("%s: simulation %s gone", what, id).isEmpty();
    }
    List<Simulation> left = new ArrayList<>();
    repository.forEachSimulation(batchId, left::add);
    assertThat(left).as(what).isEmpty();
    if (opened.url().startsWith("jdbc:")) {
      assertThat(Store.count(opened.url(),
          "SELECT COUNT(*) FROM simulation_rounds r LEFT JOIN simulations s ON s.id = r.simulation_id"
              + " WHERE s.id IS NULL")).as("%s: rounds without their simulation", what).isZero();
    }
  }

  private static BatchRequest request(Random random) {
    return BatchRequest.builder()
        .name("race")
        .context("Neighbours argue about a shared hedge.")
        .entityIds(Entities.generated(8).stream().map(e -> e.id()).toList())
        .interactionSize(2)
        .numSimulations(10 + random.nextInt(18))
        .nTurns(2)
        .simulationRounds(ROUNDS)
        .seed(random.nextLong())
        .build();
  }

}
