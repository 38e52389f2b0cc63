package dev.cohort.core.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.ModelCallers;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.outcome.OutcomeExtractor;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.Ticker;
import dev.cohort.core.spend.PriceTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner with a model that has an in-flight limit of its own: model a's calls hang, and its
 * simulations hold no more than a's slots, so model b's run to the end meanwhile; a's are not
 * skipped, only postponed.
 */
class ModelSlotsRunTest {
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore(clock);
  private final ScriptedModel hanging = new ScriptedModel();
  private final ScriptedModel answering = new ScriptedModel();
  private final List<Runner> runners = new ArrayList<>();

  @AfterEach
  void closeRunners() {
    hanging.unblock();
    runners.forEach(Runner::close);
  }

  @Test
  void aModelWhoseCallsHangHoldsOnlyItsOwnSlotsAndTheOtherModelsSimulationsAllRun() throws Exception {
    // 12 simulations, odd sequence numbers on a, even on b; 4 global slots, 2 of them at most for a.
    String id = Fixtures.plantBatch(store, clock, "b1", 12, b -> b.models("a", "b"));
    store.plan(id, s -> s.withPlannedModel(s.sequenceNumber() % 2 == 1 ? "a" : "b"));
    for (int i = 0; i < 6; i++) {
      hanging.then(ScriptedModel.block());
    }
    CountDownLatch aHangs = hanging.expectBlocked(2);
    CountDownLatch bDone = new CountDownLatch(6);

    BatchRun run = runner(4, Map.of("a", 2), bDone).start(id, false);

    assertThat(aHangs.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    // Without a's limit, a's hanging simulations would take all 4 slots and b's would wait for them.
    assertThat(bDone.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("b's simulations completed").isTrue();
    assertThat(hanging.calls()).as("a's calls while it hangs").isEqualTo(2);
    assertThat(answering.calls()).isEqualTo(6);

    hanging.unblock();
    assertThat(run.awaitDone(DEADLINE)).isTrue();
    Batch batch = store.findBatch(id).orElseThrow();
    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.counts().completed()).isEqualTo(12);
    assertThat(hanging.calls()).isEqualTo(6);
  }

  private Runner runner(int maxInFlight, Map<String, Integer> modelLimits, CountDownLatch bDone) {
    ModelCaller a = new ModelCaller(hanging, CallGate.OPEN, new RetryPolicy(3, () -> 0.0), d -> {});
    ModelCaller b = new ModelCaller(answering, CallGate.OPEN, new RetryPolicy(3, () -> 0.0), d -> {});
    ModelCallers callers = ModelCallers.of(b, Map.of("a", a, "b", b));
    SimulationEngine engine = new SimulationEngine(callers, 0, 100_000, PriceTable.builtIn());
    ProgressListener listener = new ProgressListener() {
      @Override
      public void simulationCompleted(Simulation simulation) {
        if (simulation.sequenceNumber() % 2 == 0) {
          bDone.countDown();
        }
      }
    };
    AtomicReference<Runner> self = new AtomicReference<>();
    BatchCancellation cancellation = new BatchCancellation(store, store, batchId -> self.get().active(batchId));
    Runner runner = new Runner(store, store, cancellation, engine, new OutcomeExtractor(callers, 0), listener,
        new RunnerSettings("w1", maxInFlight, LEASE, Duration.ofMillis(5), modelLimits), null, clock, Ticker.SYSTEM);
    self.set(runner);
    runners.add(runner);
    return runner;
  }
}
