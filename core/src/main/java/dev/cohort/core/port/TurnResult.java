package dev.cohort.core.port;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one turn of one role-play simulation: the turn and what the calls that produced
 * it cost (re-asks included). Role-play stores each turn as it completes, so a resumed simulation
 * continues at the exact turn.
 *
 * @param turn the turn
 * @param usage tokens billed for the turn
 * @param model the model name the provider reported, or null
 * @param costUsd what the turn's calls cost in US dollars; null when unknown (a model without a price)
 */
public record TurnResult(Turn turn, TokenUsage usage, @Nullable String model, @Nullable Double costUsd) {
  /** A turn whose cost is unknown. */
  public TurnResult(Turn turn, TokenUsage usage, @Nullable String model) {
    this(turn, usage, model, null);
  }

  /** Checks the turn and usage are present. */
  public TurnResult {
    Objects.requireNonNull(turn, "turn");
    Objects.requireNonNull(usage, "usage");
  }
}
