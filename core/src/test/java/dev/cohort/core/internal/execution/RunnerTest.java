package dev.cohort.core.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.port.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runner driven directly: a scripted model, an in-memory work queue whose leases expire on a
 * fake clock, and the heartbeat ticked by hand. Nothing here sleeps; waits are on latches or on the
 * run's end, each with a deadline.
 */
class RunnerTest {
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore(clock);
  private final ScriptedModel model = new ScriptedModel();
  private final List<Duration> backoffs = new CopyOnWriteArrayList<>();
  private final AtomicInteger batchesFinished = new AtomicInteger();
  private final List<Simulation> completed = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Batch> started = new LinkedBlockingQueue<>();
  private final List<Runner> runners = new ArrayList<>();

  @AfterEach
  void closeRunners() {
    model.unblock();
    runners.forEach(Runner::close);
  }

  private Runner runner(int maxInFlight) {
    ModelCaller caller = new ModelCaller(model, CallGate.OPEN, new RetryPolicy(3, () -> 0.0), backoffs::add);
    SimulationEngine engine = new SimulationEngine(caller, 0, 100_000);
    ProgressListener listener = new ProgressListener() {
      @Override
      public void batchStarted(Batch batch) {
        started.add(batch);
      }

      @Override
      public void batchFinished(Batch batch) {
        batchesFinished.incrementAndGet();
      }

      @Override
      public void simulationCompleted(Simulation simulation) {
        completed.add(simulation);
      }
    };
    AtomicReference<Runner> self = new AtomicReference<>();
    BatchCancellation cancellation = new BatchCancellation(store, store, id -> self.get().active(id));
    Runner runner = new Runner(store, store, cancellation, engine, new OutcomeExtractor(caller, 0), listener,
        new RunnerSettings("w1", maxInFlight, LEASE, Duration.ofMillis(5)), null, clock, Ticker.SYSTEM);
    self.set(runner);
    runners.add(runner);
    return runner;
  }

  private Batch batch(String id) {
    return store.findBatch(id).orElseThrow();
  }

