package dev.cohort.core.port;

/**
 * What a batch's settled calls have spent, kept by the store so every worker counts against the
 * same budget.
 *
 * @param costUsd US dollars spent by settled calls
 * @param tokens prompt plus completion tokens used by settled calls
 */
public record BatchSpend(double costUsd, long tokens) {
  /** Nothing spent. */
  public static final BatchSpend NONE = new BatchSpend(0, 0);

  public BatchSpend {
    if (!(costUsd >= 0) || tokens < 0) {
      throw new IllegalArgumentException("spend must not be negative, was $" + costUsd + " and " + tokens + " tokens");
    }
  }
}
