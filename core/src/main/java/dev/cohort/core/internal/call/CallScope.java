package dev.cohort.core.internal.call;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which simulation and round a model call is for: the response cache records the batch's use of
 * each entry with it, and a replay miss names the simulation and round.
 *
 * @param batchId the batch
 * @param sequenceNumber the simulation's sequence number
 * @param round the round
 * @param model the registry name of the model the call goes to ({@link ModelCallers}), or null for
 *     the instance's one model
 */
public record CallScope(String batchId, int sequenceNumber, int round, @Nullable String model) {
  public CallScope {
    Objects.requireNonNull(batchId, "batchId");
  }

  /** A call to the instance's one model. */
  public CallScope(String batchId, int sequenceNumber, int round) {
    this(batchId, sequenceNumber, round, null);
  }
}