  @Test
  void claimsRunsAndFinishesEverySimulation() {
    String id = Fixtures.plantBatch(store, clock, "b1", 3);

    BatchRun run = runner(2).start(id, false);

    assertThat(run.awaitDone(DEADLINE)).isTrue();
    assertThat(batch(id).status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch(id).counts().completed()).isEqualTo(3);
    assertThat(store.leased(id)).isZero();
    assertThat(run.endings()).isEqualTo(Map.of(TaskState.COMPLETED, 3));
    assertThat(batchesFinished).hasValue(1);
    List<Simulation> stored = new ArrayList<>();
    store.forEachSimulation(id, stored::add);
    assertThat(stored).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED);
      assertThat(s.turns()).hasSize(1);
      assertThat(s.attempts()).isEqualTo(1);
    });
    // The completion events carry the injected clock's time, not the system's.
    assertThat(completed).hasSize(3).allSatisfy(s -> assertThat(s.finishedAt()).isEqualTo(clock.instant()));
  }

  @ParameterizedTest(name = "resuming: {0}")
  @ValueSource(booleans = {false, true})
  void aBatchStaysPendingUntilOneOfItsSimulationsIsClaimed(boolean resuming) throws Exception {
    String busy = Fixtures.plantBatch(store, clock, "busy", 1);
    String waiting = Fixtures.plantBatch(store, clock, "waiting", 2);
    model.then(ScriptedModel.block());
    var entered = model.expectBlocked(1);
    Runner runner = runner(1);
    runner.start(busy, false);
    assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    // The only slot is taken: the waiting batch's run starts but cannot claim anything yet.
    BatchRun run = runner.start(waiting, resuming);
    assertThat(started.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS)).extracting(Batch::id).isEqualTo(busy);
    assertThat(started.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS)).extracting(Batch::id).isEqualTo(waiting);
    assertThat(batch(waiting).status()).as("nothing of it claimed yet").isEqualTo(BatchStatus.PENDING);
    assertThat(batch(waiting).startedAt()).isNull();

    clock.advance(Duration.ofSeconds(5));
    model.unblock();
    assertThat(run.awaitDone(DEADLINE)).isTrue();
    assertThat(batch(waiting).status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch(waiting).startedAt()).as("set by the first claim").isEqualTo(clock.instant());
  }

  @Test
  void aRetryableFailureIsRetriedAndTheSimulationSucceeds() {
    String id = Fixtures.plantBatch(store, clock, "b1", 1);
    model.then(ScriptedModel.fail(new RetryableLlmException("HTTP 503")), ScriptedModel.answer());

    BatchRun run = runner(1).start(id, false);

    assertThat(run.awaitDone(DEADLINE)).isTrue();
    assertThat(batch(id).status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(model.calls()).isEqualTo(2);
    assertThat(backoffs).hasSize(1);
    Simulation s = store.findSimulation("b1-s1").orElseThrow();
    assertThat(s.attempts()).as("retried within one claim").isEqualTo(1);
    assertThat(run.endings()).isEqualTo(Map.of(TaskState.COMPLETED, 1));
  }

  @Test
  void aFailedSimulationShowsWhatItsRejectedAnswersCost() {
    String id = Fixtures.plantBatch(store, clock, "b1", 2);
    model.then(ScriptedModel.unusable());

    BatchRun run = runner(1).start(id, false);

    assertThat(run.awaitDone(DEADLINE)).isTrue();
    Simulation failed = store.findSimulation("b1-s1").orElseThrow();
    assertThat(failed.status()).isEqualTo(SimulationStatus.FAILED);
    assertThat(failed.usage()).as("the rejected answer was paid for").isEqualTo(new TokenUsage(10, 5, 0, 1));
    assertThat(batch(id).status()).isEqualTo(BatchStatus.PARTIAL);
    assertThat(batch(id).usage()).as("both calls").isEqualTo(new TokenUsage(20, 10, 0, 2));
  }

  @Test
  void aBatchFatalErrorStopsTheBatchOnceAndGivesEverythingBack() {
    String id = Fixtures.plantBatch(store, clock, "b1", 6);
    BatchFatalLlmException fatal = new BatchFatalLlmException("HTTP 401: invalid API key");
    model.then(ScriptedModel.fail(fatal), ScriptedModel.fail(fatal), ScriptedModel.fail(fatal));

    BatchRun run = runner(3).start(id, false);

    assertThat(run.awaitDone(DEADLINE)).isTrue();
    Batch failed = batch(id);
    assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(failed.error()).contains("invalid API key");
    assertThat(batchesFinished).as("the batch ends once, however many tasks met the error").hasValue(1);
    assertThat(failed.counts().completed()).isZero();
    assertThat(failed.counts().pending()).as("every claimed simulation was given back").isEqualTo(6);
    assertThat(store.leased(id)).isZero();
    assertThat(model.calls()).as("no simulation starts after the stop").isLessThanOrEqualTo(3);
    assertThat(run.endings()).containsOnlyKeys(TaskState.GIVEN_BACK);
  }

  @Test
  void cancellingWhileSimulationsRunSettlesTheirLeasesAsCancelled() throws Exception {
    String id = Fixtures.plantBatch(store, clock, "b1", 4);
    model.then(ScriptedModel.block(), ScriptedModel.block());
    var entered = model.expectBlocked(2);
    Runner runner = runner(2);
    BatchRun run = runner.start(id, false);
    assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    // The count cancel returns may be the coordinator's (it records the cancel again as it ends),
    // so the store, not the count, says what happened.
    runner.cancellation.cancel(id);

    assertThat(run.isDone()).as("cancel returns once the run has stopped").isTrue();
    assertThat(batch(id).status()).isEqualTo(BatchStatus.CANCELLED);
    assertThat(batch(id).counts().cancelled()).isEqualTo(4);
    assertThat(store.leased(id)).isZero();
    assertThat(store.releases()).as("a cancelled simulation is not given back").isZero();
    assertThat(run.endings()).isEqualTo(Map.of(TaskState.CANCELLED, 2));
    assertThat(runner.active(id)).isEmpty();
  }

  @Test
  void theHeartbeatRenewsLeasesOnTheInjectedClockAndStopsASimulationWhoseLeaseWasTaken() throws Exception {
    String id = Fixtures.plantBatch(store, clock, "b1", 1);
    model.then(ScriptedModel.block());
    var entered = model.expectBlocked(1);
    Runner runner = runner(1);
    BatchRun run = runner.start(id, false);
    assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    clock.advance(Duration.ofSeconds(40));
    runner.renewLeases();
    clock.advance(Duration.ofSeconds(40));
    assertThat(store.claim(id, "w2", 1, LEASE))
        .as("80 s after the claim, the lease renewed at 40 s still holds").isEmpty();

    clock.advance(Duration.ofSeconds(30));
    assertThat(store.claim(id, "w2", 1, LEASE))
        .as("without renewal the lease expires and another worker takes the simulation").hasSize(1);
    runner.renewLeases();

    assertThat(awaitEnding(run, TaskState.LOST)).as("the lost lease stopped the task here").isTrue();
    assertThat(store.findSimulation("b1-s1").orElseThrow().status()).isEqualTo(SimulationStatus.RUNNING);
    assertThat(store.releases()).as("w1 could not give back what w2 now holds").isZero();
  }

  /** Waits until one of the run's tasks has ended as {@code state}, up to the deadline. */
  private static boolean awaitEnding(BatchRun run, TaskState state) throws InterruptedException {
    long until = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < until) {
      if (run.endings().containsKey(state)) {
        return true;
      }
      run.awaitDone(Duration.ofMillis(10));
    }
    return false;
  }
}
