package dev.cohort.core.spend;

import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The most a batch may spend: US dollars ({@code max_cost_usd}), tokens ({@code
 * max_total_tokens}), or both; null for no cap of that kind. Given to {@code Cohort.resume(id,
 * budget)} to go on with a higher budget.
 *
 * @param maxCostUsd the most US dollars, greater than 0, or null
 * @param maxTotalTokens the most prompt plus completion tokens, at least 1, or null
 */
public record Budget(@Nullable Double maxCostUsd, @Nullable Long maxTotalTokens) {
  /** No cap at all. */
  public static final Budget NONE = new Budget(null, null);

  /**
   * Validates both caps.
   *
   * @throws ValidationException naming {@code max_cost_usd} or {@code max_total_tokens} when one is
   *     not positive
   */
  public Budget {
    List<FieldError> errors = new ArrayList<>();
    if (maxCostUsd != null && !(maxCostUsd > 0 && Double.isFinite(maxCostUsd))) {
      errors.add(new FieldError("max_cost_usd", "must be a number of US dollars greater than 0, was " + maxCostUsd));
    }
    if (maxTotalTokens != null && maxTotalTokens < 1) {
      errors.add(new FieldError("max_total_tokens", "must be at least 1, was " + maxTotalTokens));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  /** A money cap only. */
  public static Budget ofUsd(double maxCostUsd) {
    return new Budget(maxCostUsd, null);
  }

  /** Whether either cap is set. */
  public boolean isCapped() {
    return maxCostUsd != null || maxTotalTokens != null;
  }
}
