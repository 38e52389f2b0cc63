package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.QualityFlag;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SimulationFlagger#assess} finds in one completed simulation.
 *
 * @param flags its per-simulation flags, in {@link QualityFlag} order
 * @param transcriptSignature its transcript's {@link DuplicateTranscripts#signature} (compared by
 *     identity in {@code equals}, as arrays are), or null when the transcript has no words
 */
public record SimulationQuality(List<QualityFlag> flags, int @Nullable [] transcriptSignature) {
  /** Copies {@code flags}; the signature is kept as given. */
  public SimulationQuality {
    flags = List.copyOf(flags);
  }
}
