package dev.cohort.core.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.execution.BatchRun.TaskState;
import dev.cohort.core.internal.outcome.OutcomeExtractor;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.port.Ticker;
import dev.cohort.core.port.WorkQueue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Claims in pages: a coordinator claims its free slots plus a refill of its buffer, hands freed
 * slots buffered simulations without a claim, renews the buffered leases with the running ones and
 * gives them back (or leaves them to the cancel) when the run stops. The model answers only when the
 * test lets it, so slots free exactly when the test says; claims are counted through a {@link
 * WorkQueue} that wraps the in-memory store. No timing is asserted.
 */
class ClaimBufferRunTest {
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore(clock);
  private final GatedModel model = new GatedModel();
  private final AtomicInteger completed = new AtomicInteger();
  /** Every claim's asked size and returned size, in order. */
  private final List<int[]> claims = new ArrayList<>();
  private final List<Runner> runners = new ArrayList<>();
  /** When set, each claim waits for it before it reaches the store (a claim slow as on SQLite). */
  private volatile @Nullable CountDownLatch claimGate;
  /** How many claims have waited at {@link #claimGate}. */
  private final AtomicInteger claimsHeld = new AtomicInteger();

  @AfterEach
  void closeRunners() {
    CountDownLatch gate = claimGate;
    if (gate != null) {
      gate.countDown();
    }
    model.answers.release(10_000);
    runners.forEach(Runner::close);
  }

  @Test
  void aClaimTakesTheFreeSlotsPlusAPageAndClaimsPerSimulationFall() {
    String id = Fixtures.plantBatch(store, clock, "b1", 64);
    Runner runner = runner(16);
    BatchRun run = runner.start(id, false);
    awaitCalls(16);

    // 16 running and a buffer of a quarter of the slots: 4 more claimed, not started.
    assertThat(claimsSoFar().get(0)).containsExactly(20, 20);
    assertThat(store.leased(id)).isEqualTo(20);

    // Slots free one at a time, as against a model of steady latency.
    for (int done = 1; done <= 64; done++) {
      model.answers.release();
      int expected = done;
      await().atMost(DEADLINE).until(() -> completed.get() >= expected);
    }
    assertThat(run.awaitDone(DEADLINE)).isTrue();

    assertThat(store.findBatch(id).orElseThrow().status()).isEqualTo(BatchStatus.COMPLETED);
    List<Simulation> stored = new ArrayList<>();
    store.forEachSimulation(id, stored::add);
    assertThat(stored).allSatisfy(s -> assertThat(s.attempts()).as("claimed once").isEqualTo(1));
    long withWork = claimsSoFar().stream().filter(c -> c[1] > 0).count();
    // One claim per simulation before (a slot freed, a claim of one); now one per freed half of
    // the buffer: 1 first claim of 20, then one of 3 for every 3 freed slots (44 / 3).
    assertThat(withWork).as("claims that returned work, for 64 simulations").isLessThanOrEqualTo(17);
    assertThat(claimsSoFar().stream().mapToInt(c -> c[1]).sum()).isEqualTo(64);
  }

  @Test
  void aSlotFreedWhileTheCoordinatorClaimsGoesToABufferedSimulationAtOnce() {
    String id = Fixtures.plantBatch(store, clock, "b1", 40);
    Runner runner = runner(16);
    BatchRun run = runner.start(id, false);
    awaitCalls(16);
    CountDownLatch gate = new CountDownLatch(1);
    claimGate = gate;

    // 16 running, 4 buffered: three slots free, three buffered ones start, and the buffer, below
    // half, is refilled by a claim that now waits.
    model.answers.release(3);
    await().atMost(DEADLINE).until(() -> claimsHeld.get() == 1);
    awaitCalls(19);

    // A slot frees while the coordinator is still in that claim: the last buffered one starts
    // without waiting for the claim to end.
    model.answers.release();
    awaitCalls(20);
    assertThat(claimsHeld.get()).as("the claim still waits").isEqualTo(1);
    assertThat(gate.getCount()).isEqualTo(1);

    claimGate = null;
    gate.countDown();
    model.answers.release(10_000);
    assertThat(run.awaitDone(DEADLINE)).isTrue();
    assertThat(store.findBatch(id).orElseThrow().status()).isEqualTo(BatchStatus.COMPLETED);
    List<Simulation> stored = new ArrayList<>();
    store.forEachSimulation(id, stored::add);
    assertThat(stored).allSatisfy(s -> assertThat(s.attempts()).as("claimed once").isEqualTo(1));
  }

