package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.LlmPort;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.reliability.ChaosLlm.Fault;
import dev.cohort.testkit.Entities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model that times out, rate-limits in bursts, fails with 5xx, and answers with malformed,
 * truncated, wrongly attributed or repeated turns, on 1 %, 10 % and 50 % of calls: every
 * simulation still ends completed, or failed with its reason; none is left running; the counts
 * add up; and no round is stored twice.
 */
class ModelFaultTest {
  private static final Duration PATIENCE = Duration.ofMinutes(3);
  private static final String ERROR_SHAPE =
      "round \\d+: (gave up after \\d+ attempts: .+|the model's answer could not be used after \\d+ attempts: .+)";

  @TempDir Path dir;

  @ParameterizedTest(name = "{1} of calls misbehave, {0}")
  @MethodSource("shortRuns")
  void everySimulationEndsCompletedOrFailedWithItsReason(Store store, double rate) {
    runChaos(store, rate, 150, 16);
  }

  @Tag("reliability-long")
  @ParameterizedTest(name = "{1} of calls misbehave, {0}, 3,000 simulations")
  @MethodSource("longRuns")
  void everySimulationOfALargeBatchEndsCompletedOrFailedWithItsReason(Store store, double rate) {
    runChaos(store, rate, 3_000, 64);
  }

  static Stream<Arguments> shortRuns() {
    return Stream.of(Arguments.of(Store.IN_MEMORY, 0.01), Arguments.of(Store.IN_MEMORY, 0.10),
        Arguments.of(Store.IN_MEMORY, 0.50), Arguments.of(Store.SQLITE, 0.10), Arguments.of(Store.SQLITE, 0.50));
  }

  static Stream<Arguments> longRuns() {
    return Stream.of(Store.values()).flatMap(store -> DoubleStream.of(0.01, 0.10, 0.50)
        .mapToObj(rate -> Arguments.of(store, rate)));
  }

  @Test
  void aBatchFatalErrorMidBatchFailsTheBatchWithItsReasonAndLeavesNothingRunning() {
    AtomicLong calls = new AtomicLong();
    LlmPort honest = SimulatedLlm.create();
    LlmPort revoked = request -> {
      if (calls.incrementAndGet() > 40) {
        throw new BatchFatalLlmException("chaos model answered HTTP 401: the API key was revoked");
      }
      return honest.chat(request);
    };
    RecordingRepository repository = new RecordingRepository(InMemoryRepository.create());
    NoWaitSleeper clock = new NoWaitSleeper();
    try (Cohort cohort = Cohort.builder().llm(revoked).repository(repository).maxInFlight(8)
        .sleeper(clock).ticker(clock).build()) {
      cohort.saveEntities(Entities.generated(12));

      Batch batch = awaitEnd(cohort, cohort.createBatch(request(12, 100, 9)).id());

      assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
      assertThat(batch.error()).contains("API key was revoked");
      StoredBatch stored = StoredBatch.read(repository, batch.id());
      assertThat(stored.withStatus(SimulationStatus.RUNNING)).isEmpty();
      assertThat(stored.withStatus(SimulationStatus.COMPLETED)).isNotEmpty();
      stored.assertEachResultWrittenOnce(repository);
      for (Simulation s : stored.simulations) {
        StoredBatch.assertTurnsGapFree(s, 2);
      }
    }
  }

  /**
   * Waits for the batch's end within {@link #PATIENCE} of real time: the cohort's own clock is the
   * sleeper's, which the skipped waits move ahead, so its deadline would not be real time.
   */
  private static Batch awaitEnd(Cohort cohort, String batchId) {
    return assertTimeoutPreemptively(PATIENCE, () -> cohort.await(batchId, Duration.ofDays(365)),
        () -> "batch " + batchId + " did not end within " + PATIENCE);
  }

  private void runChaos(Store store, double rate, int simulations, int inFlight) {
    // The slow calls' latency is counted, not waited: the runner sets no deadline a 30 ms answer
    // could miss, and the order in which calls finish is left to the scheduler.
    ChaosLlm llm = new ChaosLlm(SimulatedLlm.builder().seed(3).build(), rate, 41, new NoWaitSleeper());
    NoWaitSleeper sleeper = new NoWaitSleeper();
    CountingListener listener = new CountingListener();
    try (Store.Opened opened = store.openNew(dir)) {
      RecordingRepository repository = new RecordingRepository(opened.repository());
      runChaos(repository, llm, sleeper, listener, rate, simulations, inFlight);
    }
  }

  private static void runChaos(RecordingRepository repository, ChaosLlm llm, NoWaitSleeper sleeper,
      CountingListener listener, double rate, int simulations, int inFlight) {
    try (Cohort cohort = Cohort.builder().llm(llm).repository(repository).maxInFlight(inFlight)
        .sleeper(sleeper).ticker(sleeper).progressListener(listener).build()) {
      cohort.saveEntities(Entities.generated(30));

      Batch batch = awaitEnd(cohort, cohort.createBatch(request(30, simulations, 5)).id());

      StoredBatch stored = StoredBatch.read(repository, batch.id()).assertSettled().assertEachResultWrittenOnce(repository);
      assertThat(batch.status()).isIn(BatchStatus.COMPLETED, BatchStatus.PARTIAL, BatchStatus.FAILED);
      assertThat(stored.batch.counts().completed() + stored.batch.counts().failed()).isEqualTo(simulations);
      for (Simulation failed : stored.withStatus(SimulationStatus.FAILED)) {
        assertThat(failed.error()).as("reason of simulation %d", failed.sequenceNumber()).matches(ERROR_SHAPE);
      }
      assertThat(listener.completed()).isEqualTo(stored.batch.counts().completed());
      assertThat(listener.failed()).isEqualTo(stored.batch.counts().failed());
      assertThat(listener.reportedTwice()).isZero();
      assertThat(listener.batchesFinished()).isEqualTo(1);

      assertThat(llm.injectedTotal()).as("faults injected").isPositive();
      if (rate >= 0.1) {
        for (Fault fault : Fault.values()) {
          assertThat(llm.injected(fault)).as("calls that misbehaved with %s", fault).isPositive();
        }
        assertThat(sleeper.requestedMillis()).as("retry-after of the rate limits honoured")
            .isGreaterThanOrEqualTo(ChaosLlm.RETRY_AFTER.toMillis());
        assertThat(stored.batch.counts().completed()).as("simulations that got through").isPositive();
      } else {
        assertThat(stored.batch.counts().failed()).as("failures at a 1 %% fault rate").isLessThanOrEqualTo(simulations / 20);
      }
    }
  }

  private static BatchRequest request(int pool, int simulations, long seed) {
    return BatchRequest.builder()
        .name("chaos")
        .context("A town hall meeting about a new bus line.")
        .entityIds(Entities.generated(pool).stream().map(e -> e.id()).toList())
        .interactionSize(3)
        .numSimulations(simulations)
        .nTurns(2)
        .simulationRounds(3)
        .seed(seed)
        .build();
  }
}
