package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.internal.quality.DuplicateTranscripts;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.port.WorkQueue;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end-of-batch quality pass: streams the batch's completed simulations once through {@link
 * DuplicateTranscripts} and makes {@code duplicate_transcript} true exactly on those whose
 * transcript is near-identical to another's (set on new ones, cleared on ones a retry changed),
 * writing only the simulations whose flags change. Idempotent, so every worker that sees the batch
 * end may run it.
 */
final class DuplicateFlagging {
  private DuplicateFlagging() {}

  /** Runs the pass over {@code batchId}; returns how many simulations' flags it changed. */
  static int run(BatchStore batches, WorkQueue queue, String batchId) {
    DuplicateTranscripts finder = DuplicateTranscripts.create();
    // Only the flagged simulations' flags are kept, not every simulation: few are flagged.
    Map<String, List<QualityFlag>> flagged = new HashMap<>();
    batches.forEachSimulation(batchId, s -> {
      if (s.status() == SimulationStatus.COMPLETED) {
        finder.add(s.id(), s.turns());
        if (!s.flags().isEmpty()) {
          flagged.put(s.id(), s.flags());
        }
      }
    });
    Set<String> duplicates = finder.duplicates();
    // Written together at the end: one store call for the whole pass (on SQLite a few transactions).
    Map<String, List<QualityFlag>> changes = new LinkedHashMap<>();
    for (String id : duplicates) {
      List<QualityFlag> before = flagged.getOrDefault(id, List.of());
      if (!before.contains(QualityFlag.DUPLICATE_TRANSCRIPT)) {
        List<QualityFlag> after = new ArrayList<>(before);
        after.add(QualityFlag.DUPLICATE_TRANSCRIPT);
        changes.put(id, after);
      }
    }
    for (Map.Entry<String, List<QualityFlag>> e : flagged.entrySet()) {
      if (e.getValue().contains(QualityFlag.DUPLICATE_TRANSCRIPT) && !duplicates.contains(e.getKey())) {
        EnumSet<QualityFlag> after = EnumSet.copyOf(e.getValue());
        after.remove(QualityFlag.DUPLICATE_TRANSCRIPT);
        changes.put(e.getKey(), List.copyOf(after));
      }
    }
    if (!changes.isEmpty()) {
      queue.recordFlags(changes);
    }
    return changes.size();
  }
}
