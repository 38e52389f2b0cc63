package dev.cohort.core.spend;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a batch is expected to spend before it runs: model calls, prompt tokens (and the part of
 * them the provider's prompt cache is expected to serve), completion tokens and the cost in US
 * dollars, each as a low / expected / high range, with the assumptions behind them in words. Made
 * by {@code Cohort.estimate}; immutable.
 *
 * @param simulations how many simulations the estimate covers (a pilot's own are not included)
 * @param model the model name the estimate is priced for, or null when no model name is known
 * @param calls model calls, re-asks included
 * @param promptTokens tokens sent, cached ones included
 * @param cachedPromptTokens the part of {@code promptTokens} expected from the provider's prompt cache
 * @param completionTokens tokens generated
 * @param costUsd the cost, or null when the model has no price (unknown, never zero)
 * @param assumptions every assumption the numbers rest on, one sentence each
 */
public record Estimate(
    long simulations,
    @Nullable String model,
    Count calls,
    Count promptTokens,
    Count cachedPromptTokens,
    Count completionTokens,
    @Nullable Cost costUsd,
    List<String> assumptions) {

  /** Checks every range and copies the assumptions. */
  public Estimate {
    if (simulations < 0) {
      throw new IllegalArgumentException("simulations must not be negative, was " + simulations);
    }
    Objects.requireNonNull(calls, "calls");
    Objects.requireNonNull(promptTokens, "promptTokens");
    Objects.requireNonNull(cachedPromptTokens, "cachedPromptTokens");
    Objects.requireNonNull(completionTokens, "completionTokens");
    assumptions = List.copyOf(assumptions);
  }

  /** The cost, when the model has a price. */
  public Optional<Cost> cost() {
    return Optional.ofNullable(costUsd);
  }

  /** Prompt plus completion tokens. */
  public Count totalTokens() {
    return new Count(promptTokens.low + completionTokens.low, promptTokens.expected + completionTokens.expected,
        promptTokens.high + completionTokens.high);
  }

  /**
   * A whole number as a range.
   *
   * @param low what it comes to when every assumption errs low
   * @param expected what it most likely comes to
   * @param high what it comes to when every assumption errs high
   */
  public record Count(long low, long expected, long high) {
    /** Checks that {@code 0 <= low <= expected <= high}. */
    public Count {
      if (low < 0 || low > expected || expected > high) {
        throw new IllegalArgumentException("a range needs 0 <= low <= expected <= high, was " + low + ", "
            + expected + ", " + high);
      }
    }
  }

  /**
   * A cost in US dollars as a range.
   *
   * @param low the cost when every assumption errs low
   * @param expected the most likely cost
   * @param high the cost when every assumption errs high
   */
  public record Cost(double low, double expected, double high) {
    /** Checks that {@code 0 <= low <= expected <= high}, all finite. */
    public Cost {
      if (!(low >= 0 && low <= expected && expected <= high && Double.isFinite(high))) {
        throw new IllegalArgumentException("a cost range needs 0 <= low <= expected <= high, was " + low + ", "
            + expected + ", " + high);
      }
    }
  }
}
