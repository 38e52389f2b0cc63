package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.internal.quality.DuplicateTranscripts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The duplicate-transcript signatures of the simulations one run completed, each computed on the
 * completing simulation's own thread as its finish was stored, with the flags stored with it. The
 * end-of-batch pass ({@link DuplicateFlagging}) then only buckets and compares, instead of reading
 * every transcript back and signing it, serially, after the last simulation. Thread-safe.
 *
 * <p>It knows only what this run stored: a batch resumed after a crash, or completed partly by
 * another worker, has completions it never saw, and the pass signs those from the store.
 */
final class CompletionSignatures {
  /**
   * What a completed simulation's finish stored.
   *
   * @param sequenceNumber its position in the batch (the full pass adds transcripts in this order)
   * @param attempts its claims when this run completed it: a stored simulation with more was run
   *     again since, elsewhere, and is signed from the store
   * @param signature its transcript's signature, or null when the transcript has no words
   * @param flags the flags stored with its finish
   */
  record Signed(int sequenceNumber, int attempts, int @Nullable [] signature, List<QualityFlag> flags) {}

  private final Map<String, Signed> signed = new ConcurrentHashMap<>();

  /**
   * Keeps {@code signature}, the {@link DuplicateTranscripts#signature} of the transcript just
   * stored as {@code simulationId}'s with {@code flags} by the finish of its claim number {@code
   * attempts} (null when it has no words).
   */
  void completed(String simulationId, int sequenceNumber, int attempts, int @Nullable [] signature,
      List<QualityFlag> flags) {
    signed.put(simulationId, new Signed(sequenceNumber, attempts, signature, List.copyOf(flags)));
  }

  /**
   * Notes that the pass changed the flags of {@code simulationId} to {@code flags}, so a pass run
   * again from these signatures starts from what is stored. Does nothing for a simulation this run
   * did not complete.
   */
  void flagsRecorded(String simulationId, List<QualityFlag> flags) {
    signed.computeIfPresent(simulationId, (id, s) -> new Signed(s.sequenceNumber(), s.attempts(), s.signature(),
        List.copyOf(flags)));
  }

  /** How many completions this run signed. */
  int size() {
    return signed.size();
  }

  /** What the finish of {@code simulationId} stored, if this run completed it. */
  @Nullable Signed find(String simulationId) {
    return signed.get(simulationId);
  }

  /** Every completion this run signed, by id, in sequence order. */
  List<Map.Entry<String, Signed>> inSequenceOrder() {
    List<Map.Entry<String, Signed>> all = new ArrayList<>(signed.entrySet());
    all.sort(Comparator.comparingInt(e -> e.getValue().sequenceNumber()));
    return all;
  }
}
