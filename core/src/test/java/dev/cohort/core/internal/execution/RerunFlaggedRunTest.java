package dev.cohort.core.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.execution.BatchRun.TaskState;
import dev.cohort.core.internal.outcome.OutcomeExtractor;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A completed simulation with a flag the batch's {@code rerun_flagged} names is played again with
 * another seed; the better attempt is kept and the other goes into its attempt history.
 */
class RerunFlaggedRunTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final String REFUSED = "I'm sorry, but I can't continue this conversation.";
  private static final String REFUSED_AS_AI = "I'm sorry, but as an AI language model I can't continue this.";
  private static final String CLEAN = "The reading room should open on Sundays; the students have nowhere else"
      + " quiet to work once the cafes close.";

  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore(clock);
  private final List<Simulation> completed = new CopyOnWriteArrayList<>();
  private final List<Runner> runners = new ArrayList<>();

  @AfterEach
  void close() {
    runners.forEach(Runner::close);
  }

  @Test
  void aRefusalRerunCleanlyKeepsTheCleanAttemptAndTheRefusalInTheHistory() {
    String id = Fixtures.plantBatch(store, clock, "b1", 1, b -> b.rerunFlagged(Set.of(QualityFlag.REFUSAL)));
    ScriptedModel model = new ScriptedModel().then(answer(REFUSED), answer(CLEAN));

    assertThat(runner(model, "w1").start(id, false).awaitDone(DEADLINE)).isTrue();

    Simulation s = store.findSimulation("b1-s1").orElseThrow();
    assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(s.turns()).extracting(Turn::text).containsExactly(CLEAN);
    assertThat(s.flags()).isEmpty();
    assertThat(s.attemptHistory()).singleElement().satisfies(a -> {
      assertThat(a.rerun()).isEqualTo(1);
      assertThat(a.flags()).containsExactly(QualityFlag.REFUSAL);
      assertThat(a.turns()).extracting(Turn::text).containsExactly(REFUSED);
      assertThat(a.usage().calls()).isEqualTo(1);
      assertThat(a.error()).contains("flagged refusal").contains("rerun 1 had no flag and was kept");
    });
    assertThat(model.calls()).isEqualTo(2);
    assertThat(s.usage()).as("both attempts' calls are counted").isEqualTo(new TokenUsage(20, 10, 0, 2));
    assertThat(store.findBatch(id).orElseThrow().flagCounts()).as("counts reflect the kept attempt").isEmpty();
    assertThat(completed).singleElement().satisfies(c -> {
      assertThat(c.flags()).isEmpty();
      assertThat(c.attemptHistory()).as("the completion event shows the history too").isEqualTo(s.attemptHistory());
    });
  }

  @Test
  void aModelThatAlwaysRefusesIsRerunOnceAndTheLaterAttemptIsKeptOnATie() {
    String id = Fixtures.plantBatch(store, clock, "b1", 1, b -> b.rerunFlagged(Set.of(QualityFlag.REFUSAL)));
    ScriptedModel model = new ScriptedModel().then(answer(REFUSED), answer(REFUSED + " Really."),
        answer("never asked"));

    assertThat(runner(model, "w1").start(id, false).awaitDone(DEADLINE)).isTrue();

    Simulation s = store.findSimulation("b1-s1").orElseThrow();
    assertThat(model.calls()).as("one rerun, the limit").isEqualTo(2);
    assertThat(s.flags()).containsExactly(QualityFlag.REFUSAL);
    assertThat(s.turns()).extracting(Turn::text).containsExactly(REFUSED + " Really.");
    assertThat(s.attemptHistory()).singleElement().satisfies(a -> {
      assertThat(a.turns()).extracting(Turn::text).containsExactly(REFUSED);
      assertThat(a.flags()).containsExactly(QualityFlag.REFUSAL);
    });
    assertThat(s.usage().calls()).isEqualTo(2);
    assertThat(store.findBatch(id).orElseThrow().flagCounts()).containsExactly(Map.entry(QualityFlag.REFUSAL, 1L));
  }

  @Test
  void aWorseRerunIsSetAsideAndTheFirstAttemptKept() {
    String id = Fixtures.plantBatch(store, clock, "b1", 1, b -> b.rerunFlagged(Set.of(QualityFlag.REFUSAL)));
    ScriptedModel model = new ScriptedModel().then(answer(REFUSED), answer(REFUSED_AS_AI));

    assertThat(runner(model, "w1").start(id, false).awaitDone(DEADLINE)).isTrue();

    Simulation s = store.findSimulation("b1-s1").orElseThrow();
    assertThat(s.turns()).extracting(Turn::text).containsExactly(REFUSED);
    assertThat(s.flags()).containsExactly(QualityFlag.REFUSAL);
    assertThat(s.attemptHistory()).singleElement().satisfies(a -> {
      assertThat(a.turns()).extracting(Turn::text).containsExactly(REFUSED_AS_AI);
      assertThat(a.flags()).containsExactly(QualityFlag.PERSONA_BREAK, QualityFlag.REFUSAL);
      assertThat(a.error()).contains("rerun 1 was flagged persona_break, refusal");
    });
    assertThat(s.usage().calls()).isEqualTo(2);
  }

  @Test
  void aFlagTheBatchDoesNotNameIsNotRerun() {
    String id = Fixtures.plantBatch(store, clock, "b1", 2, b -> b.rerunFlagged(Set.of(QualityFlag.REPETITION)));
    ScriptedModel model = new ScriptedModel().then(answer(REFUSED), answer(CLEAN));

    assertThat(runner(model, "w1").start(id, false).awaitDone(DEADLINE)).isTrue();

    assertThat(model.calls()).isEqualTo(2);
    assertThat(store.findSimulation("b1-s1").orElseThrow().attemptHistory()).isEmpty();
    assertThat(store.findSimulation("b1-s1").orElseThrow().flags()).containsExactly(QualityFlag.REFUSAL);
  }

  @Test
  void aRerunInterruptedByALostLeaseLosesNothingAndTheNextWorkerRerunsIt() throws Exception {
    String id = Fixtures.plantBatch(store, clock, "b1", 1, b -> b.rerunFlagged(Set.of(QualityFlag.REFUSAL)));
    ScriptedModel first = new ScriptedModel().then(answer(REFUSED), ScriptedModel.block());
    var rerunStarted = first.expectBlocked(1);
    Runner w1 = runner(first, "w1");
    BatchRun run1 = w1.start(id, false);
    assertThat(rerunStarted.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    Simulation during = store.findSimulation("b1-s1").orElseThrow();
    assertThat(during.status()).isEqualTo(SimulationStatus.RUNNING);
    assertThat(during.turns()).as("the first attempt is stored before the rerun starts").extracting(Turn::text)
        .containsExactly(REFUSED);
    assertThat(during.attemptHistory()).isEmpty();

    // w1 stops renewing; its lease expires and w2 takes the simulation over.
    clock.advance(LEASE.plusSeconds(1));
    ScriptedModel second = new ScriptedModel().then(answer(CLEAN));
    BatchRun run2 = runner(second, "w2").start(id, false);
    assertThat(run2.awaitDone(DEADLINE)).isTrue();
    w1.renewLeases();
    assertThat(awaitEnding(run1, TaskState.LOST)).as("w1's rerun stopped and wrote nothing").isTrue();
    first.unblock();

    Simulation s = store.findSimulation("b1-s1").orElseThrow();
    assertThat(second.calls()).as("w2 found the first attempt stored and only reran it").isEqualTo(1);
    assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(s.turns()).extracting(Turn::text).containsExactly(CLEAN);
    assertThat(s.attemptHistory()).singleElement().satisfies(a -> {
      assertThat(a.turns()).extracting(Turn::text).containsExactly(REFUSED);
      assertThat(a.flags()).containsExactly(QualityFlag.REFUSAL);
    });
    assertThat(s.usage().calls()).as("the stored attempts' calls").isEqualTo(2);
    assertThat(store.findBatch(id).orElseThrow().status()).isEqualTo(BatchStatus.COMPLETED);
  }

  @Test
  void eachRerunHasItsOwnSeedDerivedFromTheBatchSeed() {
    long a = FlaggedRerun.seed(1L, 1, 1);
    assertThat(FlaggedRerun.seed(1L, 1, 1)).as("deterministic").isEqualTo(a);
    assertThat(Set.of(a, FlaggedRerun.seed(1L, 1, 2), FlaggedRerun.seed(1L, 2, 1), FlaggedRerun.seed(2L, 1, 1), 1L))
        .as("differs by batch seed, sequence and rerun, and from the batch seed").hasSize(5);
  }

  @Test
  void theNamedFlagsWeighMoreThanOthers() {
    Set<QualityFlag> wanted = EnumSet.of(QualityFlag.REFUSAL);
    assertThat(FlaggedRerun.score(List.of(QualityFlag.TRUNCATED, QualityFlag.EMPTY_TURN), wanted))
        .isLessThan(FlaggedRerun.score(List.of(QualityFlag.REFUSAL), wanted));
    assertThat(FlaggedRerun.score(List.of(QualityFlag.REFUSAL), wanted))
        .isLessThan(FlaggedRerun.score(List.of(QualityFlag.REFUSAL, QualityFlag.TRUNCATED), wanted));
    assertThat(FlaggedRerun.score(List.of(), wanted)).isZero();
  }

  private static ScriptedModel.Step answer(String text) {
    return m -> new ChatResponse("{\"turns\":[{\"speaker\":\"" + Fixtures.SPEAKER + "\",\"text\":\"" + text + "\"}]}",
        new TokenUsage(10, 5, 0), "stop", null, null, null);
  }

  /** Waits until one of the run's tasks has ended as {@code state}, up to the deadline. */
  private static boolean awaitEnding(BatchRun run, TaskState state) {
    long until = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < until) {
      if (run.endings().containsKey(state)) {
        return true;
      }
      run.awaitDone(Duration.ofMillis(10));
    }
    return false;
  }

  private Runner runner(ScriptedModel model, String worker) {
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
        new RunnerSettings(worker, 1, LEASE, Duration.ofMillis(5)), null, clock, Ticker.SYSTEM);
    self.set(created);
    runners.add(created);
    return created;
  }
}
