package dev.cohort.analysis;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ModelAssignment;
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
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The models data set of {@code src/test/resources/reference/analysis_reference.py}: pool a–d, all
 * six pairs twice (12 planned groups × replicates, unit u = pair index × 2 + replicate + 1), on
 * three models. Crossed: every unit on every model, sequence (u − 1) × 3 + model index + 1;
 * simulation 14 (unit 5 on llama) failed, 24 (unit 8 on claude) flagged. Balanced: unit u once, on
 * {@code MODELS[(u − 1) % 3]}, with the crossed values of that unit and model. Outcomes: {@code
 * tone} (number), {@code agreed} (boolean), {@code stance} (integer per participant), {@code
 * verdict} (enum: yes when agreed).
 */
final class ModelsReferenceBatch {
  static final List<String> MODELS = List.of("mini", "llama", "claude");
  // Printed by analysis_reference.py (numpy.random.default_rng(22)), index (u − 1) × 3 + model.
  static final double[] TONE = {2.2, 3.48, 4.14, 2.9, 6.26, 2.75, 2.45, 2.79, 2.56, 3.77, 5.94, 4.62, 3.39, 4.66,
      2.48, 5.43, 6.19, 3.78, 1.29, 1.39, 1.54, 2.52, 3.07, 4.21, 3.74, 3.2, 1.49, 3.37, 4.01, 2.53, 2.3, 4.63, 2.75,
      4.18, 3.5, 3.54};
  static final boolean[] AGREED = {true, true, false, false, true, true, false, true, true, false, true, false, true,
      false, false, false, false, false, false, false, true, false, true, true, false, false, true, false, true, true,
      false, false, true, true, true, true};
  static final int[][] STANCE = {{7, 1}, {2, 7}, {1, 1}, {4, 1}, {3, 2}, {5, 1}, {2, 3}, {2, 4}, {7, 6}, {3, 4},
      {5, 1}, {3, 6}, {1, 2}, {5, 1}, {2, 6}, {6, 4}, {7, 5}, {4, 4}, {2, 3}, {3, 4}, {1, 2}, {6, 5}, {1, 4}, {7, 7},
      {5, 5}, {1, 7}, {7, 3}, {6, 6}, {6, 7}, {3, 7}, {2, 2}, {7, 2}, {1, 3}, {3, 2}, {7, 3}, {2, 5}};
  static final int FAILED = 14;
  static final int FLAGGED = 24;

  static final List<DeclaredOutcome> OUTCOMES = List.of(
      DeclaredOutcome.number("tone", "How warm was the conversation, from 0 to 10?", 0.0, 10.0),
      DeclaredOutcome.bool("agreed", "Did they agree?"),
      DeclaredOutcome.integer("stance", "Each participant's final stance, from 1 to 7", 1, 7).perParticipant(),
      DeclaredOutcome.oneOf("verdict", "What did they decide?", "yes", "no"));

  private ModelsReferenceBatch() {}

  /** Stores the crossed or balanced batch under {@code batchId} (its pool too) and returns it. */
  static Batch store(RepositoryPort repository, String batchId, ModelAssignment assignment) {
    return store(repository, batchId, assignment, MODELS);
  }

  /** Stores the batch with {@code names} as its three models' names (the report test gives hostile ones). */
  static Batch store(RepositoryPort repository, String batchId, ModelAssignment assignment, List<String> names) {
    boolean crossed = assignment == ModelAssignment.CROSSED;
    List<Entity> pool = new ArrayList<>();
    String[] ids = {"a", "b", "c", "d"};
    for (String id : ids) {
      pool.add(new Entity(id, id.toUpperCase(Locale.ROOT) + "name", "Entity " + id,
          Map.of()));
    }
    repository.saveEntities(pool);
    BatchRequest request = BatchRequest.builder().name("Models " + assignment.wireName()).context("A debate")
        .entityIds(ids).interactionSize(2).numSimulations(6).replicates(2).nTurns(1).seed(22L).outcomes(OUTCOMES)
        .models(names).modelAssignment(assignment).build();
    Instant at = Instant.parse("2026-11-30T10:00:00Z");
    List<Simulation> simulations = new ArrayList<>();
    long completed = 0;
    int unit = 0;
    for (int i = 0; i < ids.length; i++) {
      for (int j = i + 1; j < ids.length; j++) {
        for (int r = 0; r < 2; r++) {
          unit++;
          List<String> group = List.of(ids[i], ids[j]);
          for (int m = 0; m < 3; m++) {
            if (!crossed && m != (unit - 1) % 3) {
              continue;
            }
            int k = (unit - 1) * 3 + m;
            int seq = crossed ? k + 1 : unit;
            boolean failed = crossed && seq == FAILED;
            Map<String, @Nullable Object> outcomes = new LinkedHashMap<>();
            if (!failed) {
              completed++;
              outcomes.put("tone", TONE[k]);
              outcomes.put("agreed", AGREED[k]);
              Map<String, Object> stance = new LinkedHashMap<>();
              stance.put(ids[i], STANCE[k][0]);
              stance.put(ids[j], STANCE[k][1]);
              outcomes.put("stance", stance);
              outcomes.put("verdict", AGREED[k] ? "yes" : "no");
            }
            List<Turn> turns = failed ? List.of()
                : List.of(new Turn(1, 1, ids[i], ids[i].toUpperCase(Locale.ROOT) + "name", null,
                    "Hello from " + names.get(m)));
            List<QualityFlag> flags = crossed && seq == FLAGGED ? List.of(QualityFlag.REPETITION) : List.of();
            simulations.add(new Simulation(batchId + "-" + seq, batchId, seq, group, group,
                failed ? SimulationStatus.FAILED : SimulationStatus.COMPLETED, turns, failed ? "the model gave up" : null,
                1, new TokenUsage(100, 40, 10, 1), "provider-" + m, 1, at, at, at.plusSeconds(seq), List.of(), 0.001,
                outcomes, null, null, flags, null, null, null).withPlannedModel(names.get(m)));
          }
        }
      }
    }
    int total = simulations.size();
    Batch batch = new Batch(batchId, BatchStatus.PARTIAL, request, total, total, pool, at, at, at.plusSeconds(60),
        null, new BatchCounts(0, 0, completed, total - completed, 0), new TokenUsage(3000, 1200, 300, 30), List.of(),
        0.03, crossed ? Map.of(QualityFlag.REPETITION, 1L) : Map.of());
    repository.createBatch(batch, simulations.iterator());
    return batch;
  }
}
