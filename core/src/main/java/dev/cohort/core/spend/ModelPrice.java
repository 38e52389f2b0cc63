package dev.cohort.core.spend;

import dev.cohort.core.batch.TokenUsage;

/**
 * One model's prices in US dollars per million tokens, as a provider lists them.
 *
 * @param inputPerMillion prompt tokens not served from the provider's prompt cache
 * @param cachedInputPerMillion prompt tokens served from the provider's prompt cache
 * @param outputPerMillion completion tokens (reasoning tokens included, as providers bill them)
 * @param batchDiscount the factor applied to calls made through the provider's batch API (0.5 for
 *     half price; 1 when there is no discount)
 */
public record ModelPrice(
    double inputPerMillion, double cachedInputPerMillion, double outputPerMillion, double batchDiscount) {
  private static final double MILLION = 1_000_000.0;

  /**
   * Validates every price.
   *
   * @throws IllegalArgumentException when a price is negative or not finite, or the discount is
   *     not in (0, 1]
   */
  public ModelPrice {
    requirePrice("input_per_million", inputPerMillion);
    requirePrice("cached_input_per_million", cachedInputPerMillion);
    requirePrice("output_per_million", outputPerMillion);
    if (!(batchDiscount > 0 && batchDiscount <= 1)) {
      throw new IllegalArgumentException("batch_discount must be in (0, 1], was " + batchDiscount);
    }
  }

  /** Prices without a batch discount. */
  public static ModelPrice of(double inputPerMillion, double cachedInputPerMillion, double outputPerMillion) {
    return new ModelPrice(inputPerMillion, cachedInputPerMillion, outputPerMillion, 1);
  }

  /**
   * What {@code usage} costs at these prices: cached prompt tokens at the cached price, the rest
   * of the prompt at the input price, completion tokens at the output price.
   */
  public double costUsd(TokenUsage usage) {
    long cached = Math.min(usage.cachedTokens(), usage.promptTokens());
    long uncached = usage.promptTokens() - cached;
    return (uncached * inputPerMillion + cached * cachedInputPerMillion + usage.completionTokens() * outputPerMillion)
        / MILLION;
  }

  /** What {@code usage} costs when its calls went through the provider's batch API. */
  public double batchCostUsd(TokenUsage usage) {
    return costUsd(usage) * batchDiscount;
  }

  private static void requirePrice(String field, double value) {
    if (!(value >= 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(field + " must be a finite number >= 0, was " + value);
    }
  }
}
