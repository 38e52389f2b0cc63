package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.InteractionType;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.inmemory.SimulatedLlm.FailureKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class CohortTest {
  /** How long a wait for a running batch may take on a loaded machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final List<Cohort> opened = new ArrayList<>();
  private final CountingRepository repository = new CountingRepository(InMemoryRepository.create());

  @AfterEach
  void closeAll() {
    opened.forEach(Cohort::close);
  }

  private Cohort cohort(LlmPort llm, int maxInFlight) {
    Cohort cohort = Cohort.builder().llm(llm).repository(repository).maxInFlight(maxInFlight)
        .sleeper(d -> {}).pollInterval(Duration.ofMillis(20)).build();
    opened.add(cohort);
    return cohort;
  }

  private static List<String> entities(Cohort cohort, int n) {
    List<Entity> entities = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      entities.add(new Entity("e" + i, "Person " + i, "Persona number " + i, Map.of("index", i)));
    }
    cohort.saveEntities(entities);
    return entities.stream().map(Entity::id).toList();
  }

  private static BatchRequest.Builder request(List<String> ids, int k, int n) {
    return BatchRequest.builder().name("test").context("A panel discussion about potential solutions to climate change")
        .entityIds(ids).interactionSize(k).numSimulations(n).seed(42L);
  }

  private List<Simulation> simulations(Cohort cohort, String batchId) {
    List<Simulation> all = new ArrayList<>();
    cohort.forEachSimulation(batchId, all::add);
    return all;
  }

  @Test
  void theDocumentedExampleCompletesWithTranscripts() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    Batch batch = cohort.run(request(entities(cohort, 4), 2, 3).nTurns(2).build());

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.plannedSimulations()).isEqualTo(3);
    assertThat(batch.counts().completed()).isEqualTo(3);
    assertThat(batch.finishedAt()).isNotNull();
    assertThat(batch.usage().totalTokens()).isPositive();
    List<Simulation> sims = simulations(cohort, batch.id());
    assertThat(sims).extracting(Simulation::sequenceNumber).containsExactly(1, 2, 3);
    for (Simulation s : sims) {
      assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED);
      assertThat(s.interactionType()).isEqualTo(InteractionType.DYADIC);
      assertThat(s.finalTurnNumber()).isEqualTo(2);
      assertThat(s.turns()).hasSize(2).allSatisfy(t -> assertThat(s.entityIds()).contains(t.speakerId()));
      assertThat(s.speakingOrder()).containsExactlyInAnyOrderElementsOf(s.entityIds());
      assertThat(s.content()).startsWith(s.turns().get(0).speakerName() + ": ");
      assertThat(s.attempts()).isEqualTo(1);
    }
  }

  @Test
  void everyCombinationIsPlannedInOrderWhenFewerExistThanRequested() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    Batch batch = cohort.run(request(entities(cohort, 4), 2, 10).build());
    assertThat(batch.requestedSimulations()).isEqualTo(10);
    assertThat(batch.plannedSimulations()).isEqualTo(6);
    assertThat(simulations(cohort, batch.id())).extracting(Simulation::entityIds).containsExactly(
        List.of("e1", "e2"), List.of("e1", "e3"), List.of("e1", "e4"), List.of("e2", "e3"), List.of("e2", "e4"),
        List.of("e3", "e4"));
  }

  @Test
  void replicatesRunEachCombinationAsSeparateSimulations() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    Batch batch = cohort.run(request(entities(cohort, 3), 2, 3).replicates(2).build());
    assertThat(batch.plannedSimulations()).isEqualTo(6);
    List<Simulation> sims = simulations(cohort, batch.id());
    assertThat(sims).extracting(Simulation::sequenceNumber).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(sims.get(0).entityIds()).isEqualTo(sims.get(1).entityIds());
    assertThat(sims.get(0).id()).isNotEqualTo(sims.get(1).id());
  }

  @Test
  void theSameSeedPlansTheSameGroupsAndSpeakingOrders() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    List<String> ids = entities(cohort, 12);
    Batch a = cohort.run(request(ids, 3, 20).build());
    Batch b = cohort.run(request(ids, 3, 20).build());
    assertThat(simulations(cohort, a.id())).extracting(s -> s.entityIds() + "/" + s.speakingOrder())
        .containsExactlyElementsOf(simulations(cohort, b.id()).stream().map(s -> s.entityIds() + "/" + s.speakingOrder()).toList());
    assertThat(a.seed()).isEqualTo(42L);
  }

  @Test
  void aSeedIsDrawnAndStoredWhenNoneIsGiven() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    Batch batch = cohort.run(request(entities(cohort, 4), 2, 2).seed(null).build());
    assertThat(batch.request().seed()).isNotNull();
  }

  @Test
  void roundsContinueTheTranscriptAndNumberTurnsAcrossRounds() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    Batch batch = cohort.run(request(entities(cohort, 5), 3, 2).nTurns(2).simulationRounds(3).build());
    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    for (Simulation s : simulations(cohort, batch.id())) {
      assertThat(s.turns()).extracting(Turn::turnNumber).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(s.turns()).extracting(Turn::round).containsExactly(1, 1, 2, 2, 3, 3);
      assertThat(s.finalTurnNumber()).isEqualTo(6);
      assertThat(s.interactionType()).isEqualTo(InteractionType.GROUP);
    }
  }

  @Test
  void unknownEntityIdsAreListedAndNothingIsStored() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    entities(cohort, 2);
    assertThatThrownBy(() -> cohort.createBatch(request(List.of("e1", "nope", "e2", "gone"), 2, 1).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("entity_ids: unknown entity ids: nope, gone");
    assertThat(cohort.listBatches(false)).isEmpty();
  }

  @Test
  void aPlanLargerThanTheBuildersLimitIsRefusedAndNothingIsStored() {
    Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).maxPlannedSimulations(5).build();
    opened.add(cohort);
    List<String> ids = entities(cohort, 4);

    assertThat(cohort.maxPlannedSimulations()).isEqualTo(5);
    assertThatThrownBy(() -> cohort.createBatch(request(ids, 2, 6).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("num_simulations: the batch would plan 6 simulations "
            + "(min(C(n,k), num_simulations) × replicates); at most 5 fit in one batch");
    assertThat(cohort.listBatches(false)).isEmpty();
    assertThat(cohort.run(request(ids, 2, 5).build()).plannedSimulations()).isEqualTo(5);
  }

  @Test
  void thePlanSizeLimitIsCheckedAsItIsGiven() {
    Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).build();
    opened.add(cohort);
    assertThat(cohort.maxPlannedSimulations())
        .isEqualTo(Cohort.DEFAULT_MAX_PLANNED_SIMULATIONS).isEqualTo(10_000_000L);
    assertThatThrownBy(() -> Cohort.builder().maxPlannedSimulations(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPlannedSimulations must be at least 1, was 0");
  }

  @Test
  void unknownBatchIdsAreNotFound() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    assertThatThrownBy(() -> cohort.getBatch("missing")).isInstanceOf(NotFoundException.class)
        .hasMessage("batch missing does not exist");
    assertThatThrownBy(() -> cohort.cancel("missing")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> cohort.resume("missing")).isInstanceOf(NotFoundException.class);
    assertThat(cohort.deleteBatch("missing")).isFalse();
  }

  @Test
  void tenThousandSimulationsWithTwoHundredInFlightAreEachStoredExactlyOnce() {
    SimulatedLlm llm = SimulatedLlm.builder().seed(3).latency(Duration.ofMillis(1), Duration.ofMillis(5)).build();
    Cohort cohort = cohort(llm, 200);
    Batch batch = cohort.run(request(entities(cohort, 200), 2, 10_000).build());

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.counts().completed()).isEqualTo(10_000);
    Set<Integer> sequences = new HashSet<>();
    Set<List<String>> groups = new HashSet<>();
    AtomicInteger count = new AtomicInteger();
    cohort.forEachSimulation(batch.id(), s -> {
      count.incrementAndGet();
      sequences.add(s.sequenceNumber());
      groups.add(s.entityIds());
      assertThat(s.turns()).hasSize(1);
      assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED);
    });
    assertThat(count).hasValue(10_000);
    assertThat(sequences).hasSize(10_000).contains(1, 10_000);
    assertThat(groups).hasSize(10_000);
    assertThat(repository.acceptedFinishes).hasSize(10_000).allSatisfy((id, n) -> assertThat(n).hasValue(1));
    assertThat(repository.acceptedRounds).hasSize(10_000).allSatisfy((id, n) -> assertThat(n).hasValue(1));
  }

  @Test
  void retryableFailuresAreRetriedAndEverySimulationCompletes() {
    SimulatedLlm llm = SimulatedLlm.builder().seed(5).failureRate(0.3, FailureKind.RETRYABLE).build();
    // One call at a time, so every run is the same run (see CohortWithInMemoryAdaptersTest).
    Cohort cohort = cohort(llm, 1);
    Batch batch = cohort.run(request(entities(cohort, 10), 2, 40).nTurns(2).build());
    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.counts().completed()).isEqualTo(40);
  }

  @Test
  void aBatchFatalErrorStopsTheBatchWithItsReasonAndResumeFinishesIt() {
    SimulatedLlm broken = SimulatedLlm.builder().failureRate(1.0, FailureKind.BATCH_FATAL).build();
    Cohort first = cohort(broken, 4);
    List<String> ids = entities(first, 6);
    Batch failed = first.run(request(ids, 2, 15).build());

    assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(failed.error()).isNotBlank();
    assertThat(failed.counts().failed()).isZero();
    assertThat(failed.counts().pending()).isEqualTo(15);

    Cohort second = cohort(SimulatedLlm.create(), 4);
    second.resume(failed.id());
    Batch resumed = second.await(failed.id());
    assertThat(resumed.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(resumed.error()).isNull();
    assertThat(resumed.counts().completed()).isEqualTo(15);
  }

  @Test
  void unusableAnswersFailTheirSimulationWithTheReason() {
    SimulatedLlm llm = SimulatedLlm.builder().failureRate(1.0, FailureKind.MALFORMED).build();
    Cohort cohort = cohort(llm, 4);
    Batch batch = cohort.run(request(entities(cohort, 4), 2, 3).build());
    assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(batch.error()).isNull();
    assertThat(simulations(cohort, batch.id())).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo(SimulationStatus.FAILED);
      assertThat(s.error()).startsWith("round 1: the model's answer could not be used after 3 attempts");
    });
  }

  @Test
  void retryFailedRunsTheFailedSimulationsAgainAndKeepsTheirFailures() {
    Cohort failing = cohort(SimulatedLlm.builder().failureRate(1.0, FailureKind.MALFORMED).build(), 4);
    Batch failed = failing.run(request(entities(failing, 4), 2, 3).build());
    assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(failing.resume(failed.id()).status()).as("resume runs only what is unfinished")
        .isEqualTo(BatchStatus.FAILED);
    Cohort healthy = cohort(SimulatedLlm.create(), 4);

    Batch retrying = healthy.retryFailed(failed.id());
    assertThat(retrying.status()).isNotEqualTo(BatchStatus.FAILED);
    Batch done = healthy.await(failed.id(), Duration.ofSeconds(60));

    assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(done.error()).isNull();
    assertThat(simulations(healthy, done.id())).hasSize(3).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED);
      assertThat(s.attempts()).isEqualTo(2);
      assertThat(s.attemptHistory()).singleElement().satisfies(a -> {
        assertThat(a.attempt()).isEqualTo(1);
        assertThat(a.error()).startsWith("round 1: the model's answer could not be used");
        assertThat(a.finishedAt()).isNotNull();
      });
    });
    assertThat(healthy.retryFailed(done.id()).status()).as("nothing failed: unchanged").isEqualTo(BatchStatus.COMPLETED);
  }

  @Test
  void someFailedAndSomeCompletedIsPartial() {
    SimulatedLlm llm = SimulatedLlm.builder().seed(11).failureRate(0.5, FailureKind.MALFORMED).build();
    Cohort cohort = Cohort.builder().llm(llm).repository(repository).maxReasks(0).build();
    opened.add(cohort);
    Batch batch = cohort.run(request(entities(cohort, 10), 2, 40).build());
    assertThat(batch.status()).isEqualTo(BatchStatus.PARTIAL);
    assertThat(batch.counts().completed()).isPositive();
    assertThat(batch.counts().failed()).isPositive();
    assertThat(batch.counts().completed() + batch.counts().failed()).isEqualTo(40);
  }

  @Test
  void cancelDuringARunStopsItAndResumeFinishesOnlyWhatWasLeft() throws Exception {
    SimulatedLlm slow = SimulatedLlm.builder().latency(Duration.ofMillis(20)).build();
    Cohort cohort = cohort(slow, 5);
    Batch created = cohort.createBatch(request(entities(cohort, 30), 2, 200).build());
    await().atMost(PATIENCE).until(() -> cohort.getBatch(created.id()).counts().completed() >= 10);
    Batch cancelled = cohort.cancel(created.id());

    assertThat(cancelled.status()).isEqualTo(BatchStatus.CANCELLED);
    assertThat(cancelled.counts().unfinished()).isZero();
    assertThat(cancelled.counts().cancelled()).isPositive();
    long completedBefore = cancelled.counts().completed();
    // Nothing of the stopped run may write afterwards: the counts stay as the cancel left them.
    await().during(Duration.ofMillis(100)).atMost(PATIENCE)
        .until(() -> cohort.getBatch(created.id()).counts().equals(cancelled.counts()));

    cohort.resume(created.id());
    Batch resumed = cohort.await(created.id());
    assertThat(resumed.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(resumed.counts().completed()).isEqualTo(200);
    assertThat(repository.acceptedFinishes).hasSize(200).allSatisfy((id, n) -> assertThat(n).hasValue(1));
    assertThat(completedBefore).isLessThan(200);
  }

  @Test
  void cancellingAFinishedBatchChangesNothing() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    Batch done = cohort.run(request(entities(cohort, 4), 2, 2).build());
    assertThat(cohort.cancel(done.id()).status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(cohort.resume(done.id()).status()).isEqualTo(BatchStatus.COMPLETED);
  }

  @Test
  void deleteDuringARunStopsItAndLeavesNothingBehind() throws Exception {
    SimulatedLlm slow = SimulatedLlm.builder().latency(Duration.ofMillis(20)).build();
    Cohort cohort = cohort(slow, 5);
    Batch created = cohort.createBatch(request(entities(cohort, 30), 2, 200).build());
    await().atMost(PATIENCE).until(() -> cohort.getBatch(created.id()).counts().completed() >= 5);
    assertThat(cohort.deleteBatch(created.id())).isTrue();
    // No late write of the stopped run may bring the batch back.
    await().during(Duration.ofMillis(100)).atMost(PATIENCE).until(() -> cohort.findBatch(created.id()).isEmpty());
    assertThat(cohort.listBatches(false)).isEmpty();
    assertThat(repository.delegate.findSimulation(repository.acceptedFinishes.keySet().iterator().next())).isEmpty();
  }

  @Test
  void closingGivesRunningSimulationsBackAndAnotherInstanceResumesThem() throws Exception {
    SimulatedLlm slow = SimulatedLlm.builder().latency(Duration.ofMillis(20)).build();
    Cohort first = Cohort.builder().llm(slow).repository(repository).maxInFlight(5).build();
    Batch created = first.createBatch(request(entities(first, 30), 2, 100).nTurns(2).simulationRounds(2).build());
    await().atMost(PATIENCE).until(() -> first.getBatch(created.id()).counts().completed() >= 5);
    first.close();
    Batch stopped = first.getBatch(created.id());
    assertThat(stopped.status()).isEqualTo(BatchStatus.IN_PROGRESS);
    assertThat(stopped.counts().running()).isZero();

    Cohort second = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).resumeOnStart(true).build();
    opened.add(second);
    Batch resumed = second.await(created.id());
    assertThat(resumed.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(repository.acceptedFinishes).hasSize(100).allSatisfy((id, n) -> assertThat(n).hasValue(1));
    assertThat(repository.acceptedRounds).hasSize(200).allSatisfy((id, n) -> assertThat(n).hasValue(1));
  }

  @Test
  void aStopArrivingWhileASimulationIsGivenBackCannotAbortTheRelease() throws Exception {
    CountDownLatch releasing = new CountDownLatch(1);
    CountDownLatch connectionFree = new CountDownLatch(1);
    // Like a JDBC pool waiting for a free connection: the release waits until the test frees one,
    // and an interrupt makes it give up.
    repository.beforeRelease = lease -> {
      releasing.countDown();
      try {
        if (!connectionFree.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("no connection came free");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a connection", e);
      }
    };
    SimulatedLlm broken = SimulatedLlm.builder().failureRate(1.0, FailureKind.BATCH_FATAL).build();
    Cohort cohort = cohort(broken, 1);
    Batch created = cohort.createBatch(request(entities(cohort, 4), 2, 3).build());
    assertThat(releasing.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    // close() interrupts the running simulations, among them the one being given back, and then
    // waits for them: once it waits, the stop has arrived, and the connection comes free.
    Thread closer = new Thread(cohort::close, "closer");
    closer.start();
    await().atMost(PATIENCE).until(() -> closer.getState() == Thread.State.TIMED_WAITING
        || closer.getState() == Thread.State.WAITING || !closer.isAlive());
    connectionFree.countDown();
    closer.join(PATIENCE.toMillis());
    assertThat(closer.isAlive()).as("close() returned").isFalse();

    assertThat(cohort.getBatch(created.id()).counts().running()).as("simulations left leased").isZero();
  }

  @Test
  void theProgressListenerHearsEveryEvent() {
    Map<String, AtomicInteger> events = new ConcurrentHashMap<>();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void batchStarted(Batch batch) {
        count("batchStarted");
      }

      @Override
      public void simulationStarted(Simulation simulation) {
        count("simulationStarted");
      }

      @Override
      public void simulationCompleted(Simulation simulation) {
        count("simulationCompleted");
        throw new IllegalStateException("a failing listener must not break the run");
      }

      @Override
      public void batchFinished(Batch batch) {
        count("batchFinished");
      }

      private void count(String event) {
        events.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
      }
    };
    Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).progressListener(listener).build();
    opened.add(cohort);
    Batch batch = cohort.run(request(entities(cohort, 5), 2, 10).build());
    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(events.get("batchStarted")).hasValue(1);
    assertThat(events.get("simulationStarted")).hasValue(10);
    assertThat(events.get("simulationCompleted")).hasValue(10);
    assertThat(events.get("batchFinished")).hasValue(1);
  }

  @Test
  void listingPagesNewestFirstWithOrWithoutSimulations() {
    Cohort cohort = cohort(SimulatedLlm.create(), 4);
    List<String> ids = entities(cohort, 4);
    List<String> created = IntStream.range(0, 3).mapToObj(i -> cohort.run(request(ids, 2, 2).build()).id()).toList();
    assertThat(cohort.listBatches(false)).extracting(Batch::id).containsExactly(created.get(2), created.get(1), created.get(0));
    assertThat(cohort.listBatches(1, 1, true)).singleElement()
        .satisfies(b -> assertThat(b.simulations()).hasSize(2));
    assertThat(cohort.getBatch(created.get(0), true).simulations()).hasSize(2);
    assertThat(cohort.getBatch(created.get(0)).simulations()).isEmpty();
    assertThatThrownBy(() -> cohort.listBatches(-1, 5, false)).hasMessage("offset: must not be negative, was -1");
  }
}
