package dev.cohort.core.batch;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether a batch's stored data is unchanged since it was recorded: the request and entity
 * snapshot against the digests recorded at creation, each finished simulation's turns against the
 * digest recorded when it finished. {@code cohort batches verify} prints it.
 *
 * @param batchId the batch
 * @param requestUnchanged whether the stored request matches its digest; null when no digest was
 *     recorded (a store that keeps none, or a batch created before digests were)
 * @param entitiesUnchanged whether the entity snapshot matches its digest; null likewise
 * @param simulationsChecked how many finished simulations had a digest to check
 * @param simulationsWithoutDigest how many finished simulations had none
 * @param changedSimulations the sequence numbers of simulations whose turns no longer match
 */
public record Verification(
    String batchId,
    @Nullable Boolean requestUnchanged,
    @Nullable Boolean entitiesUnchanged,
    long simulationsChecked,
    long simulationsWithoutDigest,
    List<Integer> changedSimulations) {

  public Verification {
    Objects.requireNonNull(batchId, "batchId");
    changedSimulations = List.copyOf(changedSimulations);
  }

  /** Whether everything that had a digest matches it. */
  public boolean unchanged() {
    return !Boolean.FALSE.equals(requestUnchanged) && !Boolean.FALSE.equals(entitiesUnchanged)
        && changedSimulations.isEmpty();
  }
}
