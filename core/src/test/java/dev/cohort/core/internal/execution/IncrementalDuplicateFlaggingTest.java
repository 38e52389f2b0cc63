package dev.cohort.core.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.outcome.OutcomeExtractor;
import dev.cohort.core.internal.quality.DuplicateTranscripts;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The duplicate pass from the signatures a run computed as it completed simulations gives exactly
 * the flags of the full pass that reads and signs every stored transcript, and a batch completed by
 * two workers (the runner did not see every completion) still gets every duplicate flagged.
 */
class IncrementalDuplicateFlaggingTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int N = 40;
  private static final String[] WORDS = ("library open late exams students quiet work cafe close council pays"
      + " reading room sunday shelves window roof leaks archive winter books loan desk printer fees study group"
      + " silence lamp heating budget staff volunteer map garden bench coffee ticket queue noise").split(" ");

  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore(clock);
  private final List<Runner> runners = new ArrayList<>();

  @AfterEach
  void close() {
    runners.forEach(Runner::close);
  }

  /**
   * Seeded transcripts of 80 words: sims 5 and 17 are sim 2 with one word changed, 30 is a copy of
   * 11, 25 is sim 8 with a dozen words changed (not a duplicate), the rest independent.
   */
  private static List<String> plantedTexts() {
    Random random = new Random(21);
    List<String[]> texts = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      String[] words = new String[80];
      for (int w = 0; w < words.length; w++) {
        words[w] = WORDS[random.nextInt(WORDS.length)];
      }
      texts.add(words);
    }
    texts.set(4, changed(texts.get(1), 1, random));
    texts.set(16, changed(texts.get(1), 1, random));
    texts.set(29, texts.get(10).clone());
    texts.set(24, changed(texts.get(7), 12, random));
    return texts.stream().map(w -> String.join(" ", w)).toList();
  }

  private static String[] changed(String[] words, int changes, Random random) {
    String[] copy = words.clone();
    for (int i = 0; i < changes; i++) {
      copy[7 + i * 6] = "different" + (char) ('a' + i);
    }
    return copy;
  }

  @Test
  void theRunsSignaturesGiveTheFlagsOfTheFullPass() {
    String id = Fixtures.plantBatch(store, clock, "b1", N);
    ScriptedModel model = new ScriptedModel();
    for (String text : plantedTexts()) {
      model.then(answer(text));
    }
    assertThat(runner("w1", model).start(id, false).awaitDone(DEADLINE)).isTrue();
    assertThat(store.findBatch(id).orElseThrow().status()).isEqualTo(BatchStatus.COMPLETED);
    Map<String, List<QualityFlag>> incremental = storedFlags(id);

    // The full pass from scratch: every duplicate flag cleared, then every transcript read back and signed.
    clearDuplicateFlags(id);
    assertThat(DuplicateFlagging.run(store, store, id)).isPositive();
    Map<String, List<QualityFlag>> full = storedFlags(id);

    assertThat(incremental).isEqualTo(full);
    assertThat(flaggedDuplicates(full)).as("the planted copy, the near-copies, and nothing else")
        .containsExactlyInAnyOrder("b1-s2", "b1-s5", "b1-s17", "b1-s11", "b1-s30");
  }

  @Test
  void thePassFromSignaturesAloneEqualsTheFullPass() {
    String id = Fixtures.plantBatch(store, clock, "b1", N);
    ScriptedModel model = new ScriptedModel();
    for (String text : plantedTexts()) {
      model.then(answer(text));
    }
    assertThat(runner("w1", model).start(id, false).awaitDone(DEADLINE)).isTrue();
    Map<String, List<QualityFlag>> full = storedFlags(id);
    clearDuplicateFlags(id);
    // Signed as a run signs them, but added in reverse: the pass must put them in sequence order.
    CompletionSignatures seen = new CompletionSignatures();
    List<Simulation> stored = new ArrayList<>();
    store.forEachSimulation(id, stored::add);
    Collections.reverse(stored);
    for (Simulation s : stored) {
      seen.completed(s.id(), s.sequenceNumber(), s.attempts(), DuplicateTranscripts.signature(s.turns()), s.flags());
    }

    assertThat(DuplicateFlagging.run(store, store, id, seen, N)).isEqualTo(5);
    assertThat(storedFlags(id)).isEqualTo(full);
    assertThat(DuplicateFlagging.run(store, store, id, seen, N)).as("idempotent: the pass keeps the flags it wrote")
        .isEqualTo(0);
  }

  @Test
  void aBatchCompletedByTwoWorkersGetsEveryDuplicateFlagged() {
    String id = Fixtures.plantBatch(store, clock, "b1", N);
    List<String> texts = plantedTexts();
    // Another worker completes simulations 1-10 through the queue: the original of the near-copies
    // 5 and 17 (sim 2) and sim 5 are its, sim 17 and the exact pair 11/30 are the runner's.
    for (ClaimedSimulation c : store.claim(id, "w0", 10, Duration.ofSeconds(60), Set.of())) {
      Simulation s = c.simulation();
      Turn turn = new Turn(1, 1, s.entityIds().get(0), Fixtures.SPEAKER, null, texts.get(s.sequenceNumber() - 1));
      assertThat(store.recordRound(c.lease(), new RoundResult(1, List.of(turn), new TokenUsage(10, 5, 0), null,
          null, null))).isTrue();
      assertThat(store.finishCompleted(c.lease(), List.of())).isTrue();
    }
    ScriptedModel model = new ScriptedModel();
    for (String text : texts.subList(10, N)) {
      model.then(answer(text));
    }

    BatchRun run = runner("w1", model).start(id, false);

    assertThat(run.awaitDone(DEADLINE)).isTrue();
    assertThat(store.findBatch(id).orElseThrow().status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(run.endings()).containsEntry(BatchRun.TaskState.COMPLETED, N - 10);
    Map<String, List<QualityFlag>> flags = storedFlags(id);
    assertThat(flaggedDuplicates(flags)).containsExactlyInAnyOrder("b1-s2", "b1-s5", "b1-s17", "b1-s11", "b1-s30");
    assertThat(DuplicateFlagging.run(store, store, id)).as("the full pass changes nothing").isZero();
  }

  private Map<String, List<QualityFlag>> storedFlags(String batchId) {
    Map<String, List<QualityFlag>> flags = new LinkedHashMap<>();
    store.forEachSimulation(batchId, s -> flags.put(s.id(), s.flags()));
    return flags;
  }

  private void clearDuplicateFlags(String batchId) {
    for (Map.Entry<String, List<QualityFlag>> e : storedFlags(batchId).entrySet()) {
      if (e.getValue().contains(QualityFlag.DUPLICATE_TRANSCRIPT)) {
        EnumSet<QualityFlag> rest = EnumSet.noneOf(QualityFlag.class);
        rest.addAll(e.getValue());
        rest.remove(QualityFlag.DUPLICATE_TRANSCRIPT);
        store.recordFlags(e.getKey(), List.copyOf(rest));
      }
    }
  }

  private static List<String> flaggedDuplicates(Map<String, List<QualityFlag>> flags) {
    return flags.entrySet().stream().filter(e -> e.getValue().contains(QualityFlag.DUPLICATE_TRANSCRIPT))
        .map(Map.Entry::getKey).toList();
  }

  private static ScriptedModel.Step answer(String text) {
    return m -> new ChatResponse("{\"turns\":[{\"speaker\":\"" + Fixtures.SPEAKER + "\",\"text\":\"" + text + "\"}]}",
        new TokenUsage(10, 5, 0), "stop", null, null, null);
  }

  private Runner runner(String workerId, ScriptedModel model) {
    ModelCaller caller = new ModelCaller(model, CallGate.OPEN, new RetryPolicy(3, () -> 0.0), d -> { });
    SimulationEngine engine = new SimulationEngine(caller, 0, 100_000);
    AtomicReference<Runner> self = new AtomicReference<>();
    BatchCancellation cancellation = new BatchCancellation(store, store, id -> self.get().active(id));
    Runner created = new Runner(store, store, cancellation, engine, new OutcomeExtractor(caller, 0),
        new ProgressListener() { }, new RunnerSettings(workerId, 1, Duration.ofSeconds(60), Duration.ofMillis(5)),
        null, clock, Ticker.SYSTEM);
    self.set(created);
    runners.add(created);
    return created;
  }
}
