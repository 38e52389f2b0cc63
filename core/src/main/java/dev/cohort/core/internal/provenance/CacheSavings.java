package dev.cohort.core.internal.provenance;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.CacheEntry;
import dev.cohort.core.port.ResponseCache;
import dev.cohort.core.spend.PriceTable;
import org.jspecify.annotations.Nullable;

/**
 * What a batch's response-cache hits saved: the price of the answers it took from the cache
 * instead of calling the model. A hit itself records no tokens (it billed none), but the cache
 * entry keeps the model that first answered and the tokens that call was billed, so each hit is
 * priced as that call would be now.
 *
 * <p>The cache records every entry a batch used, hits and the answers it stored itself alike. The
 * hits are the entries stored before the batch was created (an earlier batch's answers, or
 * imported ones); an entry the batch stored itself cost this batch its call, so hitting it again
 * after a resume saves nothing.
 */
final class CacheSavings {
  private CacheSavings() {}

  /**
   * The cost the batch's hits saved (US dollars): 0 when it had none; null when a hit's model has no
   * price, or {@code cache} is null while the batch had hits.
   */
  static @Nullable Double of(Batch batch, @Nullable ResponseCache cache, PriceTable prices) {
    if (batch.usage().cacheHits() == 0) {
      return 0.0;
    }
    if (cache == null) {
      return null;
    }
    double[] known = {0};
    boolean[] unknown = {false};
    cache.forEachUsedBy(batch.id(), entry -> {
      if (!entry.createdAt().isBefore(batch.createdAt())) {
        return;
      }
      Double cost = prices.costUsd(entry.model(), billed(entry));
      if (cost == null) {
        unknown[0] = true;
      } else {
        known[0] += cost;
      }
    });
    return unknown[0] ? null : Double.valueOf(known[0]);
  }

  private static TokenUsage billed(CacheEntry entry) {
    return new TokenUsage(entry.promptTokens(), entry.completionTokens(), 0);
  }
}
