package dev.cohort.core.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.outcome.OutcomeExtractor;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner flags each completed simulation and, when the batch ends, its duplicate transcripts. */
class QualityFlagsRunTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String SAME = "I think the library should stay open until midnight during exams, because"
      + " the students have nowhere else to work quietly and the cafes close at nine.";

  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore(clock);
  private final ScriptedModel model = new ScriptedModel();
  private final List<Simulation> completed = new CopyOnWriteArrayList<>();
  private Runner runner = newRunner();

  @AfterEach
  void close() {
    runner.close();
  }

  @Test
  void flagsEachCompletedSimulationAndTheDuplicatesWhenTheBatchEnds() {
    String id = Fixtures.plantBatch(store, clock, "b1", 5);
    model.then(
        answer("I'm sorry, but I can't continue this conversation.", "stop"),
        // Cut off at the token limit, not JSON: accepted by the "Name: text" fallback.
        m -> new ChatResponse("Ada: We could open the reading room on Sundays, if the council pays for the",
            new TokenUsage(10, 5, 0), "length", null, null, null),
        answer(SAME, "stop"),
        answer("The new shelves by the window are a waste of money when the roof still leaks in the archive.",
            "stop"),
        answer(SAME, "stop"));

    BatchRun run = runner.start(id, false);

    assertThat(run.awaitDone(DEADLINE)).isTrue();
    assertThat(store.findBatch(id).orElseThrow().status()).isEqualTo(BatchStatus.COMPLETED);
    List<Simulation> stored = new ArrayList<>();
    store.forEachSimulation(id, stored::add);
    assertThat(stored).extracting(Simulation::flags).containsExactly(
        List.of(QualityFlag.REFUSAL),
        List.of(QualityFlag.TRUNCATED),
        List.of(QualityFlag.DUPLICATE_TRANSCRIPT),
        List.of(),
        List.of(QualityFlag.DUPLICATE_TRANSCRIPT));
    assertThat(store.findBatch(id).orElseThrow().flagCounts()).containsExactly(
        Map.entry(QualityFlag.REFUSAL, 1L), Map.entry(QualityFlag.TRUNCATED, 1L),
        Map.entry(QualityFlag.DUPLICATE_TRANSCRIPT, 2L));
    assertThat(completed).as("completion events carry the per-simulation flags")
        .filteredOn(s -> s.sequenceNumber() == 1).singleElement()
        .satisfies(s -> assertThat(s.flags()).containsExactly(QualityFlag.REFUSAL));
  }

  @Test
  void theDuplicatePassClearsTheFlagWhenATranscriptNoLongerHasATwin() {
    String id = Fixtures.plantBatch(store, clock, "b1", 2);
    model.then(answer(SAME, "stop"), answer(SAME, "stop"));
    assertThat(runner.start(id, false).awaitDone(DEADLINE)).isTrue();
    assertThat(store.findBatch(id).orElseThrow().flagCounts())
        .containsExactly(Map.entry(QualityFlag.DUPLICATE_TRANSCRIPT, 2L));

    store.recordFlags("b1-s1", List.of(QualityFlag.DUPLICATE_TRANSCRIPT));
    store.recordFlags("b1-s2", List.of(QualityFlag.DUPLICATE_TRANSCRIPT, QualityFlag.REFUSAL));
    Simulation second = store.findSimulation("b1-s2").orElseThrow();
    // As if a retry had changed the second transcript: the pass recomputes from what is stored.
    store.replaceTurnsForTest(second.id(), List.of(new Turn(1, 1, "e2", Fixtures.SPEAKER,
        null, "Something else entirely: the archive needs a dehumidifier before the winter comes.")));

    assertThat(DuplicateFlagging.run(store, store, id)).isEqualTo(2);
    assertThat(store.findSimulation("b1-s1").orElseThrow().flags()).isEmpty();
    assertThat(store.findSimulation("b1-s2").orElseThrow().flags()).containsExactly(QualityFlag.REFUSAL);
    assertThat(DuplicateFlagging.run(store, store, id)).as("idempotent").isZero();
  }

  private static ScriptedModel.Step answer(String text, String finishReason) {
    return m -> new ChatResponse("{\"turns\":[{\"speaker\":\"" + Fixtures.SPEAKER + "\",\"text\":\"" + text + "\"}]}",
        new TokenUsage(10, 5, 0), finishReason, null, null, null);
  }

  private Runner newRunner() {
    ModelCaller caller = new ModelCaller(model, CallGate.OPEN, new RetryPolicy(3, () -> 0.0), d -> { });
    SimulationEngine engine = new SimulationEngine(caller, 0, 100_000);
    ProgressListener listener = new ProgressListener() {
      @Override
      public void simulationCompleted(Simulation simulation) {
        completed.add(simulation);
      }
    };
    AtomicReference<Runner> self = new AtomicReference<>();
    BatchCancellation cancellation = new BatchCancellation(store, store, id -> self.get().active(id));
    Runner created = new Runner(store, store, cancellation, engine, new OutcomeExtractor(caller, 0), listener,
        new RunnerSettings("w1", 1, Duration.ofSeconds(60), Duration.ofMillis(5)), null, clock, Ticker.SYSTEM);
    self.set(created);
    return created;
  }
}
