package dev.cohort.cli;

import org.jspecify.annotations.Nullable;

/** Which of {@code run}'s spend flags ({@code --estimate}, {@code --pilot N}, {@code --yes}) go together. */
final class SpendFlags {
  private SpendFlags() {}

  /** @throws UsageException naming the flag that cannot be given with the others */
  static void check(boolean estimate, @Nullable Integer pilot, boolean yes, boolean detach) {
    if (estimate && pilot != null) {
      throw new UsageException("--estimate", "cannot be given with --pilot: --estimate runs nothing, --pilot N runs N "
          + "simulations and then estimates the rest");
    }
    if (estimate && detach) {
      throw new UsageException("--estimate", "cannot be given with --detach: --estimate creates no batch");
    }
    if (pilot != null && pilot < 1) {
      throw new UsageException("--pilot", "must be at least 1 simulation, was " + pilot);
    }
    if (pilot != null && detach) {
      throw new UsageException("--pilot", "cannot be given with --detach: the pilot runs here");
    }
    if (yes && pilot == null) {
      throw new UsageException("--yes", "only answers the question --pilot N asks; give --pilot N too");
    }
  }
}
