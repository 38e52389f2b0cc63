package dev.cohort.core.port;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Model answers stored by request, so a repeated call is answered without calling the model and a
 * batch can be replayed without a provider. The key (computed by Cohort, 64 hex digits) is the
 * SHA-256 over the model's endpoint (the provider's base URL), the model, every request parameter
 * sent, the messages and the seed: replicates, which Cohort sends with different seeds, never share
 * an answer, and a changed prompt or setting never hits an old one.
 *
 * <p>Implementations store entries as given and return them as stored; Cohort checks each entry's
 * seal ({@link CacheEntry#isIntact()}) before serving it. Thread-safe. The {@code cohort-testkit}
 * module's {@code ResponseCacheContractTest} is the executable form of this contract.
 */
public interface ResponseCache {

  /** The entry stored under {@code key}, as stored (intact or not). */
  Optional<CacheEntry> find(String key);

  /** Stores the entry, replacing one stored under the same key. */
  void put(CacheEntry entry);

  /** Records that the batch used the entry under {@code key} (a hit or a stored answer); idempotent. */
  void recordUse(String batchId, String key);

  /**
   * Hands each stored entry the batch used to {@code action}, each once, in an order of the
   * implementation's choosing; nothing for a batch that used none. Streams: implementations hold a bounded window in memory.
   */
  void forEachUsedBy(String batchId, Consumer<? super CacheEntry> action);
}