  @Test
  void closingTheRunnerGivesBackTheBufferedSimulations() {
    String id = Fixtures.plantBatch(store, clock, "b1", 20);
    Runner runner = runner(8);
    BatchRun run = runner.start(id, false);
    awaitCalls(8);
    assertThat(store.leased(id)).as("8 running, 2 buffered").isEqualTo(10);

    runner.close();

    assertThat(run.awaitDone(DEADLINE)).isTrue();
    assertThat(store.leased(id)).isZero();
    assertThat(store.releases()).as("the 8 running, given back").isEqualTo(8);
    assertThat(store.unclaims()).as("the 2 buffered, given back with their claims undone").isEqualTo(2);
    assertThat(run.endings()).isEqualTo(Map.of(TaskState.GIVEN_BACK, 8));
    List<Simulation> stored = new ArrayList<>();
    store.forEachSimulation(id, stored::add);
    assertThat(stored).allSatisfy(s -> assertThat(s.status()).isEqualTo(SimulationStatus.PENDING));
    // The 8 that ran keep their attempt; the 2 buffered and the 10 never claimed have none.
    assertThat(stored).filteredOn(s -> s.attempts() == 1).hasSize(8);
    assertThat(stored).filteredOn(s -> s.attempts() == 0).hasSize(12)
        .allSatisfy(s -> assertThat(s.startedAt()).isNull());
  }

  @Test
  void cancellingTheBatchCancelsTheBufferedSimulationsWithoutGivingThemBack() {
    String id = Fixtures.plantBatch(store, clock, "b1", 20);
    Runner runner = runner(8);
    BatchRun run = runner.start(id, false);
    awaitCalls(8);

    runner.cancellation.cancel(id);

    assertThat(run.isDone()).isTrue();
    Batch batch = store.findBatch(id).orElseThrow();
    assertThat(batch.status()).isEqualTo(BatchStatus.CANCELLED);
    assertThat(batch.counts().cancelled()).isEqualTo(20);
    assertThat(store.leased(id)).isZero();
    assertThat(store.releases()).as("a cancelled simulation is not given back").isZero();
  }

  @Test
  void theHeartbeatRenewsTheBufferedLeasesAndDropsALostOne() {
    String id = Fixtures.plantBatch(store, clock, "b1", 20);
    Runner runner = runner(8);
    BatchRun run = runner.start(id, false);
    awaitCalls(8);
    assertThat(run.leases()).as("8 running, 2 buffered").hasSize(10);

    clock.advance(Duration.ofSeconds(40));
    runner.renewLeases();
    clock.advance(Duration.ofSeconds(40));
    // 80 s after the claim: the buffered simulations' leases, renewed at 40 s, still hold.
    assertThat(store.claim(id, "w2", 20, LEASE)).extracting(c -> c.simulation().sequenceNumber())
        .containsExactlyElementsOf(range(11, 20));

    clock.advance(Duration.ofSeconds(30));
    // Not renewed since: every lease of w1 expired and w2 takes them, the buffered ones too.
    assertThat(store.claim(id, "w2", 20, LEASE)).extracting(c -> c.simulation().sequenceNumber())
        .containsExactlyElementsOf(range(1, 10));
    runner.renewLeases();

    await().atMost(DEADLINE).until(() -> run.endings().equals(Map.of(TaskState.LOST, 8)));
    await().atMost(DEADLINE).until(() -> run.leases().isEmpty());
    assertThat(model.calls).as("the lost buffered simulations were not started").hasValue(8);
    model.answers.release(100);
    assertThat(store.leased(id)).as("w2 holds all 20").isEqualTo(20);
    assertThat(store.releases()).as("w1 gave back nothing w2 holds").isZero();
  }

