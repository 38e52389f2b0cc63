package dev.cohort.analysis;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.RepositoryPort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The data set of {@code src/test/resources/reference/analysis_reference.py}: five entities (party
 * A: a, b; party B: c, d, e), all ten pairs run three times (sequence = pair index × 3 + replicate
 * + 1), simulations 4 and 17 flagged (their tone an outlier, 100), simulation 9 failed. Outcomes:
 * {@code tone} (number), {@code agreed} (boolean), {@code stance} (integer per participant), {@code
 * verdict} (enum), {@code leader} (entity).
 */
final class ReferenceBatch {
  // Printed by analysis_reference.py (numpy.random.default_rng(19)).
  static final double[] TONE = {3.43, 4.47, 4.43, 4.14, 2.62, 3.07, 2.83, 1.39, 3.52, 2.59, 3.85, 3.72, 4.39, 3.56,
      4.19, 2.77, 1.95, 0.57, 2.36, 2.87, 3.91, 0.2, 3.41, 1.42, 1.25, 2.81, 2.47, 0.82, 3.84, 1.42};
  static final boolean[] AGREED = {false, false, false, false, false, true, false, false, false, false, false, true,
      false, false, false, false, false, false, false, false, false, true, false, true, false, false, true, true, true,
      false};
  static final int[][] STANCE = {{3, 2}, {7, 6}, {2, 7}, {7, 5}, {5, 5}, {4, 6}, {4, 4}, {7, 4}, {6, 4}, {1, 6},
      {6, 4}, {7, 4}, {5, 1}, {6, 4}, {4, 1}, {1, 7}, {3, 4}, {4, 7}, {6, 6}, {7, 6}, {2, 4}, {6, 4}, {4, 5}, {1, 2},
      {6, 6}, {5, 1}, {5, 1}, {2, 1}, {3, 2}, {6, 6}};
  static final String[] VERDICT = {"undecided", "yes", "undecided", "undecided", "no", "yes", "yes", "yes", "yes",
      "yes", "undecided", "yes", "no", "yes", "yes", "yes", "yes", "no", "undecided", "undecided", "no", "undecided",
      "undecided", "yes", "no", "undecided", "undecided", "yes", "yes", "undecided"};
  static final String[] LEADER = {"a", "b", "a", "c", "c", "a", "d", "a", "d", "a", "e", "a", "c", "b", "b", "d", "d",
      "b", "b", "e", "b", "c", "c", "d", "c", "c", "e", "e", "e", "e"};
  static final List<Integer> FLAGGED = List.of(4, 17);
  static final int FAILED = 9;
  static final double FLAGGED_TONE = 100;

  static final List<DeclaredOutcome> OUTCOMES = List.of(
      DeclaredOutcome.number("tone", "How warm was the conversation, from 0 to 5?", 0.0, 100.0),
      DeclaredOutcome.bool("agreed", "Did they agree?"),
      DeclaredOutcome.integer("stance", "Each participant's final stance, from 1 to 7", 1, 7).perParticipant(),
      DeclaredOutcome.oneOf("verdict", "What did they decide?", "yes", "no", "undecided"),
      DeclaredOutcome.entity("leader", "Who led the conversation?"));

  private ReferenceBatch() {}

  /** The pool; {@code name} gives each entity's name from its id. */
  static List<Entity> pool(java.util.function.UnaryOperator<String> name) {
    List<Entity> pool = new ArrayList<>();
    String[] party = {"A", "A", "B", "B", "B"};
    String[] region = {"north", "south", "north", "south", "north"};
    String[] ids = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < ids.length; i++) {
      Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
      attributes.put("party", party[i]);
      attributes.put("region", region[i]);
      attributes.put("age", 30 + i);
      attributes.put("nickname", "nick-" + ids[i]);
      pool.add(new Entity(ids[i], name.apply(ids[i]), "Entity " + ids[i], attributes));
    }
    return pool;
  }

  /** Stores the reference batch under {@code batchId} and returns it. */
  static Batch store(RepositoryPort repository, String batchId) {
    return store(repository, batchId, id -> Character.toUpperCase(id.charAt(0)) + id.substring(1) + "name",
        "A town hall about the new bridge", (seq, speaker) -> "Turn of " + speaker + " in simulation " + seq);
  }

  /** What a turn says, given the simulation's sequence number and the speaker's name. */
  interface TurnText {
    String text(int sequence, String speaker);
  }

  /** Stores the reference batch with the given names, context and turn texts. */
  static Batch store(RepositoryPort repository, String batchId, java.util.function.UnaryOperator<String> name,
      String context, TurnText turnText) {
    List<Entity> pool = pool(name);
    repository.saveEntities(pool);
    BatchRequest request = BatchRequest.builder().name("Reference " + name.apply("a")).description("The data set of "
            + "analysis_reference.py").context(context).entityIds("a", "b", "c", "d", "e").interactionSize(2)
        .numSimulations(10).replicates(3).nTurns(2).seed(19L).outcomes(OUTCOMES).build();
    Instant at = Instant.parse("2026-11-30T10:00:00Z");
    List<Simulation> simulations = new ArrayList<>();
    String[] ids = {"a", "b", "c", "d", "e"};
    int seq = 0;
    long completed = 0;
    for (int i = 0; i < ids.length; i++) {
      for (int j = i + 1; j < ids.length; j++) {
        for (int r = 0; r < 3; r++) {
          seq++;
          List<String> group = List.of(ids[i], ids[j]);
          boolean failed = seq == FAILED;
          List<Turn> turns = failed ? List.of() : List.of(
              new Turn(1, 1, ids[i], name.apply(ids[i]), "thinking of " + name.apply(ids[j]),
                  turnText.text(seq, name.apply(ids[i]))),
              new Turn(1, 2, ids[j], name.apply(ids[j]), null, turnText.text(seq, name.apply(ids[j]))));
          Map<String, @Nullable Object> outcomes = new LinkedHashMap<>();
          if (!failed) {
            completed++;
            int k = seq - 1;
            outcomes.put("tone", FLAGGED.contains(seq) ? FLAGGED_TONE : TONE[k]);
            outcomes.put("agreed", AGREED[k]);
            Map<String, Object> stance = new LinkedHashMap<>();
            stance.put(ids[i], STANCE[k][0]);
            stance.put(ids[j], STANCE[k][1]);
            outcomes.put("stance", stance);
            outcomes.put("verdict", VERDICT[k]);
            outcomes.put("leader", LEADER[k]);
          }
          List<QualityFlag> flags = FLAGGED.contains(seq) ? List.of(QualityFlag.REPETITION) : List.of();
          simulations.add(new Simulation(batchId + "-" + seq, batchId, seq, group, group,
              failed ? SimulationStatus.FAILED : SimulationStatus.COMPLETED, turns, failed ? "the model gave up" : null,
              1, new TokenUsage(100, 40, 10, 1), "test-model", 2, at, at, at.plusSeconds(seq), List.of(), 0.001,
              outcomes, null, null, flags, null, null, null));
        }
      }
    }
    Batch batch = new Batch(batchId, BatchStatus.PARTIAL, request, 30, 30, pool, at, at, at.plusSeconds(60), null,
        new BatchCounts(0, 0, completed, 30 - completed, 0), new TokenUsage(3000, 1200, 300, 30), List.of(), 0.03,
        Map.of(QualityFlag.REPETITION, 2L));
    repository.createBatch(batch, simulations.iterator());
    return batch;
  }
}
