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
 * The end-of-batch quality pass: puts the batch's completed simulations once through {@link
 * DuplicateTranscripts} and makes {@code duplicate_transcript} true exactly on those whose
 * transcript is near-identical to another's (set on new ones, cleared on ones a retry changed),
 * writing only the simulations whose flags change. Idempotent, so every worker that sees the batch
 * end may run it.
 */
final class DuplicateFlagging {
  private DuplicateFlagging() {}

  /** Runs the pass over {@code batchId}, reading and signing every transcript; returns how many flags changed. */
  static int run(BatchStore batches, WorkQueue queue, String batchId) {
    return run(batches, queue, batchId, new CompletionSignatures(), -1);
  }

  /**
   * Runs the pass over {@code batchId} with the signatures a run computed as it completed
   * simulations; returns how many simulations' flags it changed. When the run completed all of the
   * batch's {@code completed} simulations, nothing is read back: the pass buckets the run's
   * signatures with the flags it stored. Otherwise (a resumed batch, another worker's completions)
   * it streams the batch and signs only the transcripts the run did not. Either way the flags are
   * those of the full pass, which adds the transcripts in the same (sequence) order. The count is
   * what tells the two cases apart: nothing moves a completed simulation out of the completed state
   * or changes its transcript (a retry reruns failed ones only), so when the batch has as many
   * completed simulations as this run completed, they are the same ones.
   *
   * @param completed the batch's completed simulations as its counts say, or -1 when unknown
   */
  static int run(BatchStore batches, WorkQueue queue, String batchId, CompletionSignatures seen, long completed) {
    DuplicateTranscripts finder = DuplicateTranscripts.create();
    // Only the flagged simulations' flags are kept, not every simulation: few are flagged.
    Map<String, List<QualityFlag>> flagged = new HashMap<>();
    if (completed >= 0 && completed == seen.size()) {
      for (Map.Entry<String, CompletionSignatures.Signed> e : seen.inSequenceOrder()) {
        CompletionSignatures.Signed s = e.getValue();
        int[] signature = s.signature();
        if (signature != null) {
          finder.add(e.getKey(), signature);
        }
        if (!s.flags().isEmpty()) {
          flagged.put(e.getKey(), s.flags());
        }
      }
    } else {
      batches.forEachSimulation(batchId, s -> {
        if (s.status() == SimulationStatus.COMPLETED) {
          CompletionSignatures.Signed found = seen.find(s.id());
          CompletionSignatures.Signed mine = found != null && found.attempts() == s.attempts() ? found : null;
          int[] signature = mine == null ? null : mine.signature();
          if (mine == null) {
            finder.add(s.id(), s.turns());
          } else if (signature != null) {
            finder.add(s.id(), signature);
          }
          if (!s.flags().isEmpty()) {
            flagged.put(s.id(), s.flags());
          }
        }
      });
    }
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
      changes.forEach(seen::flagsRecorded);
    }
    return changes.size();
  }
}
