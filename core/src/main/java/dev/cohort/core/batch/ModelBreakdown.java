package dev.cohort.core.batch;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One model's share of a batch: how many of its simulations stand where, what they used and what
 * they cost. A simulation counts under the registry name it was planned for ({@link
 * Simulation#modelName()}); in a role-play batch with participant models, the calls of a
 * participant's own model count under the simulation's model too.
 *
 * @param model the registry name, else the model the provider reported, else {@value #UNKNOWN}
 * @param counts its simulations per status
 * @param usage tokens its simulations used
 * @param costUsd what they cost; null when some call's model has no price
 */
public record ModelBreakdown(String model, BatchCounts counts, TokenUsage usage, @Nullable Double costUsd) {
  /** The name of the row of simulations with no model yet (none named and none called). */
  public static final String UNKNOWN = "unknown";

  public ModelBreakdown {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(usage, "usage");
  }
}
