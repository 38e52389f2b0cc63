package dev.cohort.cli;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.spend.Budget;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The flags that cap what a batch may spend: {@code --max-cost} (US dollars) and {@code
 * --max-total-tokens}, for {@code run} and for {@code batches resume} (a higher budget for a batch
 * its budget stopped).
 */
final class BudgetOptions {
  @Option(names = "--max-cost", paramLabel = "USD",
      description = "Most US dollars the batch may spend (max_cost_usd): each call reserves its estimated cost first; "
          + "when the budget would be passed no new call starts and the batch ends cancelled, resumable with "
          + "'cohort batches resume ID --max-cost MORE'. The model needs a price (built in, or --prices).")
  @Nullable Double maxCost;

  @Option(names = "--max-total-tokens", paramLabel = "N",
      description = "Most tokens (prompt plus completion) the batch may use (max_total_tokens); needs no price.")
  @Nullable Long maxTotalTokens;

  /** Whether either flag was given. */
  boolean given() {
    return maxCost != null || maxTotalTokens != null;
  }

  /** The caps these flags give to a new request. */
  void applyTo(BatchRequest.Builder builder) {
    builder.maxCostUsd(maxCost).maxTotalTokens(maxTotalTokens);
  }

  /**
   * The budget to resume {@code stored} with: each flag given replaces its cap, a cap not given
   * stays as the batch has it.
   *
   * @throws UsageException naming the flag when a cap is not positive
   */
  Budget over(BatchRequest stored) {
    try {
      return new Budget(maxCost != null ? maxCost : stored.maxCostUsd(),
          maxTotalTokens != null ? maxTotalTokens : stored.maxTotalTokens());
    } catch (dev.cohort.core.batch.ValidationException e) {
      throw UsageException.of(e, RunCommand.FLAGS);
    }
  }
}
