package dev.cohort.core.batch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One earlier run of a simulation that was set aside: a failure kept when the simulation was
 * retried ({@code retry-failed}), or the worse of two attempts when a flagged simulation was played
 * again ({@code rerun_flagged}), with its transcript and flags.
 *
 * @param attempt the simulation's {@code attempts} count when it was set aside (how many times it
 *     had been claimed), 1 or more
 * @param error why it was set aside: the failure, or which flags made it the worse attempt
 * @param finishedAt when it was set aside, or null when the store did not know
 * @param turns the transcript of a set-aside rerun attempt; empty for a failure
 * @param flags the quality flags of a set-aside rerun attempt, in flag order; empty for a failure
 * @param rerun the number of the rerun that set this attempt aside (1 for the first), or 0 for a
 *     failure kept by {@code retry-failed}
 * @param usage what the set-aside attempt's calls used (already counted in the simulation's
 *     usage); {@link TokenUsage#ZERO} for a failure, whose usage the simulation holds
 * @param costUsd what those calls cost, null when unknown
 */
public record FailedAttempt(int attempt, String error, @Nullable Instant finishedAt, List<Turn> turns,
    List<QualityFlag> flags, int rerun, TokenUsage usage, @Nullable Double costUsd) {
  public FailedAttempt {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(usage, "usage");
    turns = List.copyOf(turns);
    flags = QualityFlags.canonical(flags);
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
    }
    if (rerun < 0) {
      throw new IllegalArgumentException("rerun must not be negative, was " + rerun);
    }
  }

  /** A failure kept by {@code retry-failed}: no transcript, no flags, not a rerun. */
  public FailedAttempt(int attempt, String error, @Nullable Instant finishedAt) {
    this(attempt, error, finishedAt, List.of(), List.of(), 0, TokenUsage.ZERO, 0.0);
  }

  /** Whether a rerun of a flagged simulation set this attempt aside (rather than a retry of a failure). */
  public boolean isRerun() {
    return rerun > 0;
  }
}
