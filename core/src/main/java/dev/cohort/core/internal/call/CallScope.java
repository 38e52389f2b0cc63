package dev.cohort.core.internal.call;

import java.util.Objects;

/**
 * Which simulation and round a model call is for: the response cache records the batch's use of
 * each entry with it, and a replay miss names the simulation and round.
 *
 * @param batchId the batch
 * @param sequenceNumber the simulation's sequence number
 * @param round the round
 */
public record CallScope(String batchId, int sequenceNumber, int round) {
  public CallScope {
    Objects.requireNonNull(batchId, "batchId");
  }
}