  @Test
  void aClaimThatFindsNothingWaitsLongerEachTimeUpToItsCeiling() {
    ClaimBackoff backoff = new ClaimBackoff(Duration.ofMillis(100), Duration.ofSeconds(60));

    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      waits.add(backoff.afterEmptyClaim());
    }
    backoff.reset();

    assertThat(waits).extracting(Duration::toMillis).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
    assertThat(backoff.afterEmptyClaim()).as("work came back").isEqualTo(Duration.ofMillis(100));
    ClaimBackoff shortLease = new ClaimBackoff(Duration.ofMillis(100), Duration.ofMillis(900));
    shortLease.afterEmptyClaim();
    shortLease.afterEmptyClaim();
    assertThat(shortLease.afterEmptyClaim()).as("a third of the lease at most").isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void theBufferIsAQuarterOfTheSlotsAtMost64AndNoneWithModelLimits() {
    assertThat(ClaimBuffer.boundFor(50, false)).isEqualTo(12);
    assertThat(ClaimBuffer.boundFor(3, false)).isZero();
    assertThat(ClaimBuffer.boundFor(1000, false)).isEqualTo(64);
    assertThat(ClaimBuffer.boundFor(1000, true)).isZero();
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      numbers.add(i);
    }
    return numbers;
  }

  private List<int[]> claimsSoFar() {
    synchronized (claims) {
      return new ArrayList<>(claims);
    }
  }

  private void awaitCalls(int n) {
    await().atMost(DEADLINE).until(() -> model.calls.get() >= n);
  }

  /** The in-memory store as a work queue that records every claim's asked and returned size. */
  private WorkQueue countingQueue() {
    return (WorkQueue) Proxy.newProxyInstance(WorkQueue.class.getClassLoader(), new Class<?>[] {WorkQueue.class},
        (proxy, method, args) -> {
          CountDownLatch gate = claimGate;
          if (gate != null && method.getName().equals("claim")) {
            claimsHeld.incrementAndGet();
            if (!gate.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
              throw new IllegalStateException("a claim was held past the deadline");
            }
          }
          Object result;
          try {
            result = method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("claim")) {
            synchronized (claims) {
              claims.add(new int[] {(Integer) args[2], ((List<?>) result).size()});
            }
          }
          return result;
        });
  }

  private Runner runner(int maxInFlight) {
    ModelCaller caller = new ModelCaller(model, CallGate.OPEN, new RetryPolicy(3, () -> 0.0), d -> { });
    SimulationEngine engine = new SimulationEngine(caller, 0, 100_000);
    ProgressListener listener = new ProgressListener() {
      @Override
      public void simulationCompleted(Simulation simulation) {
        completed.incrementAndGet();
      }
    };
    AtomicReference<Runner> self = new AtomicReference<>();
    BatchCancellation cancellation = new BatchCancellation(store, store, id -> self.get().active(id));
    Runner runner = new Runner(countingQueue(), store, cancellation, engine, new OutcomeExtractor(caller, 0), listener,
        new RunnerSettings("w1", maxInFlight, LEASE, Duration.ofMillis(5)), null, clock, Ticker.SYSTEM);
    self.set(runner);
    runners.add(runner);
    return runner;
  }

  /** A model that answers one call per permit the test releases; a call waits for its permit. */
  private static final class GatedModel implements LlmPort {
    final Semaphore answers = new Semaphore(0);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ChatResponse chat(ChatRequest request) {
      int n = calls.incrementAndGet();
      try {
        if (!answers.tryAcquire(1, TimeUnit.MINUTES)) {
          throw new IllegalStateException("a model call was never let through");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RetryableLlmException("interrupted while waiting for the model");
      }
      return ChatResponse.of("{\"turns\":[{\"speaker\":\"" + Fixtures.SPEAKER + "\",\"text\":\"Line " + n + ".\"}]}",
          new TokenUsage(10, 5, 0));
    }
  }
}
