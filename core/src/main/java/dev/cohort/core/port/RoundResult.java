package dev.cohort.core.port;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one round of one simulation: its turns and what the calls that produced them cost
 * (re-asks included).
 *
 * @param round 1-based round number
 * @param turns the round's turns, all with this round number
 * @param usage tokens billed for the round
 * @param model the model name the provider reported, or null
 * @param costUsd what the round's calls cost in US dollars, or null when a call's model has no price
 * @param systemFingerprint the provider's system fingerprint for the round's answer, or null
 */
public record RoundResult(
    int round,
    List<Turn> turns,
    TokenUsage usage,
    @Nullable String model,
    @Nullable Double costUsd,
    @Nullable String systemFingerprint) {
  public RoundResult {
    turns = List.copyOf(turns);
    Objects.requireNonNull(usage, "usage");
    if (round < 1) {
      throw new IllegalArgumentException("round is 1-based, was " + round);
    }
    for (Turn t : turns) {
      if (t.round() != round) {
        throw new IllegalArgumentException("turn " + t.turnNumber() + " belongs to round " + t.round() + ", not " + round);
      }
    }
  }

  /** A round whose provider reported no system fingerprint. */
  public RoundResult(
      int round, List<Turn> turns, TokenUsage usage, @Nullable String model, @Nullable Double costUsd) {
    this(round, turns, usage, model, costUsd, null);
  }

  /** A round whose cost is unknown (null) and whose provider reported no system fingerprint. */
  public RoundResult(int round, List<Turn> turns, TokenUsage usage, @Nullable String model) {
    this(round, turns, usage, model, null, null);
  }
}
