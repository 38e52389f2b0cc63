package dev.cohort.testkit;

import static dev.cohort.core.port.SpendReservation.LEASE_LOST;
import static dev.cohort.core.port.SpendReservation.OVER_BUDGET;
import static dev.cohort.core.port.SpendReservation.RESERVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.OutcomeExtraction;
import dev.cohort.core.batch.Extension;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.BatchSpend;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.BatchSeal;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.port.SubmissionIntent;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.HeldLease;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.TurnResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link RepositoryPort} contract as tests. An adapter's test class extends this, returns a
 * fresh, empty store from {@link #createRepository()}, and passes when it keeps every promise of
 * the port's Javadoc:
 *
 * <pre>{@code
 * class InMemoryRepositoryTest extends RepositoryContractTest {
 *   @Override
 *   protected RepositoryPort createRepository() {
 *     return InMemoryRepository.create();
 *   }
 * }
 * }</pre>
 *
 * <p>The hooks ({@link #closeRepository}, {@link #concurrentClaimers()}, {@link
 * #concurrentSimulations()}, {@link #largeBatchSize()}, {@link #leaseExpiryWait()}, {@link
 * #clockTolerance()}) have defaults that suit every adapter; override one only with a reason. The
 * tests store timestamps with millisecond precision and expect them back unchanged; timestamps the
 * store sets itself must lie within {@link #clockTolerance()} of the test's run.
 */
public abstract class RepositoryContractTest {
  private static final Duration LONG_LEASE = Duration.ofMinutes(10);
  private static final Duration SHORT_LEASE = Duration.ofMillis(1);

  private @Nullable RepositoryPort repository;
  private Instant testStart = Instant.EPOCH;
  /** Probes of the store's clock made so far by this test, for their batch ids. */
  private int leaseProbes;

  /** For subclasses. */
  protected RepositoryContractTest() {}

  /** A new, empty store. Called before each test; the test is its only user. */
  protected abstract RepositoryPort createRepository();

  /**
   * Releases the store after each test. The default closes it when it is {@link AutoCloseable}.
   *
   * @throws Exception when closing fails, which fails the test
   */
  protected void closeRepository(RepositoryPort repository) throws Exception {
    if (repository instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  /** How many threads claim at once in the concurrency test; default 8. */
  protected int concurrentClaimers() {
    return 8;
  }

  /** How many simulations the concurrent claimers share; default 2,000. */
  protected int concurrentSimulations() {
    return 2_000;
  }

  /** How many simulations the streaming test stores and reads back; default 20,000. */
  protected int largeBatchSize() {
    return 20_000;
  }

  /**
   * The longest tests wait for a 1 ms lease to expire by the store's clock (they stop waiting as
   * soon as it has); default 30 s.
   */
  protected Duration leaseExpiryWait() {
    return Duration.ofSeconds(30);
  }

  /** How far a timestamp the store sets may lie outside the test's run; default 5 s. */
  protected Duration clockTolerance() {
    return Duration.ofSeconds(5);
  }

  /** The store of the running test. */
  protected final RepositoryPort repository() {
    RepositoryPort current = repository;
    if (current == null) {
      throw new IllegalStateException("the repository exists only while a test runs");
    }
    return current;
  }

  @BeforeEach
  final void createRepositoryForTest() {
    testStart = Instant.now();
    repository = createRepository();
  }

  @AfterEach
  final void closeRepositoryAfterTest() throws Exception {
    RepositoryPort current = repository;
    repository = null;
    if (current != null) {
      closeRepository(current);
    }
  }

  // ---- entities ----

  @Test
  void savedEntitiesAreFoundByIdAndUnknownIdsAreNot() {
    repository().saveEntities(List.of(Entities.ADA, Entities.EMIL));

    assertThat(repository().findEntity(Entities.ADA.id())).contains(Entities.ADA);
    assertThat(repository().findEntity(Entities.EMIL.id())).contains(Entities.EMIL);
    assertThat(repository().findEntity("nobody")).isEmpty();
  }

  @Test
  void saveEntitiesReplacesAStoredEntityWithTheSameId() {
    repository().saveEntities(List.of(Entities.ADA));
    Entity changed = new Entity(Entities.ADA.id(), "Ada O.", "Moved to the coast.", Map.of("age", 68));

    repository().saveEntities(List.of(changed));

    assertThat(repository().findEntity(Entities.ADA.id())).contains(changed);
    assertThat(repository().listEntities()).containsExactly(changed);
  }

  @Test
  void findEntitiesKeepsTheOrderOfTheIdsAndSkipsUnknownOnes() {
    repository().saveEntities(Entities.sample());

    List<Entity> found = repository().findEntities(
        List.of(Entities.DEVRAJ.id(), "unknown", Entities.ADA.id(), Entities.CHIARA.id()));

    assertThat(found).containsExactly(Entities.DEVRAJ, Entities.ADA, Entities.CHIARA);
    assertThat(repository().findEntities(List.of())).isEmpty();
  }

  @Test
  void listEntitiesIsOrderedById() {
    List<Entity> reversed = new ArrayList<>(Entities.sample());
    Collections.reverse(reversed);
    repository().saveEntities(reversed);

    assertThat(repository().listEntities()).containsExactlyElementsOf(Entities.sample());
  }

  @Test
  void deleteEntityRemovesItAndSaysWhetherItExisted() {
    repository().saveEntities(List.of(Entities.ADA, Entities.BORIS));

    assertThat(repository().deleteEntity(Entities.ADA.id())).isTrue();
    assertThat(repository().deleteEntity(Entities.ADA.id())).isFalse();
    assertThat(repository().findEntity(Entities.ADA.id())).isEmpty();
    assertThat(repository().listEntities()).containsExactly(Entities.BORIS);
  }

  @Test
  void batchKeepsItsSnapshotOfADeletedEntity() {
    repository().saveEntities(Entities.sample());
    store(TestBatches.pending("b1", 1));

    repository().deleteEntity(Entities.ADA.id());

    assertThat(batch("b1").entities()).containsExactlyElementsOf(Entities.sample());
  }

  // ---- batches ----

  @Test
  void createdBatchIsFoundWithItsFieldsAndItsSimulations() {
    TestBatch stored = store(TestBatches.pending("b1", 3));

    Batch found = batch("b1");

    Batch expected = new Batch("b1", BatchStatus.PENDING, stored.batch().request(), 3, 3,
        Entities.sample(), TestBatches.DEFAULT_CREATED_AT, null, null, null,
        new BatchCounts(3, 0, 0, 0, 0), TokenUsage.ZERO, List.of(), 0.0);
    assertThat(found).isEqualTo(expected);
    for (Simulation simulation : stored.simulations()) {
      assertThat(repository().findSimulation(simulation.id())).contains(simulation);
    }
    assertThat(repository().findSimulation("no-such-simulation")).isEmpty();
  }

  @Test
  void appendSimulationsGrowsAPublishedBatchWithItsNewRequestAndTotals() {
    TestBatch stored = store(TestBatches.pending("b1", 2));
    List<Simulation> more = TestBatches.pending("b1", 4).simulations().subList(2, 4);
    BatchRequest grown = stored.batch().request().toBuilder().extensions(List.of(new Extension(2, 2, 3))).build();

    repository().appendSimulations("b1", grown, 4, 4, more.iterator());

    Batch found = batch("b1");
    assertThat(found.request()).isEqualTo(grown);
    assertThat(found.request().extensions()).containsExactly(new Extension(2, 2, 3));
    assertThat(found.requestedSimulations()).isEqualTo(4);
    assertThat(found.plannedSimulations()).isEqualTo(4);
    assertThat(found.counts().pending()).isEqualTo(4);
    List<Integer> sequences = new ArrayList<>();
    repository().forEachSimulation("b1", s -> sequences.add(s.sequenceNumber()));
    assertThat(sequences).containsExactly(1, 2, 3, 4);
    assertThat(repository().findSimulation(more.get(1).id())).contains(more.get(1));
  }

  @Test
  void appendSimulationsChangesNothingWhenASimulationClashesOrTheBatchIsUnknown() {
    TestBatch stored = store(TestBatches.pending("b1", 2));
    BatchRequest grown = stored.batch().request().toBuilder().extensions(List.of(new Extension(1, 1, 2))).build();
    Simulation clash = TestBatches.builder("b1").simulationIdPrefix("other").simulations(2).build().simulation(2);

    assertThatThrownBy(() -> repository().appendSimulations("b1", grown, 3, 3, List.of(clash).iterator()))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> repository().appendSimulations("nope", grown, 3, 3, List.<Simulation>of().iterator()))
        .isInstanceOf(NotFoundException.class);

    Batch found = batch("b1");
    assertThat(found.request().extensions()).isEmpty();
    assertThat(found.counts().total()).isEqualTo(2);
    assertThat(found.plannedSimulations()).isEqualTo(2);
  }

  @Test
  void createBatchRejectsAnExistingBatchIdAndStoresNothing() {
    store(TestBatches.pending("b1", 2));
    TestBatch again = TestBatches.builder("b1").simulationIdPrefix("other").simulations(5).build();

    assertThatThrownBy(() -> repository().createBatch(again.batch(), again.simulations().iterator()))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(batch("b1").counts().total()).isEqualTo(2);
    assertThat(repository().findSimulation(again.simulationId(1))).isEmpty();
  }

  @Test
  void createBatchStoresNothingWhenOneSimulationCannotBeStored() {
    TestBatch first = store(TestBatches.pending("b1", 2));
    TestBatch second = TestBatches.pending("b2", 3);
    List<Simulation> clashing = new ArrayList<>(second.simulations());
    clashing.set(2, withId(clashing.get(2), first.simulationId(1)));

    assertThatThrownBy(() -> repository().createBatch(second.batch(), clashing.iterator()))
        .isInstanceOf(RuntimeException.class);

    assertThat(repository().findBatch("b2")).isEmpty();
    assertThat(repository().findSimulation(second.simulationId(1))).isEmpty();
    assertThat(repository().findSimulation(second.simulationId(2))).isEmpty();
    assertThat(repository().findSimulation(first.simulationId(1))).contains(first.simulation(1));
    assertThat(batch("b1").counts().total()).isEqualTo(2);
  }

  @Test
  void createBatchIgnoresTheCountsAndUsageItIsGiven() {
    TestBatch built = TestBatches.pending("b1", 2);
    Batch b = built.batch();
    Batch withBogusTotals = new Batch(b.id(), b.status(), b.request(), b.requestedSimulations(),
        b.plannedSimulations(), b.entities(), b.createdAt(), null, null, null,
        new BatchCounts(9, 9, 9, 9, 9), new TokenUsage(100, 100, 100), List.of());

    repository().createBatch(withBogusTotals, built.simulations().iterator());

    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(2, 0, 0, 0, 0));
    assertThat(batch("b1").usage()).isEqualTo(TokenUsage.ZERO);
  }

  /** More than two chunks of {@link RepositoryPort#CREATE_CHUNK}, so creation spans several writes. */
  private static final int STREAMED = 2 * RepositoryPort.CREATE_CHUNK + 500;

  @Test
  void aBatchBeingCreatedIsInvisibleToReadsAndWorkersUntilItsLastSimulationIsStored() {
    TestBatch tb = TestBatches.pending("b1", STREAMED);
    AtomicInteger hookRuns = new AtomicInteger();
    Iterator<Simulation> source = new HookedSource(tb.simulations(), STREAMED - 10, () -> {
      // Two chunks are stored by now, but the batch is not published.
      assertThat(repository().findBatch("b1")).isEmpty();
      assertThat(ids(repository().listBatches(0, 10))).doesNotContain("b1");
      assertThat(repository().findBatchIds(EnumSet.allOf(BatchStatus.class))).doesNotContain("b1");
      assertThat(repository().claim("b1", "w1", 5, LONG_LEASE)).isEmpty();
      assertThat(repository().findSimulation(tb.simulationId(1))).isEmpty();
      List<Simulation> streamed = new ArrayList<>();
      repository().forEachSimulation("b1", streamed::add);
      assertThat(streamed).isEmpty();
      assertThat(repository().transitionBatch("b1", EnumSet.allOf(BatchStatus.class), BatchStatus.CANCELLED, null))
          .isFalse();
      assertThat(repository().cancelUnfinished("b1")).isZero();
      assertThat(repository().deleteBatch("b1")).isFalse();
      hookRuns.incrementAndGet();
    });

    repository().createBatch(tb.batch(), source);

    assertThat(hookRuns).as("the source's hook ran").hasValue(1);
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(STREAMED, 0, 0, 0, 0));
    assertThat(repository().findBatchIds(EnumSet.of(BatchStatus.PENDING))).containsExactly("b1");
    assertThat(sequences(repository().claim("b1", "w1", 3, LONG_LEASE))).containsExactly(1, 2, 3);
    assertThat(repository().findSimulation(tb.simulationId(STREAMED))).contains(tb.simulation(STREAMED));
  }

  @Test
  void aStoreFailureInALaterChunkLeavesNoTraceOfTheBatch() {
    TestBatch first = store(TestBatches.pending("b1", 2));
    TestBatch second = TestBatches.pending("b2", STREAMED);
    List<Simulation> clashing = new ArrayList<>(second.simulations());
    // In the third chunk: the first two are already stored when the store refuses this one.
    int bad = 2 * RepositoryPort.CREATE_CHUNK + 100;
    clashing.set(bad - 1, withId(clashing.get(bad - 1), first.simulationId(1)));

    assertThatThrownBy(() -> repository().createBatch(second.batch(), clashing.iterator()))
        .isInstanceOf(RuntimeException.class);

    assertNoTraceOf(second);
    assertThat(repository().findSimulation(first.simulationId(1))).contains(first.simulation(1));
    assertThat(batch("b1").counts().total()).isEqualTo(2);
    // Nothing was left to clean up, and the id is free again.
    assertThat(repository().deleteUnpublishedBatches(Instant.now().plus(Duration.ofDays(1)))).isEmpty();
    repository().createBatch(second.batch(), second.simulations().iterator());
    assertThat(batch("b2").counts().total()).isEqualTo(STREAMED);
  }

  @Test
  void aSourceThatFailsMidwayLeavesNoTraceAndItsExceptionReachesTheCaller() {
    TestBatch tb = TestBatches.pending("b1", STREAMED);
    IllegalStateException failure = new IllegalStateException("the planner failed");
    Iterator<Simulation> source = new HookedSource(tb.simulations(), RepositoryPort.CREATE_CHUNK + 300, () -> {
      throw failure;
    });

    assertThatThrownBy(() -> repository().createBatch(tb.batch(), source)).isSameAs(failure);

    assertNoTraceOf(tb);
  }

  @Test
  void deleteUnpublishedBatchesRemovesOnlyUnfinishedCreationsOlderThanTheCutOff() throws Exception {
    TestBatch published = store(TestBatches.pending("b1", 3));
    TestBatch stuck = TestBatches.pending("b2", STREAMED);
    CountDownLatch midway = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    // A creation that stops midway, as a process that died while creating would leave it.
    Iterator<Simulation> source = new HookedSource(stuck.simulations(), RepositoryPort.CREATE_CHUNK + 10, () -> {
      midway.countDown();
      try {
        if (!resume.await(2, TimeUnit.MINUTES)) {
          throw new IllegalStateException("the test never let the creation go on");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
    ExecutorService creator = Executors.newSingleThreadExecutor();
    try {
      Future<?> creation = creator.submit(() -> repository().createBatch(stuck.batch(), source));
      assertThat(midway.await(2, TimeUnit.MINUTES)).isTrue();

      Instant createdAt = stuck.batch().createdAt();
      assertThat(repository().deleteUnpublishedBatches(createdAt)).as("not older than the cut-off").isEmpty();
      assertThat(repository().deleteUnpublishedBatches(createdAt.plusMillis(1))).containsExactly("b2");
      assertThat(repository().deleteUnpublishedBatches(createdAt.plusMillis(1))).isEmpty();
      resume.countDown();

      // The creation finds its batch gone and fails instead of publishing a half batch.
      assertThatThrownBy(() -> creation.get(2, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class);
    } finally {
      resume.countDown();
      creator.shutdownNow();
    }
    assertNoTraceOf(stuck);
    assertThat(batch("b1").counts().total()).isEqualTo(3);
    assertThat(repository().findSimulation(published.simulationId(3))).contains(published.simulation(3));
  }

  private void assertNoTraceOf(TestBatch tb) {
    assertThat(repository().findBatch(tb.id())).isEmpty();
    assertThat(ids(repository().listBatches(0, 100))).doesNotContain(tb.id());
    assertThat(repository().claim(tb.id(), "w1", 5, LONG_LEASE)).isEmpty();
    for (int sequence : List.of(1, RepositoryPort.CREATE_CHUNK + 1, tb.simulations().size())) {
      assertThat(repository().findSimulation(tb.simulationId(sequence))).isEmpty();
    }
  }

  /** Hands out {@code simulations} and runs {@code hook} once, just before handing out the one at index {@code at}. */
  private static final class HookedSource implements Iterator<Simulation> {
    private final List<Simulation> simulations;
    private final int at;
    private final Runnable hook;
    private int next;

    HookedSource(List<Simulation> simulations, int at, Runnable hook) {
      this.simulations = simulations;
      this.at = at;
      this.hook = hook;
    }

    @Override
    public boolean hasNext() {
      return next < simulations.size();
    }

    @Override
    public Simulation next() {
      if (next == at) {
        hook.run();
      }
      return simulations.get(next++);
    }
  }

  @Test
  void findBatchCountsSimulationsByStatusAndSumsTheirUsage() {
    TestBatch tb = store(TestBatches.pending("b1", 6));
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 4, LONG_LEASE);
    RoundResult first = TestBatches.round(tb.simulation(1), 1, 2);
    RoundResult second = TestBatches.round(tb.simulation(2), 1, 3);
    assertThat(repository().recordRound(claimed.get(0).lease(), first)).isTrue();
    assertThat(repository().recordRound(claimed.get(1).lease(), second)).isTrue();
    assertThat(repository().finish(claimed.get(0).lease(), SimulationStatus.COMPLETED, null)).isTrue();
    assertThat(repository().finish(claimed.get(1).lease(), SimulationStatus.FAILED, "boom")).isTrue();
    assertThat(repository().release(claimed.get(3).lease())).isTrue();

    Batch found = batch("b1");

    assertThat(found.counts()).isEqualTo(new BatchCounts(3, 1, 1, 1, 0));
    assertThat(found.usage()).isEqualTo(first.usage().plus(second.usage()));
    assertThat(found.simulations()).isEmpty();

    repository().cancelUnfinished("b1");

    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(0, 0, 1, 1, 4));
  }

  @Test
  void findBatchReturnsEmptyForAnUnknownId() {
    assertThat(repository().findBatch("no-such-batch")).isEmpty();
  }

  @Test
  void listBatchesIsNewestFirstAndHonoursOffsetAndLimit() {
    Instant t = TestBatches.DEFAULT_CREATED_AT;
    store(TestBatches.builder("b-middle").createdAt(t.plusSeconds(60)).simulations(2).build());
    store(TestBatches.builder("b-newest").createdAt(t.plusSeconds(120)).simulations(3).build());
    store(TestBatches.builder("b-oldest").createdAt(t).simulations(1).build());

    assertThat(ids(repository().listBatches(0, 10))).containsExactly("b-newest", "b-middle", "b-oldest");
    assertThat(ids(repository().listBatches(1, 1))).containsExactly("b-middle");
    assertThat(ids(repository().listBatches(2, 5))).containsExactly("b-oldest");
    assertThat(repository().listBatches(3, 5)).isEmpty();
    assertThat(repository().listBatches(0, 0)).isEmpty();
    Batch newest = repository().listBatches(0, 1).get(0);
    assertThat(newest.counts()).isEqualTo(new BatchCounts(3, 0, 0, 0, 0));
    assertThat(newest.simulations()).isEmpty();
  }

  @Test
  void findBatchIdsReturnsTheBatchesInTheGivenStatusesOldestFirst() {
    Instant t = TestBatches.DEFAULT_CREATED_AT;
    store(TestBatches.builder("b3").createdAt(t.plusSeconds(3)).status(BatchStatus.PENDING).build());
    store(TestBatches.builder("b1").createdAt(t.plusSeconds(1)).status(BatchStatus.PENDING).build());
    store(TestBatches.builder("b4").createdAt(t.plusSeconds(4)).status(BatchStatus.COMPLETED).build());
    store(TestBatches.builder("b2").createdAt(t.plusSeconds(2)).status(BatchStatus.IN_PROGRESS).build());

    assertThat(repository().findBatchIds(EnumSet.of(BatchStatus.PENDING, BatchStatus.IN_PROGRESS)))
        .containsExactly("b1", "b2", "b3");
    assertThat(repository().findBatchIds(Set.of(BatchStatus.COMPLETED))).containsExactly("b4");
    assertThat(repository().findBatchIds(Set.of(BatchStatus.CANCELLED))).isEmpty();
    assertThat(repository().findBatchIds(EnumSet.noneOf(BatchStatus.class))).isEmpty();
  }

  @Test
  void transitionBatchMovesOnlyFromTheGivenStatuses() {
    store(TestBatches.pending("b1", 1));

    assertThat(repository().transitionBatch("b1", Set.of(BatchStatus.IN_PROGRESS), BatchStatus.COMPLETED, null))
        .isFalse();
    assertThat(batch("b1").status()).isEqualTo(BatchStatus.PENDING);

    assertThat(repository().transitionBatch(
        "b1", EnumSet.of(BatchStatus.PENDING, BatchStatus.CANCELLED), BatchStatus.IN_PROGRESS, null)).isTrue();
    assertThat(batch("b1").status()).isEqualTo(BatchStatus.IN_PROGRESS);

    assertThat(repository().transitionBatch("b1", Set.of(BatchStatus.PENDING), BatchStatus.IN_PROGRESS, null))
        .isFalse();
    assertThat(repository().transitionBatch("no-such-batch", EnumSet.allOf(BatchStatus.class),
        BatchStatus.CANCELLED, null)).isFalse();
  }

  @Test
  void concurrentTransitionsFromTheSameStatusHaveExactlyOneWinner() throws Exception {
    store(TestBatches.pending("b1", 1));

    List<Boolean> outcomes = runConcurrently(concurrentClaimers(), worker ->
        repository().transitionBatch("b1", Set.of(BatchStatus.PENDING), BatchStatus.IN_PROGRESS, null));

    assertThat(outcomes).containsOnlyOnce(true);
    assertThat(batch("b1").status()).isEqualTo(BatchStatus.IN_PROGRESS);
  }

  @Test
  void enteringInProgressSetsStartedAtOnceAndClearsFinishedAtAndError() {
    store(TestBatches.pending("b1", 1));

    repository().transitionBatch("b1", Set.of(BatchStatus.PENDING), BatchStatus.IN_PROGRESS, null);
    Instant startedAt = batch("b1").startedAt();
    assertRecent(startedAt);
    assertThat(batch("b1").finishedAt()).isNull();

    repository().transitionBatch("b1", Set.of(BatchStatus.IN_PROGRESS), BatchStatus.FAILED, "no quota left");
    assertThat(batch("b1").error()).isEqualTo("no quota left");
    assertThat(batch("b1").finishedAt()).isNotNull();

    repository().transitionBatch("b1", Set.of(BatchStatus.FAILED), BatchStatus.IN_PROGRESS, null);
    Batch resumed = batch("b1");
    assertThat(resumed.status()).isEqualTo(BatchStatus.IN_PROGRESS);
    assertThat(resumed.startedAt()).isEqualTo(startedAt);
    assertThat(resumed.finishedAt()).isNull();
    assertThat(resumed.error()).isNull();
  }

  @ParameterizedTest
  @EnumSource(value = BatchStatus.class, names = {"COMPLETED", "PARTIAL", "FAILED", "CANCELLED"})
  void enteringATerminalStatusSetsFinishedAtAndStoresTheError(BatchStatus terminal) {
    store(TestBatches.pending("b1", 1));
    repository().transitionBatch("b1", Set.of(BatchStatus.PENDING), BatchStatus.IN_PROGRESS, null);
    @Nullable String error = terminal == BatchStatus.COMPLETED ? null : "stopped as " + terminal.wireName();

    assertThat(repository().transitionBatch("b1", Set.of(BatchStatus.IN_PROGRESS), terminal, error)).isTrue();

    Batch finished = batch("b1");
    assertThat(finished.status()).isEqualTo(terminal);
    assertThat(finished.error()).isEqualTo(error);
    assertRecent(finished.finishedAt());
    assertThat(finished.finishedAt()).isAfterOrEqualTo(finished.startedAt());
  }

  @Test
  void deleteBatchRemovesTheBatchAndEverySimulationOfIt() {
    TestBatch doomed = store(TestBatches.pending("b1", 3));
    TestBatch kept = store(TestBatches.pending("b2", 2));
    ClaimedSimulation running = claimOne("b1", "w1", LONG_LEASE);
    repository().recordRound(running.lease(), TestBatches.round(running.simulation(), 1, 2));

    assertThat(repository().deleteBatch("b1")).isTrue();

    assertThat(repository().findBatch("b1")).isEmpty();
    for (Simulation simulation : doomed.simulations()) {
      assertThat(repository().findSimulation(simulation.id())).isEmpty();
    }
    List<Simulation> seen = new ArrayList<>();
    repository().forEachSimulation("b1", seen::add);
    assertThat(seen).isEmpty();
    assertThat(repository().claim("b1", "w1", 10, LONG_LEASE)).isEmpty();
    assertThat(ids(repository().listBatches(0, 10))).containsExactly("b2");
    assertThat(repository().deleteBatch("b1")).isFalse();
    assertThat(repository().findSimulation(kept.simulationId(1))).contains(kept.simulation(1));

    store(TestBatches.pending("b1", 1));
    assertThat(repository().findSimulation(doomed.simulationId(1))).contains(doomed.simulation(1));
  }

  // ---- reading simulations ----

  @Test
  void forEachSimulationHandsOverEverySimulationInSequenceOrderWithItsTurns() {
    TestBatch tb = TestBatches.pending("b1", 5);
    List<Simulation> shuffled = new ArrayList<>(tb.simulations());
    Collections.reverse(shuffled);
    repository().createBatch(tb.batch(), shuffled.iterator());
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round1 = TestBatches.round(claimed.simulation(), 1, 2);
    RoundResult round2 = TestBatches.round(claimed.simulation(), 2, 2);
    repository().recordRound(claimed.lease(), round1);
    repository().recordRound(claimed.lease(), round2);

    List<Simulation> seen = new ArrayList<>();
    repository().forEachSimulation("b1", seen::add);

    assertThat(seen).extracting(Simulation::sequenceNumber).containsExactly(1, 2, 3, 4, 5);
    assertThat(seen.get(0).turns()).containsExactlyElementsOf(concat(round1.turns(), round2.turns()));
    for (Simulation simulation : seen) {
      assertThat(repository().findSimulation(simulation.id())).contains(simulation);
    }
  }

  @Test
  void forEachSimulationDoesNothingForAnUnknownBatch() {
    store(TestBatches.pending("b1", 2));
    List<Simulation> seen = new ArrayList<>();

    repository().forEachSimulation("no-such-batch", seen::add);

    assertThat(seen).isEmpty();
  }

  @Test
  void forEachSimulationStreamsALargeBatchInSequenceOrder() {
    int size = largeBatchSize();
    store(TestBatches.pending("big", size));
    AtomicInteger last = new AtomicInteger();

    repository().forEachSimulation("big", simulation -> {
      assertThat(simulation.sequenceNumber()).isEqualTo(last.get() + 1);
      assertThat(simulation.batchId()).isEqualTo("big");
      last.set(simulation.sequenceNumber());
    });

    assertThat(last.get()).isEqualTo(size);
    assertThat(batch("big").counts()).isEqualTo(new BatchCounts(size, 0, 0, 0, 0));
  }

  // ---- claiming ----

  @Test
  void claimTakesTheLowestSequenceNumbersFirstAndAtMostMax() {
    TestBatch tb = TestBatches.pending("b1", 10);
    List<Simulation> reversed = new ArrayList<>(tb.simulations());
    Collections.reverse(reversed);
    repository().createBatch(tb.batch(), reversed.iterator());

    assertThat(sequences(repository().claim("b1", "w1", 3, LONG_LEASE))).containsExactly(1, 2, 3);
    assertThat(sequences(repository().claim("b1", "w2", 4, LONG_LEASE))).containsExactly(4, 5, 6, 7);
    assertThat(sequences(repository().claim("b1", "w3", 100, LONG_LEASE))).containsExactly(8, 9, 10);
    assertThat(repository().claim("b1", "w4", 100, LONG_LEASE)).isEmpty();
  }

  @Test
  void claimedSimulationIsRunningUnderANewLeaseWithVersionAndAttemptsIncremented() {
    TestBatch tb = store(TestBatches.pending("b1", 1));

    ClaimedSimulation first = claimOne("b1", "w1", LONG_LEASE);

    assertThat(first.lease().simulationId()).isEqualTo(tb.simulationId(1));
    assertThat(first.lease().owner()).isEqualTo("w1");
    Simulation running = first.simulation();
    assertThat(running.status()).isEqualTo(SimulationStatus.RUNNING);
    assertThat(running.attempts()).isEqualTo(1);
    assertRecent(running.startedAt());
    assertThat(running.entityIds()).isEqualTo(tb.simulation(1).entityIds());
    assertThat(running.speakingOrder()).isEqualTo(tb.simulation(1).speakingOrder());
    assertThat(repository().findSimulation(running.id())).contains(running);
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(0, 1, 0, 0, 0));

    assertThat(repository().release(first.lease())).isTrue();
    ClaimedSimulation second = claimOne("b1", "w2", LONG_LEASE);

    assertThat(second.lease().version()).isEqualTo(first.lease().version() + 1);
    assertThat(second.lease().owner()).isEqualTo("w2");
    assertThat(second.simulation().attempts()).isEqualTo(2);
    assertThat(second.simulation().startedAt()).isEqualTo(running.startedAt());
  }

  @Test
  void claimSkipsSimulationsLeasedByAnotherWorker() {
    store(TestBatches.pending("b1", 3));

    assertThat(sequences(repository().claim("b1", "w1", 2, LONG_LEASE))).containsExactly(1, 2);
    assertThat(sequences(repository().claim("b1", "w2", 10, LONG_LEASE))).containsExactly(3);
    assertThat(repository().claim("b1", "w3", 10, LONG_LEASE)).isEmpty();
    assertThat(repository().claim("b1", "w1", 10, LONG_LEASE)).isEmpty();
  }

  @Test
  void claimTakesOverASimulationWhoseLeaseExpired() throws InterruptedException {
    store(TestBatches.pending("b1", 2));
    ClaimedSimulation abandoned = claimOne("b1", "w1", SHORT_LEASE);
    waitForLeasesToExpire();

    List<ClaimedSimulation> taken = repository().claim("b1", "w2", 10, LONG_LEASE);

    assertThat(sequences(taken)).containsExactly(1, 2);
    ClaimedSimulation takeover = taken.get(0);
    assertThat(takeover.lease().owner()).isEqualTo("w2");
    assertThat(takeover.lease().version()).isEqualTo(abandoned.lease().version() + 1);
    assertThat(takeover.simulation().status()).isEqualTo(SimulationStatus.RUNNING);
    assertThat(takeover.simulation().attempts()).isEqualTo(2);
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(0, 2, 0, 0, 0));
  }

  @Test
  void findLiveLeasesListsWhoHoldsTheUnexpiredLeasesOfABatchInSequenceOrder() throws InterruptedException {
    store(TestBatches.pending("b1", 5));
    store(TestBatches.pending("b2", 1));
    List<ClaimedSimulation> byW1 = repository().claim("b1", "w1", 2, LONG_LEASE);
    repository().finish(byW1.get(1).lease(), SimulationStatus.COMPLETED, null);
    claimOne("b1", "w2", SHORT_LEASE);
    ClaimedSimulation byW3 = claimOne("b1", "w3", LONG_LEASE);
    repository().claim("b2", "w4", 1, LONG_LEASE);
    Instant claimedAt = Instant.now();
    waitForLeasesToExpire();

    List<HeldLease> live = repository().findLiveLeases("b1");

    assertThat(live).extracting(HeldLease::simulationId, HeldLease::owner).containsExactly(
        tuple(byW1.get(0).simulation().id(), "w1"), tuple(byW3.simulation().id(), "w3"));
    assertThat(live).allSatisfy(lease -> assertThat(lease.expiresAt()).isBetween(
        claimedAt.plus(LONG_LEASE).minus(clockTolerance()), claimedAt.plus(LONG_LEASE).plus(clockTolerance())));
    assertThat(repository().findLiveLeases("no-such-batch")).isEmpty();
  }

  // ---- the coordinator lease of a batch_api batch ----

  @Test
  void theCoordinatorLeaseOfABatchGoesToOneOwnerAtATime() {
    store(TestBatches.pending("b1", 1));
    store(TestBatches.pending("b2", 1));

    assertThat(repository().acquireCoordinator("b1", "w1", LONG_LEASE)).isTrue();
    assertThat(repository().acquireCoordinator("b1", "w2", LONG_LEASE)).as("a second owner is refused").isFalse();
    assertThat(repository().acquireCoordinator("b1", "w1", LONG_LEASE)).as("its holder renews it").isTrue();
    assertThat(repository().acquireCoordinator("b2", "w2", LONG_LEASE)).as("another batch's is apart").isTrue();
    assertThat(repository().findCoordinator("b1")).contains("w1");
    assertThat(repository().findCoordinator("b2")).contains("w2");
    assertThat(repository().acquireCoordinator("no-such-batch", "w1", LONG_LEASE)).isFalse();
    assertThat(repository().findCoordinator("no-such-batch")).isEmpty();
  }

  @Test
  void renewingTheCoordinatorLeaseKeepsItsOwnersAndRefusesAnyOther() throws InterruptedException {
    store(TestBatches.pending("b1", 1));
    assertThat(repository().renewCoordinator("b1", "w1", LONG_LEASE)).as("nobody holds it yet").isFalse();
    assertThat(repository().acquireCoordinator("b1", "w1", SHORT_LEASE)).isTrue();
    waitForLeasesToExpire();

    // Expired but not taken over: still its holder's, and renewing it keeps it.
    assertThat(repository().renewCoordinator("b1", "w2", LONG_LEASE)).isFalse();
    assertThat(repository().renewCoordinator("b1", "w1", LONG_LEASE)).isTrue();

    assertThat(repository().findCoordinator("b1")).contains("w1");
    assertThat(repository().acquireCoordinator("b1", "w2", LONG_LEASE)).isFalse();
  }

  @Test
  void anExpiredCoordinatorLeaseIsTakenOverAndItsOldOwnerLosesIt() throws InterruptedException {
    store(TestBatches.pending("b1", 1));
    assertThat(repository().acquireCoordinator("b1", "w1", SHORT_LEASE)).isTrue();
    waitForLeasesToExpire();

    assertThat(repository().findCoordinator("b1")).as("an expired lease is nobody's").isEmpty();
    assertThat(repository().acquireCoordinator("b1", "w2", LONG_LEASE)).isTrue();

    assertThat(repository().findCoordinator("b1")).contains("w2");
    assertThat(repository().renewCoordinator("b1", "w1", LONG_LEASE)).as("the old owner lost it").isFalse();
    assertThat(repository().acquireCoordinator("b1", "w1", LONG_LEASE)).isFalse();
  }

  @Test
  void aReleasedCoordinatorLeaseIsFreeAtOnce() {
    store(TestBatches.pending("b1", 1));
    assertThat(repository().acquireCoordinator("b1", "w1", LONG_LEASE)).isTrue();

    repository().releaseCoordinator("b1", "w2");
    assertThat(repository().findCoordinator("b1")).as("only its owner releases it").contains("w1");
    repository().releaseCoordinator("b1", "w1");

    assertThat(repository().findCoordinator("b1")).isEmpty();
    assertThat(repository().renewCoordinator("b1", "w1", LONG_LEASE)).isFalse();
    assertThat(repository().acquireCoordinator("b1", "w2", LONG_LEASE)).isTrue();
    assertThat(repository().deleteBatch("b1")).isTrue();
    assertThat(repository().findCoordinator("b1")).as("a deleted batch has no coordinator").isEmpty();
  }

  @Test
  void concurrentOwnersTakingTheCoordinatorLeaseGetItOnce() throws Exception {
    store(TestBatches.pending("b1", 1));

    List<Boolean> granted = runConcurrently(concurrentClaimers(),
        worker -> repository().acquireCoordinator("b1", worker, LONG_LEASE));

    assertThat(granted).containsOnlyOnce(true);
    assertThat(repository().findCoordinator("b1")).isPresent();
  }

  @Test
  void theCoordinatorLeaseNeedsAPositiveDuration() {
    store(TestBatches.pending("b1", 1));
    assertThatThrownBy(() -> repository().acquireCoordinator("b1", "w1", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration");
    assertThatThrownBy(() -> repository().renewCoordinator("b1", "w1", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration");
  }

  @Test
  void claimReturnsNothingForAnUnknownBatch() {
    store(TestBatches.pending("b1", 2));

    assertThat(repository().claim("no-such-batch", "w1", 10, LONG_LEASE)).isEmpty();
  }

  @Test
  void claimSkipsFinishedAndCancelledSimulations() throws InterruptedException {
    store(TestBatches.pending("b1", 4));
    List<ClaimedSimulation> firstTwo = repository().claim("b1", "w1", 2, LONG_LEASE);
    repository().finish(firstTwo.get(0).lease(), SimulationStatus.COMPLETED, null);
    repository().finish(firstTwo.get(1).lease(), SimulationStatus.FAILED, "no answer");

    assertThat(sequences(repository().claim("b1", "w2", 10, SHORT_LEASE))).containsExactly(3, 4);
    repository().cancelUnfinished("b1");
    waitForLeasesToExpire();

    assertThat(repository().claim("b1", "w3", 10, LONG_LEASE)).isEmpty();
  }

  @Test
  void concurrentClaimersNeverReceiveTheSameSimulationAndTogetherReceiveAll() throws Exception {
    int total = concurrentSimulations();
    store(TestBatches.pending("b1", total));

    List<List<String>> perWorker = runConcurrently(concurrentClaimers(), worker -> {
      List<String> mine = new ArrayList<>();
      for (List<ClaimedSimulation> page = claimPage(worker); !page.isEmpty(); page = claimPage(worker)) {
        for (ClaimedSimulation claimed : page) {
          assertThat(claimed.lease().owner()).isEqualTo(worker);
          mine.add(claimed.simulation().id());
        }
      }
      return mine;
    });

    List<String> all = perWorker.stream().flatMap(List::stream).toList();
    assertThat(all).hasSize(total).doesNotHaveDuplicates();
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(0, total, 0, 0, 0));
  }

  // ---- leases ----

  @Test
  void renewKeepsALeaseFromBeingTakenOver() throws InterruptedException {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation claimed = claimOne("b1", "w1", SHORT_LEASE);

    assertThat(repository().renew(List.of(claimed.lease()), LONG_LEASE)).isEmpty();
    waitForLeasesToExpire();

    assertThat(repository().claim("b1", "w2", 10, LONG_LEASE)).isEmpty();
    assertThat(repository().recordRound(claimed.lease(), TestBatches.round(claimed.simulation(), 1, 2))).isTrue();
  }

  @Test
  void renewReturnsTheIdsOfTheLeasesNoLongerHeld() throws InterruptedException {
    store(TestBatches.pending("b1", 3));
    ClaimedSimulation held = claimOne("b1", "w1", LONG_LEASE);
    ClaimedSimulation finished = claimOne("b1", "w1", LONG_LEASE);
    // Claimed last: a 1 ms lease may be over before the next call, which would claim it again.
    ClaimedSimulation takenOver = claimOne("b1", "w1", SHORT_LEASE);
    waitForLeasesToExpire();
    assertThat(sequences(repository().claim("b1", "w2", 10, LONG_LEASE))).containsExactly(3);
    repository().finish(finished.lease(), SimulationStatus.COMPLETED, null);
    Lease unknown = new Lease("no-such-simulation", "w1", 1);

    Set<String> lost = repository().renew(
        List.of(held.lease(), takenOver.lease(), finished.lease(), unknown), LONG_LEASE);

    assertThat(lost).containsExactlyInAnyOrder(
        takenOver.simulation().id(), finished.simulation().id(), "no-such-simulation");
    assertThat(repository().renew(List.of(), LONG_LEASE)).isEmpty();
  }

  // ---- recording ----

  @Test
  void recordRoundAppendsTurnsAddsUsageAndSetsTheModel() {
    store(TestBatches.builder("b1").nTurns(2).rounds(3).build());
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round1 = TestBatches.round(claimed.simulation(), 1, 2);
    RoundResult round2 = TestBatches.round(claimed.simulation(), 2, 2);
    RoundResult round3 = new RoundResult(3,
        TestBatches.round(claimed.simulation(), 3, 2).turns(), new TokenUsage(7, 3, 2), null);

    assertThat(repository().recordRound(claimed.lease(), round1)).isTrue();
    Simulation afterOne = simulation(claimed.simulation().id());
    assertThat(afterOne.turns()).containsExactlyElementsOf(round1.turns());
    assertThat(afterOne.usage()).isEqualTo(round1.usage());
    assertThat(afterOne.model()).isEqualTo(TestBatches.ROUND_MODEL);
    assertThat(afterOne.status()).isEqualTo(SimulationStatus.RUNNING);

    assertThat(repository().recordRound(claimed.lease(), round2)).isTrue();
    assertThat(repository().recordRound(claimed.lease(), round3)).isTrue();

    Simulation afterThree = simulation(claimed.simulation().id());
    assertThat(afterThree.turns())
        .containsExactlyElementsOf(concat(concat(round1.turns(), round2.turns()), round3.turns()));
    assertThat(afterThree.usage()).isEqualTo(round1.usage().plus(round2.usage()).plus(round3.usage()));
    assertThat(afterThree.model()).as("a round without a model keeps the earlier one")
        .isEqualTo(TestBatches.ROUND_MODEL);
    assertThat(batch("b1").usage()).isEqualTo(afterThree.usage());
  }

  @Test
  void recordRoundIsIdempotentPerSimulationAndRound() {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round1 = TestBatches.round(claimed.simulation(), 1, 2);
    RoundResult round1Again = TestBatches.round(claimed.simulation(), 1, 3);

    assertThat(repository().recordRound(claimed.lease(), round1)).isTrue();
    assertThat(repository().recordRound(claimed.lease(), round1)).isTrue();
    assertThat(repository().recordRound(claimed.lease(), round1Again)).isTrue();

    Simulation stored = simulation(claimed.simulation().id());
    assertThat(stored.turns()).containsExactlyElementsOf(round1.turns());
    assertThat(stored.usage()).isEqualTo(round1.usage());
    assertThat(batch("b1").usage()).isEqualTo(round1.usage());
  }

  @Test
  void recordTurnAppendsOneTurnAtATimeInTurnOrderAndAddsItsUsage() {
    store(TestBatches.builder("b1").nTurns(2).rounds(2).build());
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    List<Turn> turns = concat(TestBatches.round(claimed.simulation(), 1, 2).turns(),
        TestBatches.round(claimed.simulation(), 2, 2).turns());
    TokenUsage each = new TokenUsage(11, 4, 3);

    for (int i = 0; i < 3; i++) {
      assertThat(repository().recordTurn(claimed.lease(), new TurnResult(turns.get(i), each, "m-" + i))).isTrue();
      Simulation stored = simulation(claimed.simulation().id());
      assertThat(stored.turns()).containsExactlyElementsOf(turns.subList(0, i + 1));
      assertThat(stored.model()).isEqualTo("m-" + i);
    }
    assertThat(repository().recordTurn(claimed.lease(), new TurnResult(turns.get(3), each, null))).isTrue();

    Simulation stored = simulation(claimed.simulation().id());
    assertThat(stored.turns()).containsExactlyElementsOf(turns);
    assertThat(stored.usage()).isEqualTo(new TokenUsage(44, 16, 12));
    assertThat(stored.model()).as("a turn without a model keeps the earlier one").isEqualTo("m-2");
    assertThat(batch("b1").usage()).isEqualTo(stored.usage());
    assertThat(repository().finish(claimed.lease(), SimulationStatus.COMPLETED, null)).isTrue();
    assertThat(simulation(claimed.simulation().id()).content()).isEqualTo(Transcript.render(turns));
  }

  @Test
  void recordTurnAddsEachTurnsCostAndAnUnknownCostMakesTheSumUnknown() {
    store(TestBatches.builder("b1").nTurns(2).rounds(2).build());
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    List<Turn> turns = concat(TestBatches.round(claimed.simulation(), 1, 2).turns(),
        TestBatches.round(claimed.simulation(), 2, 2).turns());
    TokenUsage each = new TokenUsage(11, 4, 0);

    repository().recordTurn(claimed.lease(), new TurnResult(turns.get(0), each, "m", 0.25));
    repository().recordTurn(claimed.lease(), new TurnResult(turns.get(1), each, "m", 0.5));
    assertThat(simulation(claimed.simulation().id()).costUsd()).isEqualTo(0.75);
    repository().recordTurn(claimed.lease(), new TurnResult(turns.get(2), each, "m", null));
    assertThat(simulation(claimed.simulation().id()).costUsd()).isNull();
  }

  @Test
  void recordTurnIsIdempotentPerSimulationAndTurnNumberAcrossLeases() throws InterruptedException {
    store(TestBatches.builder("b1").nTurns(2).rounds(1).build());
    ClaimedSimulation first = claimOne("b1", "w1", SHORT_LEASE);
    List<Turn> turns = TestBatches.round(first.simulation(), 1, 2).turns();
    TurnResult turn1 = new TurnResult(turns.get(0), new TokenUsage(10, 5, 0), null);
    Turn otherText = new Turn(1, 1, turns.get(0).speakerId(), turns.get(0).speakerName(), null, "a second answer");

    assertThat(repository().recordTurn(first.lease(), turn1)).isTrue();
    assertThat(repository().recordTurn(first.lease(), turn1)).isTrue();
    waitForLeasesToExpire();
    ClaimedSimulation resumed = claimOne("b1", "w2", LONG_LEASE);
    // The resumed worker sees turn 1 and goes on at turn 2; a late repeat of turn 1 changes nothing.
    assertThat(resumed.simulation().turns()).containsExactly(turns.get(0));
    assertThat(repository().recordTurn(resumed.lease(), new TurnResult(otherText, new TokenUsage(10, 5, 0), null)))
        .isTrue();
    assertThat(repository().recordTurn(resumed.lease(), new TurnResult(turns.get(1), new TokenUsage(1, 1, 0), null)))
        .isTrue();

    Simulation stored = simulation(first.simulation().id());
    assertThat(stored.turns()).containsExactlyElementsOf(turns);
    assertThat(stored.usage()).isEqualTo(new TokenUsage(11, 6, 0));
  }

  /** How a worker can lose the lease it claimed. */
  enum LeaseLoss {
    TAKEN_OVER_BY_ANOTHER_WORKER,
    TAKEN_OVER_BY_THE_SAME_WORKER,
    RELEASED,
    FINISHED,
    CANCELLED,
    BATCH_DELETED
  }

  /** A write a worker makes with its lease. */
  enum LeasedWrite {
    RECORD_ROUND,
    RECORD_TURN,
    FINISH_COMPLETED,
    FINISH_FAILED,
    RELEASE,
    UNCLAIM,
    RENEW,
    /** The round recorded before the lease was lost, recorded again (a retried write). */
    RECORD_STORED_ROUND
  }

  static Stream<Arguments> lostLeaseWrites() {
    return Stream.of(LeaseLoss.values())
        .flatMap(loss -> Stream.of(LeasedWrite.values()).map(write -> Arguments.of(loss, write)));
  }

  @ParameterizedTest(name = "{1} after the lease was {0}")
  @MethodSource("lostLeaseWrites")
  void everyWriteWithALostLeaseIsRejectedAndChangesNothing(LeaseLoss loss, LeasedWrite write)
      throws InterruptedException {
    store(TestBatches.builder("b1").rounds(2).build());
    boolean expires = loss == LeaseLoss.TAKEN_OVER_BY_ANOTHER_WORKER || loss == LeaseLoss.TAKEN_OVER_BY_THE_SAME_WORKER;
    ClaimedSimulation stale = claimOne("b1", "w1", expires ? SHORT_LEASE : LONG_LEASE);
    String id = stale.simulation().id();
    assertThat(repository().recordRound(stale.lease(), TestBatches.round(stale.simulation(), 1, 2))).isTrue();
    loseLease(loss, stale);
    Optional<Simulation> simulationBefore = repository().findSimulation(id);
    Optional<Batch> batchBefore = repository().findBatch("b1");

    boolean accepted = switch (write) {
      case RECORD_ROUND -> repository().recordRound(stale.lease(), TestBatches.round(stale.simulation(), 2, 2));
      case RECORD_TURN -> repository().recordTurn(stale.lease(), new TurnResult(
          TestBatches.round(stale.simulation(), 2, 2).turns().get(0), new TokenUsage(1, 1, 0), null));
      case FINISH_COMPLETED -> repository().finish(stale.lease(), SimulationStatus.COMPLETED, null);
      case FINISH_FAILED -> repository().finish(stale.lease(), SimulationStatus.FAILED, "late failure");
      case RELEASE -> repository().release(stale.lease());
      case UNCLAIM -> repository().unclaim(stale.lease());
      case RENEW -> !repository().renew(List.of(stale.lease()), LONG_LEASE).contains(id);
      case RECORD_STORED_ROUND -> repository().recordRound(stale.lease(), TestBatches.round(stale.simulation(), 1, 2));
    };

    assertThat(accepted).isFalse();
    assertThat(repository().findSimulation(id)).isEqualTo(simulationBefore);
    assertThat(repository().findBatch("b1")).isEqualTo(batchBefore);
  }

  private void loseLease(LeaseLoss loss, ClaimedSimulation stale) throws InterruptedException {
    switch (loss) {
      case TAKEN_OVER_BY_ANOTHER_WORKER -> {
        waitForLeasesToExpire();
        assertThat(claimOne("b1", "w2", LONG_LEASE).simulation().id()).isEqualTo(stale.simulation().id());
      }
      case TAKEN_OVER_BY_THE_SAME_WORKER -> {
        waitForLeasesToExpire();
        assertThat(claimOne("b1", "w1", LONG_LEASE).simulation().id()).isEqualTo(stale.simulation().id());
      }
      case RELEASED -> assertThat(repository().release(stale.lease())).isTrue();
      case FINISHED -> assertThat(repository().finish(stale.lease(), SimulationStatus.COMPLETED, null)).isTrue();
      case CANCELLED -> assertThat(repository().cancelUnfinished("b1")).isEqualTo(1);
      case BATCH_DELETED -> assertThat(repository().deleteBatch("b1")).isTrue();
    }
  }

  // ---- finishing ----

  @Test
  void finishCompletedEndsTheSimulationAndClearsItsLease() {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round = TestBatches.round(claimed.simulation(), 1, 2);
    repository().recordRound(claimed.lease(), round);

    assertThat(repository().finish(claimed.lease(), SimulationStatus.COMPLETED, null)).isTrue();

    Simulation done = simulation(claimed.simulation().id());
    assertThat(done.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(done.error()).isNull();
    assertThat(done.turns()).containsExactlyElementsOf(round.turns());
    assertRecent(done.finishedAt());
    assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
    assertThat(repository().claim("b1", "w2", 10, LONG_LEASE)).isEmpty();
    assertThat(repository().renew(List.of(claimed.lease()), LONG_LEASE)).containsExactly(done.id());
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(0, 0, 1, 0, 0));
  }

  @Test
  void finishCompletedWithFlagsEndsTheSimulationWithItsFlagsAndRefusesALeaseNoLongerHeld() {
    store(TestBatches.pending("b1", 2));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round = TestBatches.round(claimed.simulation(), 1, 2);
    repository().recordRound(claimed.lease(), round);

    assertThat(repository().finishCompleted(claimed.lease(),
        List.of(QualityFlag.REPETITION, QualityFlag.REFUSAL, QualityFlag.REPETITION))).isTrue();

    Simulation done = simulation(claimed.simulation().id());
    assertThat(done.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(done.turns()).containsExactlyElementsOf(round.turns());
    assertThat(done.usage()).isEqualTo(round.usage());
    assertThat(done.flags()).as("flag order, no repeats").containsExactly(QualityFlag.REFUSAL, QualityFlag.REPETITION);
    assertThat(batch("b1").flagCounts()).containsExactly(
        Map.entry(QualityFlag.REFUSAL, 1L), Map.entry(QualityFlag.REPETITION, 1L));
    assertThat(repository().finishCompleted(claimed.lease(), List.of()))
        .as("a finish refused for a lease no longer held").isFalse();
    assertThat(simulation(claimed.simulation().id()).status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(1, 0, 1, 0, 0));

    // No flags clears flags recorded before (a flagged simulation played again).
    ClaimedSimulation other = claimOne("b1", "w1", LONG_LEASE);
    repository().recordFlags(other.simulation().id(), List.of(QualityFlag.TRUNCATED));
    assertThat(repository().finishCompleted(other.lease(), List.of())).isTrue();
    assertThat(simulation(other.simulation().id()).flags()).isEmpty();
  }

  @Test
  void finishCompletedWithTheRunnersTurnsStoresTheTranscriptAReReadWouldGive() {
    store(TestBatches.pending("b1", 3));
    ClaimedSimulation reread = claimOne("b1", "w1", LONG_LEASE);
    ClaimedSimulation given = claimOne("b1", "w1", LONG_LEASE);
    List<Turn> played = new ArrayList<>();
    for (int r = 1; r <= 2; r++) {
      RoundResult rereadRound = TestBatches.round(reread.simulation(), r, 2);
      RoundResult givenRound = TestBatches.round(given.simulation(), r, 2);
      assertThat(repository().recordRound(reread.lease(), rereadRound)).isTrue();
      assertThat(repository().recordRound(given.lease(), givenRound)).isTrue();
      played.addAll(givenRound.turns());
    }

    assertThat(repository().finishCompleted(reread.lease(), List.of(QualityFlag.REPETITION))).isTrue();
    assertThat(repository().finishCompleted(given.lease(), List.of(QualityFlag.REPETITION), played)).isTrue();

    Simulation fromStore = simulation(reread.simulation().id());
    Simulation fromRunner = simulation(given.simulation().id());
    assertThat(fromRunner.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(fromRunner.turns()).containsExactlyElementsOf(played);
    assertThat(fromRunner.content()).isEqualTo(Transcript.render(played)).isNotBlank();
    assertThat(fromRunner.flags()).containsExactly(QualityFlag.REPETITION);
    // The same as the re-read path gives: a store that keeps the digest keeps it of the turns read back.
    assertThat(fromStore.content()).isEqualTo(Transcript.render(fromStore.turns()));
    if (fromStore.turnsSha256() == null) {
      assertThat(fromRunner.turnsSha256()).isNull();
    } else {
      assertThat(fromStore.turnsSha256()).isEqualTo(TurnsDigest.ofTurns(fromStore.turns()));
      assertThat(fromRunner.turnsSha256()).isEqualTo(TurnsDigest.ofTurns(played));
    }
    assertThat(repository().finishCompleted(given.lease(), List.of(), played))
        .as("a finish refused for a lease no longer held").isFalse();
    assertThat(simulation(given.simulation().id()).content()).isEqualTo(fromRunner.content());
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(1, 0, 2, 0, 0));
  }

  @Test
  void finishCompletedWithTheLastRoundStoresWhatTheRoundThenTheFinishWould() {
    store(TestBatches.pending("b1", 2));
    ClaimedSimulation apart = claimOne("b1", "w1", LONG_LEASE);
    ClaimedSimulation together = claimOne("b1", "w1", LONG_LEASE);
    List<Turn> played = new ArrayList<>();
    for (int r = 1; r <= 2; r++) {
      assertThat(repository().recordRound(apart.lease(), TestBatches.round(apart.simulation(), r, 2))).isTrue();
      played.addAll(TestBatches.round(together.simulation(), r, 2).turns());
    }
    assertThat(repository().recordRound(together.lease(), TestBatches.round(together.simulation(), 1, 2))).isTrue();
    RoundResult last = TestBatches.round(together.simulation(), 2, 2);

    assertThat(repository().finishCompleted(apart.lease(), List.of(QualityFlag.REFUSAL))).isTrue();
    assertThat(repository().finishCompleted(together.lease(), last, List.of(QualityFlag.REFUSAL), played)).isTrue();

    Simulation expected = simulation(apart.simulation().id());
    Simulation done = simulation(together.simulation().id());
    assertThat(done.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(done.turns()).containsExactlyElementsOf(played);
    assertThat(done.content()).isEqualTo(Transcript.render(played));
    assertThat(done.usage()).isEqualTo(expected.usage());
    assertThat(done.costUsd()).isEqualTo(expected.costUsd()).isNotNull();
    assertThat(done.model()).isEqualTo(expected.model());
    assertThat(done.flags()).containsExactly(QualityFlag.REFUSAL);
    assertThat(done.finishedAt()).isNotNull();
    if (expected.turnsSha256() != null) {
      assertThat(done.turnsSha256()).isEqualTo(TurnsDigest.ofTurns(played));
    }
    assertThat(batch("b1").usage()).isEqualTo(expected.usage().plus(expected.usage()));
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(0, 0, 2, 0, 0));
    assertThat(repository().finishCompleted(together.lease(), last, List.of(), played))
        .as("refused for a lease no longer held").isFalse();
    assertThat(simulation(together.simulation().id()).usage()).isEqualTo(expected.usage());
  }

  @Test
  void finishCompletedWithALastRoundAlreadyStoredAddsItsUsageOnce() {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round = TestBatches.round(claimed.simulation(), 1, 2);
    // A retry of a write whose answer was lost: the round is stored already.
    assertThat(repository().recordRound(claimed.lease(), round)).isTrue();

    assertThat(repository().finishCompleted(claimed.lease(), round, List.of(), round.turns())).isTrue();

    Simulation done = simulation(claimed.simulation().id());
    assertThat(done.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(done.turns()).containsExactlyElementsOf(round.turns());
    assertThat(done.usage()).isEqualTo(round.usage());
    assertThat(batch("b1").usage()).isEqualTo(round.usage());
  }

  @Test
  void finishCompletedWithTheLastRoundRecordsNothingForALeaseNoLongerHeld() {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult first = TestBatches.round(claimed.simulation(), 1, 2);
    assertThat(repository().recordRound(claimed.lease(), first)).isTrue();
    assertThat(repository().cancelUnfinished("b1")).isEqualTo(1);
    RoundResult last = TestBatches.round(claimed.simulation(), 2, 2);
    List<Turn> played = new ArrayList<>(first.turns());
    played.addAll(last.turns());

    assertThat(repository().finishCompleted(claimed.lease(), last, List.of(), played)).isFalse();

    Simulation cancelled = simulation(claimed.simulation().id());
    assertThat(cancelled.status()).isEqualTo(SimulationStatus.CANCELLED);
    assertThat(cancelled.turns()).containsExactlyElementsOf(first.turns());
    assertThat(cancelled.usage()).isEqualTo(first.usage());
  }

  @Test
  void finishFailedStoresTheError() {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);

    assertThat(repository().finish(claimed.lease(), SimulationStatus.FAILED, "the model named no participant")).isTrue();

    Simulation failed = simulation(claimed.simulation().id());
    assertThat(failed.status()).isEqualTo(SimulationStatus.FAILED);
    assertThat(failed.error()).isEqualTo("the model named no participant");
    assertRecent(failed.finishedAt());
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(0, 0, 0, 1, 0));
  }

  @ParameterizedTest
  @EnumSource(value = SimulationStatus.class, names = {"COMPLETED", "FAILED"})
  void finishAddsTheUsageOfCallsNoRoundRecorded(SimulationStatus status) {
    store(TestBatches.pending("b1", 2));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round = TestBatches.round(claimed.simulation(), 1, 2);
    repository().recordRound(claimed.lease(), round);
    TokenUsage rejected = new TokenUsage(700, 90, 300);

    assertThat(repository().finish(claimed.lease(), status, status == SimulationStatus.FAILED ? "round 2" : null,
        rejected)).isTrue();

    assertThat(simulation(claimed.simulation().id()).usage()).isEqualTo(round.usage().plus(rejected));
    assertThat(batch("b1").usage()).isEqualTo(round.usage().plus(rejected));
    assertThat(repository().finish(claimed.lease(), status, null, rejected))
        .as("a finish refused for a lease no longer held adds nothing").isFalse();
    assertThat(batch("b1").usage()).isEqualTo(round.usage().plus(rejected));
  }

  @Test
  void roundsAndFinishAddTheirCallsAndCostsToTheSimulationAndTheBatch() {
    store(TestBatches.pending("b1", 2));
    ClaimedSimulation first = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round = TestBatches.round(first.simulation(), 1, 2);
    repository().recordRound(first.lease(), round);
    assertThat(repository().recordRound(first.lease(), round)).as("recorded twice, counted once").isTrue();

    assertThat(repository().finish(first.lease(), SimulationStatus.FAILED, "round 2",
        new TokenUsage(7, 3, 0, 2), 1.5)).isTrue();

    Simulation stored = simulation(first.simulation().id());
    assertThat(stored.usage().calls()).isEqualTo(3);
    assertThat(stored.costUsd()).isEqualTo(round.costUsd() + 1.5);
    assertThat(simulation(TestBatches.simulationId("b1", 2)).costUsd()).as("nothing spent yet").isEqualTo(0.0);
    assertThat(batch("b1").costUsd()).isEqualTo(round.costUsd() + 1.5);
    assertThat(batch("b1").usage().calls()).isEqualTo(3);
  }

  @Test
  void oneSimulationOfUnknownCostMakesTheBatchCostUnknownNeverZero() {
    store(TestBatches.pending("b1", 2));
    ClaimedSimulation first = claimOne("b1", "w1", LONG_LEASE);
    RoundResult priced = TestBatches.round(first.simulation(), 1, 2);
    repository().recordRound(first.lease(), priced);
    RoundResult unpriced = TestBatches.round(first.simulation(), 2, 2);
    repository().recordRound(first.lease(), new RoundResult(2, unpriced.turns(), unpriced.usage(), "no-price", null));

    assertThat(simulation(first.simulation().id()).costUsd()).isNull();
    assertThat(batch("b1").costUsd()).isNull();

    repository().finish(first.lease(), SimulationStatus.COMPLETED, null, TokenUsage.ZERO, 2.0);
    assertThat(simulation(first.simulation().id()).costUsd()).as("unknown stays unknown").isNull();
  }

  @Test
  void aReservationIsRefusedWhenSpentPlusReservedWouldPassTheBudget() {
    store(TestBatches.pending("b1", 3));
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 3, LONG_LEASE);

    assertThat(repository().reserveSpend(claimed.get(0).lease(), 4.0, 100, 10.0, null)).isEqualTo(RESERVED);
    assertThat(repository().reserveSpend(claimed.get(1).lease(), 4.0, 100, 10.0, null)).isEqualTo(RESERVED);
    assertThat(repository().reserveSpend(claimed.get(2).lease(), 4.0, 100, 10.0, null))
        .as("4 + 4 reserved, 4 more would pass 10").isEqualTo(OVER_BUDGET);
    assertThat(repository().reserveSpend(claimed.get(2).lease(), 2.0, 100, 10.0, null))
        .as("exactly 10 fits").isEqualTo(RESERVED);

    repository().settleSpend(claimed.get(0).lease(), 1.5, 40);

    assertThat(repository().spentOn("b1")).isEqualTo(new BatchSpend(1.5, 40));
    assertThat(repository().reserveSpend(claimed.get(0).lease(), 0.5, 10, 10.0, null))
        .as("1.5 spent + 4 + 2 reserved + 0.5 = 8").isEqualTo(RESERVED);
    assertThat(repository().reserveSpend(claimed.get(0).lease(), 2.6, 10, 10.0, null))
        .as("a new reservation replaces the simulation's last; 1.5 + 4 + 2 + 2.6 passes 10").isEqualTo(OVER_BUDGET);
    assertThat(repository().spentOn("no-such-batch")).isEqualTo(BatchSpend.NONE);
  }

  @Test
  void aTokenBudgetHoldsWithoutAMoneyCap() {
    store(TestBatches.pending("b1", 2));
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 2, LONG_LEASE);

    assertThat(repository().reserveSpend(claimed.get(0).lease(), 0, 600, null, 1_000L)).isEqualTo(RESERVED);
    assertThat(repository().reserveSpend(claimed.get(1).lease(), 0, 600, null, 1_000L)).isEqualTo(OVER_BUDGET);
    repository().settleSpend(claimed.get(0).lease(), 0, 300);
    assertThat(repository().reserveSpend(claimed.get(1).lease(), 0, 600, null, 1_000L)).isEqualTo(RESERVED);
  }

  @Test
  void aReservationExpiresWithItsLease() throws InterruptedException {
    store(TestBatches.pending("b1", 2));
    ClaimedSimulation crashed = claimOne("b1", "w1", SHORT_LEASE);
    assertThat(repository().reserveSpend(crashed.lease(), 9.0, 100, 10.0, null)).isEqualTo(RESERVED);
    waitForLeasesToExpire();

    ClaimedSimulation other = repository().claim("b1", "w2", 2, LONG_LEASE).get(1);

    assertThat(repository().reserveSpend(other.lease(), 9.0, 100, 10.0, null))
        .as("the crashed worker's reservation no longer holds the budget").isEqualTo(RESERVED);
    assertThat(repository().reserveSpend(crashed.lease(), 0.5, 1, 10.0, null))
        .as("a lease taken over reserves nothing").isEqualTo(LEASE_LOST);
  }

  @Test
  void aReleasedSimulationsReservationNoLongerCounts() {
    store(TestBatches.pending("b1", 2));
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 2, LONG_LEASE);
    assertThat(repository().reserveSpend(claimed.get(0).lease(), 9.0, 100, 10.0, null)).isEqualTo(RESERVED);

    repository().release(claimed.get(0).lease());

    assertThat(repository().reserveSpend(claimed.get(1).lease(), 9.0, 100, 10.0, null)).isEqualTo(RESERVED);
  }

  @Test
  void aReservationSaysWhetherTheBudgetOrALostLeaseRefusedIt() {
    store(TestBatches.pending("b1", 2));
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 2, LONG_LEASE);
    assertThat(repository().reserveSpend(claimed.get(0).lease(), 9.0, 100, 10.0, null))
        .isEqualTo(RESERVED);

    assertThat(repository().reserveSpend(claimed.get(1).lease(), 2.0, 100, 10.0, null))
        .as("a held lease over the budget").isEqualTo(OVER_BUDGET);
    assertThat(repository().reserveSpend(claimed.get(1).lease(), 0, 2_000, null, 1_000L))
        .as("a held lease over the token budget").isEqualTo(OVER_BUDGET);

    repository().release(claimed.get(1).lease());

    assertThat(repository().reserveSpend(claimed.get(1).lease(), 0.5, 10, 10.0, null))
        .as("a released lease within the budget").isEqualTo(LEASE_LOST);
    assertThat(repository().reserveSpend(claimed.get(1).lease(), 2.0, 100, 10.0, null))
        .as("a released lease that would also pass the budget: the lease is checked first")
        .isEqualTo(LEASE_LOST);
    assertThat(repository().reserveSpend(claimed.get(1).lease(), 0.5, 10, null, null))
        .as("a released lease without any cap").isEqualTo(LEASE_LOST);
    assertThat(repository().spentOn("b1")).as("a refusal spends nothing").isEqualTo(BatchSpend.NONE);

    repository().settleSpend(claimed.get(0).lease(), 1.0, 10);
    repository().deleteBatch("b1");

    assertThat(repository().reserveSpend(claimed.get(0).lease(), 0.5, 10, 10.0, null))
        .as("the lease of a deleted batch's simulation").isEqualTo(LEASE_LOST);
  }

  @Test
  void updateBudgetReplacesTheCapsStoredWithTheRequest() {
    store(TestBatches.pending("b1", 1));

    assertThat(repository().updateBudget("b1", 20.0, 5_000L)).isTrue();

    assertThat(batch("b1").request().maxCostUsd()).isEqualTo(20.0);
    assertThat(batch("b1").request().maxTotalTokens()).isEqualTo(5_000L);
    assertThat(repository().updateBudget("b1", null, null)).isTrue();
    assertThat(batch("b1").request().maxCostUsd()).isNull();
    assertThat(repository().updateBudget("no-such-batch", 1.0, null)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = SimulationStatus.class, names = {"COMPLETED", "FAILED"})
  void finishRecordsTheDigestOfTheStoredTurnsAndTheWorkerThatFinished(SimulationStatus status) {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    repository().recordRound(claimed.lease(), TestBatches.round(claimed.simulation(), 1, 2));
    repository().recordRound(claimed.lease(), TestBatches.round(claimed.simulation(), 2, 2));
    assertThat(simulation(claimed.simulation().id()).turnsSha256()).as("no digest before it finishes").isNull();

    repository().finish(claimed.lease(), status, status == SimulationStatus.FAILED ? "round 3" : null);

    Simulation finished = simulation(claimed.simulation().id());
    assertThat(finished.turnsSha256()).isEqualTo(TurnsDigest.ofTurns(finished.turns())).hasSize(64);
    assertThat(finished.finishedBy()).isEqualTo("w1");
  }

  @Test
  void recordRoundKeepsTheLastReportedSystemFingerprintAndAddsCacheHits() {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult first = TestBatches.round(claimed.simulation(), 1, 2);
    RoundResult second = TestBatches.round(claimed.simulation(), 2, 2);
    repository().recordRound(claimed.lease(), new RoundResult(1, first.turns(), new TokenUsage(0, 0, 0, 0, 1),
        first.model(), 0.0, "fp_first"));
    repository().recordRound(claimed.lease(), new RoundResult(2, second.turns(), new TokenUsage(10, 5, 0, 1, 2),
        second.model(), 0.0, null));

    Simulation s = simulation(claimed.simulation().id());
    assertThat(s.systemFingerprint()).isEqualTo("fp_first");
    assertThat(s.usage()).isEqualTo(new TokenUsage(10, 5, 0, 1, 3));
    assertThat(batch("b1").usage().cacheHits()).isEqualTo(3);
    repository().finish(claimed.lease(), SimulationStatus.COMPLETED, null, new TokenUsage(0, 0, 0, 0, 4));
    assertThat(batch("b1").usage().cacheHits()).isEqualTo(7);
  }

  @Test
  void aBatchsSealIsFoundAsSavedAndGoesWithTheBatch() {
    store(TestBatches.pending("b1", 1));
    assertThat(repository().findSeal("b1")).isEmpty();
    BatchSeal seal = new BatchSeal("a".repeat(64), "b".repeat(64));

    repository().saveSeal("b1", seal);
    repository().saveSeal("no-such-batch", seal);

    assertThat(repository().findSeal("b1")).contains(seal);
    assertThat(repository().findSeal("no-such-batch")).isEmpty();
    repository().deleteBatch("b1");
    assertThat(repository().findSeal("b1")).isEmpty();
  }

  @Test
  void providerJobsAreFoundInSubmissionOrderUpdatedInPlaceAndGoWithTheirBatch() {
    store(TestBatches.pending("b1", 3));
    store(TestBatches.pending("b2", 1));
    java.time.Instant at = java.time.Instant.parse("2026-03-01T10:15:30.123456Z");
    ProviderJob second = new ProviderJob("b1", "batch_zz", BatchJobState.VALIDATING, "file-2", null, null, 1, 0, 0,
        List.of("s3-r1-q0-a1"), at.plusSeconds(5), false);
    ProviderJob first = new ProviderJob("b1", "batch_aa", BatchJobState.VALIDATING, "file-1", null, null, 2, 0, 0,
        List.of("s1-r1-q0-a1", "s2-r1-q0-a1"), at, false);

    repository().saveProviderJob(first);
    repository().saveProviderJob(second);
    repository().saveProviderJob(new ProviderJob("no-such-batch", "batch_x", BatchJobState.VALIDATING, "file-3", null,
        null, 1, 0, 0, List.of("s1-r1-q0-a1"), at, false));
    ProviderJob done = new ProviderJob("b1", "batch_aa", BatchJobState.COMPLETED, "file-1", "file-out", "file-err", 2,
        1, 1, List.of("s1-r1-q0-a1", "s2-r1-q0-a1"), at, true);
    repository().saveProviderJob(done);

    assertThat(repository().findProviderJobs("b1")).containsExactly(done, second);
    assertThat(repository().findProviderJobs("b2")).isEmpty();
    assertThat(repository().findProviderJobs("no-such-batch")).isEmpty();
    repository().deleteBatch("b1");
    assertThat(repository().findProviderJobs("b1")).isEmpty();
  }

  @Test
  void submissionIntentsAreFoundOldestFirstUntilDeletedAndGoWithTheirBatch() {
    store(TestBatches.pending("b1", 3));
    store(TestBatches.pending("b2", 1));
    java.time.Instant at = java.time.Instant.parse("2026-03-01T10:15:30.123456Z");
    SubmissionIntent first = new SubmissionIntent("b1", "key-1", List.of("s1-r1-q0-a1", "s2-r1-q0-a1"), at);
    SubmissionIntent second = new SubmissionIntent("b1", "key-0", List.of("s3-r1-q0-a1"), at.plusSeconds(1));
    SubmissionIntent other = new SubmissionIntent("b2", "key-1", List.of("s1-r1-q0-a1"), at);

    repository().saveSubmissionIntent(first);
    repository().saveSubmissionIntent(second);
    repository().saveSubmissionIntent(other);
    repository().saveSubmissionIntent(new SubmissionIntent("no-such-batch", "key-9", List.of("s1-r1-q0-a1"), at));

    assertThat(repository().findSubmissionIntents("b1")).as("oldest first, every field kept").containsExactly(first,
        second);
    assertThat(repository().findSubmissionIntents("b2")).containsExactly(other);
    assertThat(repository().findSubmissionIntents("no-such-batch")).isEmpty();

    repository().deleteSubmissionIntent(first);
    repository().deleteSubmissionIntent(first);
    assertThat(repository().findSubmissionIntents("b1")).containsExactly(second);
    assertThat(repository().findSubmissionIntents("b2")).as("same key, other batch: kept").containsExactly(other);

    repository().deleteBatch("b1");
    assertThat(repository().findSubmissionIntents("b1")).isEmpty();
    assertThat(repository().findSubmissionIntents("b2")).containsExactly(other);
  }

  @Test
  void aProviderJobKeepsTheModelWhoseProviderRunsItThroughEveryUpdate() {
    store(TestBatches.pending("b1", 4));
    java.time.Instant at = java.time.Instant.parse("2026-03-01T10:15:30Z");
    ProviderJob onAlpha = new ProviderJob("b1", "batch_a", BatchJobState.VALIDATING, "file-a", null, null, 2, 0, 0,
        List.of("s1-r1-q0-a1", "s3-r1-q0-a1"), at, false, "alpha");
    ProviderJob onBeta = new ProviderJob("b1", "batch_b", BatchJobState.VALIDATING, "file-b", null, null, 2, 0, 0,
        List.of("s2-r1-q0-a1", "s4-r1-q0-a1"), at, false, "beta");
    ProviderJob onTheOneModel = new ProviderJob("b1", "batch_c", BatchJobState.VALIDATING, "file-c", null, null, 1,
        0, 0, List.of("s1-r2-q0-a1"), at, false);

    repository().saveProviderJob(onAlpha);
    repository().saveProviderJob(onBeta);
    repository().saveProviderJob(onTheOneModel);
    ProviderJob betaDone = new ProviderJob("b1", "batch_b", BatchJobState.COMPLETED, "file-b", "file-out", null, 2, 2,
        0, List.of("s2-r1-q0-a1", "s4-r1-q0-a1"), at, false, "beta").asApplied();
    repository().saveProviderJob(betaDone);

    assertThat(repository().findProviderJobs("b1")).containsExactly(onAlpha, betaDone, onTheOneModel)
        .extracting(ProviderJob::model).containsExactly("alpha", "beta", null);
  }

  @ParameterizedTest
  @EnumSource(value = SimulationStatus.class, names = {"PENDING", "RUNNING", "CANCELLED"})
  void finishAcceptsOnlyCompletedOrFailed(SimulationStatus status) {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);

    assertThatThrownBy(() -> repository().finish(claimed.lease(), status, null))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(simulation(claimed.simulation().id())).isEqualTo(claimed.simulation());
  }

  @Test
  void releaseMakesTheSimulationPendingAgainAndKeepsItsRecordedRounds() {
    store(TestBatches.builder("b1").rounds(2).build());
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round1 = TestBatches.round(claimed.simulation(), 1, 2);
    repository().recordRound(claimed.lease(), round1);

    assertThat(repository().release(claimed.lease())).isTrue();

    Simulation released = simulation(claimed.simulation().id());
    assertThat(released.status()).isEqualTo(SimulationStatus.PENDING);
    assertThat(released.turns()).containsExactlyElementsOf(round1.turns());
    assertThat(released.usage()).isEqualTo(round1.usage());
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(1, 0, 0, 0, 0));

    ClaimedSimulation resumed = claimOne("b1", "w2", LONG_LEASE);
    assertThat(resumed.simulation().turns()).containsExactlyElementsOf(round1.turns());
    assertThat(resumed.lastRecordedRound()).isEqualTo(1);
    assertThat(resumed.simulation().attempts()).isEqualTo(2);
  }

  @Test
  void unclaimGivesBackAnUnstartedSimulationWithItsClaimUndone() {
    store(TestBatches.pending("b1", 1));
    ClaimedSimulation first = claimOne("b1", "w1", LONG_LEASE);
    String id = first.simulation().id();

    assertThat(repository().unclaim(first.lease())).isTrue();

    Simulation unclaimed = simulation(id);
    assertThat(unclaimed.status()).isEqualTo(SimulationStatus.PENDING);
    assertThat(unclaimed.attempts()).as("attempts").isZero();
    assertThat(unclaimed.startedAt()).as("started at").isNull();
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(1, 0, 0, 0, 0));
    assertThat(repository().findLiveLeases("b1")).isEmpty();
    assertThat(repository().unclaim(first.lease())).as("the lease is no longer held").isFalse();

    // A simulation that ran before keeps that run: its attempt and when it first started.
    ClaimedSimulation ran = claimOne("b1", "w2", LONG_LEASE);
    assertThat(ran.simulation().attempts()).isEqualTo(1);
    assertThat(repository().release(ran.lease())).isTrue();
    Instant firstStarted = simulation(id).startedAt();
    assertThat(firstStarted).isNotNull();
    ClaimedSimulation claimedAhead = claimOne("b1", "w3", LONG_LEASE);
    assertThat(claimedAhead.simulation().attempts()).isEqualTo(2);

    assertThat(repository().unclaim(claimedAhead.lease())).isTrue();

    Simulation afterRun = simulation(id);
    assertThat(afterRun.status()).isEqualTo(SimulationStatus.PENDING);
    assertThat(afterRun.attempts()).as("attempts").isEqualTo(1);
    assertThat(afterRun.startedAt()).as("started at").isEqualTo(firstStarted);
    assertThat(claimOne("b1", "w4", LONG_LEASE).simulation().attempts()).isEqualTo(2);
  }

  // ---- cancelling and resuming ----

  @Test
  void cancelUnfinishedCancelsPendingAndRunningSimulationsAndCountsThem() {
    store(TestBatches.pending("b1", 5));
    store(TestBatches.pending("b2", 2));
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 3, LONG_LEASE);
    repository().finish(claimed.get(0).lease(), SimulationStatus.COMPLETED, null);
    RoundResult round1 = TestBatches.round(claimed.get(1).simulation(), 1, 2);
    repository().recordRound(claimed.get(1).lease(), round1);

    assertThat(repository().cancelUnfinished("b1")).isEqualTo(4);

    List<Simulation> after = simulations("b1");
    assertThat(after).extracting(Simulation::status).containsExactly(SimulationStatus.COMPLETED,
        SimulationStatus.CANCELLED, SimulationStatus.CANCELLED, SimulationStatus.CANCELLED,
        SimulationStatus.CANCELLED);
    assertThat(after.get(1).turns()).containsExactlyElementsOf(round1.turns());
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(0, 0, 1, 0, 4));
    assertThat(batch("b2").counts()).isEqualTo(new BatchCounts(2, 0, 0, 0, 0));
    assertThat(repository().claim("b1", "w2", 10, LONG_LEASE)).isEmpty();
    assertThat(repository().cancelUnfinished("b1")).isZero();
    assertThat(repository().cancelUnfinished("no-such-batch")).isZero();
  }

  @Test
  void requeueCancelledMakesCancelledSimulationsPendingAgainWithTheirRounds() {
    store(TestBatches.builder("b1").simulations(5).rounds(2).build());
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 2, LONG_LEASE);
    repository().finish(claimed.get(0).lease(), SimulationStatus.COMPLETED, null);
    RoundResult round1 = TestBatches.round(claimed.get(1).simulation(), 1, 2);
    repository().recordRound(claimed.get(1).lease(), round1);
    repository().cancelUnfinished("b1");

    assertThat(repository().requeueCancelled("b1")).isEqualTo(4);

    assertThat(simulations("b1")).extracting(Simulation::status).containsExactly(SimulationStatus.COMPLETED,
        SimulationStatus.PENDING, SimulationStatus.PENDING, SimulationStatus.PENDING, SimulationStatus.PENDING);
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(4, 0, 1, 0, 0));
    List<ClaimedSimulation> resumed = repository().claim("b1", "w2", 10, LONG_LEASE);
    assertThat(sequences(resumed)).containsExactly(2, 3, 4, 5);
    assertThat(resumed.get(0).simulation().turns()).containsExactlyElementsOf(round1.turns());
    assertThat(resumed.get(0).lastRecordedRound()).isEqualTo(1);
    assertThat(repository().requeueCancelled("b1")).isZero();
    assertThat(repository().requeueCancelled("no-such-batch")).isZero();
  }

  @Test
  void requeueFailedMakesFailedSimulationsPendingAgainAndKeepsEachFailureInTheirHistory() {
    store(TestBatches.builder("b1").simulations(3).rounds(2).build());
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 3, LONG_LEASE);
    repository().finish(claimed.get(0).lease(), SimulationStatus.COMPLETED, null);
    RoundResult round1 = TestBatches.round(claimed.get(1).simulation(), 1, 2);
    repository().recordRound(claimed.get(1).lease(), round1);
    repository().finish(claimed.get(1).lease(), SimulationStatus.FAILED, "round 2: refused", new TokenUsage(5, 1, 0));
    Simulation failed = simulation(claimed.get(1).simulation().id());
    repository().finish(claimed.get(2).lease(), SimulationStatus.FAILED, "round 1: refused");

    assertThat(repository().requeueFailed("b1")).isEqualTo(2);

    Simulation retried = simulation(failed.id());
    assertThat(retried.status()).isEqualTo(SimulationStatus.PENDING);
    assertThat(retried.error()).isNull();
    assertThat(retried.finishedAt()).isNull();
    assertThat(retried.attemptHistory()).singleElement().satisfies(a -> {
      assertThat(a.attempt()).isEqualTo(1);
      assertThat(a.error()).isEqualTo("round 2: refused");
      assertThat(a.finishedAt()).isEqualTo(failed.finishedAt());
    });
    assertThat(retried.usage()).as("what the failed run cost stays counted").isEqualTo(failed.usage());
    assertThat(retried.turns()).containsExactlyElementsOf(round1.turns());
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(2, 0, 1, 0, 0));
    assertThat(simulations("b1").get(0).attemptHistory()).as("the completed one is untouched").isEmpty();

    List<ClaimedSimulation> again = repository().claim("b1", "w2", 10, LONG_LEASE);
    assertThat(sequences(again)).containsExactly(2, 3);
    assertThat(again.get(0).lastRecordedRound()).isEqualTo(1);
    assertThat(again.get(0).simulation().attempts()).isEqualTo(2);
    repository().finish(again.get(0).lease(), SimulationStatus.FAILED, "round 2: refused again");
    assertThat(repository().requeueFailed("b1")).isEqualTo(1);
    assertThat(simulation(failed.id()).attemptHistory()).extracting(a -> a.attempt() + ": " + a.error())
        .containsExactly("1: round 2: refused", "2: round 2: refused again");
    assertThat(repository().requeueFailed("b1")).isZero();
    assertThat(repository().requeueFailed("no-such-batch")).isZero();
  }

  @Test
  void appendAttemptAddsToTheHistoryAndCountsTheRerunsCallsKeepingTheRecordedTurns() {
    store(TestBatches.builder("b1").simulations(1).rounds(2).build());
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round1 = TestBatches.round(claimed.simulation(), 1, 2);
    RoundResult round2 = TestBatches.round(claimed.simulation(), 2, 2);
    repository().recordRound(claimed.lease(), round1);
    repository().recordRound(claimed.lease(), round2);
    Simulation before = simulation(claimed.simulation().id());
    List<Turn> rerunTurns = List.of(new Turn(1, 1, "e1", "Name of e1", null, "I'm sorry, but I can't continue."));
    FailedAttempt setAside = new FailedAttempt(1, "rerun 1 was flagged refusal", Instant.parse("2026-02-03T04:05:06Z"),
        rerunTurns, List.of(QualityFlag.REFUSAL), 1, new TokenUsage(7, 3, 1, 1), 0.25);

    assertThat(repository().appendAttempt(claimed.lease(), setAside, null, new TokenUsage(7, 3, 1, 1), 0.25))
        .isTrue();

    Simulation after = simulation(claimed.simulation().id());
    assertThat(after.attemptHistory()).containsExactly(setAside);
    assertThat(after.turns()).as("the earlier attempt stays recorded").isEqualTo(before.turns());
    assertThat(after.status()).isEqualTo(SimulationStatus.RUNNING);
    assertThat(after.usage()).isEqualTo(before.usage().plus(new TokenUsage(7, 3, 1, 1)));
    assertThat(after.costUsd()).isCloseTo(before.costUsd() + 0.25, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(repository().finish(claimed.lease(), SimulationStatus.COMPLETED, null)).isTrue();
    assertThat(simulation(claimed.simulation().id()).attemptHistory()).containsExactly(setAside);
  }

  @Test
  void appendAttemptWithKeptTurnsReplacesTheRecordedRoundsAtomically() {
    store(TestBatches.builder("b1").simulations(1).rounds(2).build());
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    RoundResult round1 = TestBatches.round(claimed.simulation(), 1, 2);
    repository().recordRound(claimed.lease(), round1);
    repository().recordRound(claimed.lease(), TestBatches.round(claimed.simulation(), 2, 2));
    Simulation before = simulation(claimed.simulation().id());
    List<Turn> kept = new ArrayList<>();
    for (int turn = 1; turn <= 4; turn++) {
      kept.add(new Turn((turn + 1) / 2, turn, "e1", "Name of e1", null, "rerun turn " + turn));
    }
    FailedAttempt setAside = new FailedAttempt(1, "flagged refusal; rerun 1 had no flag and was kept", null,
        before.turns(), List.of(QualityFlag.REFUSAL), 1, before.usage(), before.costUsd());

    assertThat(repository().appendAttempt(claimed.lease(), setAside, kept, new TokenUsage(40, 20, 0, 2), null))
        .isTrue();

    Simulation after = simulation(claimed.simulation().id());
    assertThat(after.turns()).containsExactlyElementsOf(kept);
    assertThat(after.attemptHistory()).singleElement().satisfies(a -> {
      assertThat(a.turns()).containsExactlyElementsOf(before.turns());
      assertThat(a.flags()).containsExactly(QualityFlag.REFUSAL);
      assertThat(a.rerun()).isEqualTo(1);
    });
    assertThat(after.usage()).isEqualTo(before.usage().plus(new TokenUsage(40, 20, 0, 2)));
    assertThat(after.costUsd()).as("a rerun of unknown cost makes the cost unknown").isNull();
    assertThat(repository().recordRound(claimed.lease(), round1)).as("round 1 is recorded (by the rerun)").isTrue();
    assertThat(simulation(claimed.simulation().id()).turns()).as("so recording it again changes nothing")
        .containsExactlyElementsOf(kept);
    assertThat(repository().finish(claimed.lease(), SimulationStatus.COMPLETED, null)).isTrue();
    Simulation done = simulation(claimed.simulation().id());
    assertThat(done.content()).isEqualTo(Transcript.render(kept));
    assertThat(done.turnsSha256()).isEqualTo(TurnsDigest.ofTurns(kept));
  }

  @Test
  void appendAttemptWritesNothingWithoutTheLease() {
    store(TestBatches.builder("b1").simulations(1).rounds(1).build());
    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    repository().recordRound(claimed.lease(), TestBatches.round(claimed.simulation(), 1, 1));
    repository().release(claimed.lease());
    Simulation before = simulation(claimed.simulation().id());
    FailedAttempt setAside = new FailedAttempt(1, "rerun 1 failed: timeout", null, List.of(), List.of(), 1,
        new TokenUsage(1, 1, 0, 1), 0.0);

    assertThat(repository().appendAttempt(claimed.lease(), setAside, List.of(), new TokenUsage(1, 1, 0, 1), 0.0))
        .isFalse();

    Simulation after = simulation(claimed.simulation().id());
    assertThat(after.attemptHistory()).isEmpty();
    assertThat(after.turns()).isEqualTo(before.turns());
    assertThat(after.usage()).isEqualTo(before.usage());
  }

  @Test
  void recordOutcomesMergesValuesAddsUsageAndKeepsTheStatusOnlyUnderTheLease() {
    store(TestBatches.builder("b1").simulations(2).rounds(1).build());
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 2, LONG_LEASE);
    ClaimedSimulation first = claimed.get(0);
    RoundResult round = TestBatches.round(first.simulation(), 1, 2);
    repository().recordRound(first.lease(), round);
    OutcomeExtraction extraction = new OutcomeExtraction("extractor-1", "Answer with JSON: \"agreed\"…");
    Map<String, @Nullable Object> stance = new LinkedHashMap<>();
    stance.put("e1", "for");
    stance.put("e2", "against");
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    values.put("agreed", true);
    values.put("tone", 4);
    values.put("score", 2.5);
    values.put("stance", stance);

    assertThat(repository().recordOutcomes(first.lease(), new ExtractedOutcomes(values, null, extraction,
        new TokenUsage(30, 7, 2)))).isTrue();
    assertThat(repository().recordOutcomes(first.lease(), new ExtractedOutcomes(Map.of("tone", 5), null, extraction,
        new TokenUsage(1, 1, 0)))).isTrue();

    Simulation running = simulation(first.simulation().id());
    assertThat(running.status()).isEqualTo(SimulationStatus.RUNNING);
    values.put("tone", 5);
    assertThat(running.outcomes()).isEqualTo(values);
    assertThat(running.outcomeError()).isNull();
    assertThat(running.outcomeExtraction()).isEqualTo(extraction);
    assertThat(running.usage()).isEqualTo(round.usage().plus(new TokenUsage(31, 8, 2)));

    assertThat(repository().recordOutcomes(first.lease(), new ExtractedOutcomes(Map.of(), "the extraction call failed",
        extraction, new TokenUsage(3, 0, 0)))).isTrue();
    repository().finish(first.lease(), SimulationStatus.COMPLETED, null);
    Simulation done = simulation(first.simulation().id());
    assertThat(done.outcomes()).as("a failed extraction keeps the values there were").isEqualTo(values);
    assertThat(done.outcomeError()).isEqualTo("the extraction call failed");
    assertThat(done.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(batch("b1").usage()).isEqualTo(round.usage().plus(new TokenUsage(34, 8, 2)));

    assertThat(repository().recordOutcomes(first.lease(), new ExtractedOutcomes(Map.of("x", 1), null, extraction,
        TokenUsage.ZERO))).as("the lease ended with the finish").isFalse();
    assertThat(simulation(first.simulation().id()).outcomes()).doesNotContainKey("x");
  }

  @Test
  void requeueForOutcomesStoresTheDeclarationAndRequeuesOnlyCompletedSimulationsWithTheirValuesCleared() {
    store(TestBatches.builder("b1").simulations(3).rounds(1).build());
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 3, LONG_LEASE);
    OutcomeExtraction extraction = new OutcomeExtraction("m", "p");
    for (ClaimedSimulation c : claimed.subList(0, 2)) {
      repository().recordRound(c.lease(), TestBatches.round(c.simulation(), 1, 2));
      repository().recordOutcomes(c.lease(), new ExtractedOutcomes(Map.of("agreed", true, "tone", 3), null, extraction,
          new TokenUsage(10, 2, 0)));
      repository().finish(c.lease(), SimulationStatus.COMPLETED, null);
    }
    repository().finish(claimed.get(2).lease(), SimulationStatus.FAILED, "round 1: refused");
    Simulation before = simulation(claimed.get(0).simulation().id());
    BatchRequest declared = batch("b1").request().toBuilder().outcomes(List.of(
        DeclaredOutcome.bool("agreed", "Did they agree?"), DeclaredOutcome.integer("tone", "Tone?", 1, 5))).build();

    assertThat(repository().requeueForOutcomes("b1", declared, Set.of("tone"))).isEqualTo(2);

    assertThat(batch("b1").request()).isEqualTo(declared);
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(2, 0, 0, 1, 0));
    Simulation requeued = simulation(before.id());
    assertThat(requeued.status()).isEqualTo(SimulationStatus.PENDING);
    assertThat(requeued.outcomes()).isEqualTo(Map.of("agreed", true));
    assertThat(requeued.turns()).isEqualTo(before.turns());
    assertThat(requeued.usage()).isEqualTo(before.usage());
    assertThat(requeued.finishedAt()).isNull();
    List<ClaimedSimulation> again = repository().claim("b1", "w2", 10, LONG_LEASE);
    assertThat(sequences(again)).containsExactly(1, 2);
    assertThat(again.get(0).lastRecordedRound()).isEqualTo(1);

    for (ClaimedSimulation c : again) {
      repository().finish(c.lease(), SimulationStatus.COMPLETED, null);
    }
    assertThat(repository().requeueForOutcomes("b1", declared, null)).isEqualTo(2);
    assertThat(simulation(before.id()).outcomes()).as("null clears every value").isEmpty();
    assertThat(repository().requeueForOutcomes("no-such-batch", declared, null)).isZero();
  }

  @Test
  void recordFlagsShowsOnTheSimulationAndIsCountedPerFlagOnTheBatch() {
    store(TestBatches.builder("b1").simulations(3).rounds(1).build());
    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 3, LONG_LEASE);
    String first = claimed.get(0).simulation().id();
    String second = claimed.get(1).simulation().id();
    repository().recordFlags(first, List.of(QualityFlag.REPETITION, QualityFlag.REFUSAL, QualityFlag.REPETITION));
    repository().recordFlags(second, List.of(QualityFlag.REPETITION));
    repository().finish(claimed.get(0).lease(), SimulationStatus.COMPLETED, null);
    repository().finish(claimed.get(1).lease(), SimulationStatus.COMPLETED, null);

    assertThat(simulation(first).flags()).as("flag order, no repeats, kept by finish")
        .containsExactly(QualityFlag.REFUSAL, QualityFlag.REPETITION);
    assertThat(simulations("b1").get(2).flags()).isEmpty();
    assertThat(batch("b1").flagCounts()).containsExactly(
        Map.entry(QualityFlag.REFUSAL, 1L), Map.entry(QualityFlag.REPETITION, 2L));
    assertThat(repository().listBatches(0, 10)).singleElement()
        .satisfies(b -> assertThat(b.flagCounts()).containsEntry(QualityFlag.REPETITION, 2L));

    repository().recordFlags(first, List.of(QualityFlag.DUPLICATE_TRANSCRIPT));
    repository().recordFlags(second, List.of());
    repository().recordFlags("no-such-simulation", List.of(QualityFlag.REFUSAL));
    assertThat(simulation(first).flags()).containsExactly(QualityFlag.DUPLICATE_TRANSCRIPT);
    assertThat(simulation(second).flags()).isEmpty();
    assertThat(batch("b1").flagCounts()).containsExactly(Map.entry(QualityFlag.DUPLICATE_TRANSCRIPT, 1L));
  }

  @Test
  void recordFlagsOfManySimulationsReplacesEachOnesFlags() {
    store(TestBatches.builder("b1").simulations(3).rounds(1).build());
    List<Simulation> all = simulations("b1");
    repository().recordFlags(all.get(0).id(), List.of(QualityFlag.REFUSAL));
    repository().recordFlags(all.get(1).id(), List.of(QualityFlag.REPETITION));
    Map<String, List<QualityFlag>> changes = new LinkedHashMap<>();
    changes.put(all.get(0).id(), List.of(QualityFlag.DUPLICATE_TRANSCRIPT, QualityFlag.REFUSAL));
    changes.put(all.get(1).id(), List.of());
    changes.put("no-such-simulation", List.of(QualityFlag.REFUSAL));

    repository().recordFlags(changes);

    assertThat(simulation(all.get(0).id()).flags()).as("flag order")
        .containsExactly(QualityFlag.REFUSAL, QualityFlag.DUPLICATE_TRANSCRIPT);
    assertThat(simulation(all.get(1).id()).flags()).as("an empty list clears them").isEmpty();
    assertThat(simulation(all.get(2).id()).flags()).as("a simulation not named keeps its flags").isEmpty();
    assertThat(batch("b1").flagCounts()).containsExactly(
        Map.entry(QualityFlag.REFUSAL, 1L), Map.entry(QualityFlag.DUPLICATE_TRANSCRIPT, 1L));
  }

  @Test
  void thePlannedModelOfASimulationIsKeptThroughClaimRoundsAndFinish() {
    TestBatch planned = TestBatches.pending("b1", 2);
    List<Simulation> named = List.of(planned.simulations().get(0).withPlannedModel("alpha"),
        planned.simulations().get(1));
    store(new TestBatch(planned.batch(), named));
    assertThat(simulation(named.get(0).id()).plannedModel()).isEqualTo("alpha");
    assertThat(simulation(named.get(1).id()).plannedModel()).isNull();

    ClaimedSimulation claimed = claimOne("b1", "w1", LONG_LEASE);
    assertThat(claimed.simulation().plannedModel()).isEqualTo("alpha");
    repository().recordRound(claimed.lease(), TestBatches.round(claimed.simulation(), 1, 2));
    repository().finish(claimed.lease(), SimulationStatus.COMPLETED, null);

    Simulation finished = simulation(claimed.simulation().id());
    assertThat(finished.plannedModel()).isEqualTo("alpha");
    assertThat(finished.modelName()).isEqualTo("alpha");
  }

  @Test
  void claimLeavesOutTheExcludedModelsAndTakesTheRestInSequenceOrder() {
    store(plannedFor("b1", "alpha", "beta", null, "alpha", "beta", "gamma", "alpha", "beta"));

    // A simulation planned for no model is never excluded; a model no simulation has changes nothing.
    assertThat(sequences(repository().claim("b1", "w1", 4, LONG_LEASE, Set.of("alpha", "nope"))))
        .containsExactly(2, 3, 5, 6);
    assertThat(sequences(repository().claim("b1", "w1", 10, LONG_LEASE, Set.of("alpha")))).containsExactly(8);
    assertThat(repository().claim("b1", "w1", 10, LONG_LEASE, Set.of("alpha"))).isEmpty();
    // The excluded ones were not skipped: once their model is no longer excluded they come, in order.
    assertThat(sequences(repository().claim("b1", "w2", 2, LONG_LEASE, Set.of()))).containsExactly(1, 4);
    assertThat(sequences(repository().claim("b1", "w2", 10, LONG_LEASE))).containsExactly(7);
    assertThat(batch("b1").counts()).isEqualTo(new BatchCounts(0, 8, 0, 0, 0));
  }

  @Test
  void claimExcludingSeveralModelsTakesOnlyTheOthers() {
    store(plannedFor("b1", "alpha", "beta", "gamma", "alpha", "beta", "gamma"));

    List<ClaimedSimulation> claimed = repository().claim("b1", "w1", 10, LONG_LEASE, Set.of("alpha", "gamma"));

    assertThat(sequences(claimed)).containsExactly(2, 5);
    assertThat(claimed).allSatisfy(c -> assertThat(c.simulation().plannedModel()).isEqualTo("beta"));
    assertThat(repository().claim("b1", "w1", 10, LONG_LEASE, Set.of("alpha", "beta", "gamma"))).isEmpty();
  }

  @Test
  void claimLeavesOutExpiredLeasesOfExcludedModelsUntilTheirModelIsClaimedAgain() throws InterruptedException {
    store(plannedFor("b1", "alpha", "beta", "alpha"));
    repository().claim("b1", "w1", 3, SHORT_LEASE);
    waitForLeasesToExpire();

    assertThat(sequences(repository().claim("b1", "w2", 10, LONG_LEASE, Set.of("alpha")))).containsExactly(2);
    List<ClaimedSimulation> alpha = repository().claim("b1", "w3", 10, LONG_LEASE, Set.of("beta"));
    assertThat(sequences(alpha)).containsExactly(1, 3);
    assertThat(alpha).allSatisfy(c -> assertThat(c.simulation().attempts()).isEqualTo(2));
  }

  /** A pending batch whose simulation i (from 1) is planned for {@code models[i - 1]} (null: none). */
  private static TestBatch plannedFor(String batchId, @Nullable String... models) {
    TestBatch plain = TestBatches.pending(batchId, models.length);
    List<Simulation> planned = new ArrayList<>();
    for (int i = 0; i < models.length; i++) {
      Simulation s = plain.simulations().get(i);
      String model = models[i];
      planned.add(model == null ? s : s.withPlannedModel(model));
    }
    return new TestBatch(plain.batch(), planned);
  }

  // ---- helpers ----

  /** Stores the test batch in the repository under test. */
  private TestBatch store(TestBatch batch) {
    return batch.storeIn(repository());
  }

  private Batch batch(String id) {
    return repository().findBatch(id).orElseThrow(() -> new AssertionError("batch " + id + " not found"));
  }

  private Simulation simulation(String id) {
    return repository().findSimulation(id).orElseThrow(() -> new AssertionError("simulation " + id + " not found"));
  }

  private List<Simulation> simulations(String batchId) {
    List<Simulation> out = new ArrayList<>();
    repository().forEachSimulation(batchId, out::add);
    return out;
  }

  private ClaimedSimulation claimOne(String batchId, String owner, Duration lease) {
    List<ClaimedSimulation> claimed = repository().claim(batchId, owner, 1, lease);
    assertThat(claimed).as("claim of one simulation of %s by %s", batchId, owner).hasSize(1);
    return claimed.get(0);
  }

  private List<ClaimedSimulation> claimPage(String worker) {
    return repository().claim("b1", worker, 7, LONG_LEASE);
  }

  /**
   * Waits until every 1 ms lease claimed so far has expired by the store's clock. Time passing on
   * that clock is what these tests are about, and the port offers no clock to move (JDBC stores read
   * the database's), so a probe tells: a simulation of a batch of its own, claimed now with the same
   * lease, is listed as live until then.
   */
  private void waitForLeasesToExpire() {
    String probe = "lease-clock-probe-" + leaseProbes++;
    store(TestBatches.pending(probe, 1));
    claimOne(probe, "probe", SHORT_LEASE);
    await("a 1 ms lease to expire by the store's clock").atMost(leaseExpiryWait())
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
        .until(() -> repository().findLiveLeases(probe).isEmpty());
  }

  private void assertRecent(@Nullable Instant instant) {
    assertThat(instant).isNotNull()
        .isBetween(testStart.minus(clockTolerance()), Instant.now().plus(clockTolerance()));
  }

  /** Runs {@code task} on {@code threads} threads started together; returns their results. */
  private static <T> List<T> runConcurrently(int threads, WorkerTask<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String worker = "worker-" + i;
        Callable<T> call = () -> {
          start.await();
          return task.run(worker);
        };
        futures.add(pool.submit(call));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(2, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One concurrent worker's job. */
  @FunctionalInterface
  private interface WorkerTask<T> {
    T run(String worker) throws Exception;
  }

  private static List<String> ids(List<Batch> batches) {
    return batches.stream().map(Batch::id).toList();
  }

  private static List<Integer> sequences(List<ClaimedSimulation> claimed) {
    return claimed.stream().map(c -> c.simulation().sequenceNumber()).toList();
  }

  private static List<Turn> concat(List<Turn> a, List<Turn> b) {
    List<Turn> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static Simulation withId(Simulation s, String id) {
    return new Simulation(id, s.batchId(), s.sequenceNumber(), s.entityIds(), s.speakingOrder(), s.status(),
        s.turns(), s.error(), s.attempts(), s.usage(), s.model(), s.finalTurnNumber(), s.createdAt(),
        s.startedAt(), s.finishedAt());
  }
}
