package dev.cohort.inmemory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator leases of {@code batch_api} batches, one per batch at most: who coordinates the
 * batch and until when. Not thread-safe: {@link InMemoryRepository} calls it under its lock.
 */
final class CoordinatorLeases {
  private record Holder(String owner, Instant expiresAt) {}

  private final Map<String, Holder> byBatch = new HashMap<>();

  /** Grants the lease to {@code owner} when it is free, expired or already {@code owner}'s. */
  boolean acquire(String batchId, String owner, Instant now, Instant expiresAt) {
    Holder holder = byBatch.get(batchId);
    if (holder != null && !holder.owner().equals(owner) && holder.expiresAt().isAfter(now)) {
      return false;
    }
    byBatch.put(batchId, new Holder(owner, expiresAt));
    return true;
  }

  /** Extends {@code owner}'s lease, expired or not, unless another owner took it or it was released. */
  boolean renew(String batchId, String owner, Instant expiresAt) {
    Holder holder = byBatch.get(batchId);
    if (holder == null || !holder.owner().equals(owner)) {
      return false;
    }
    byBatch.put(batchId, new Holder(owner, expiresAt));
    return true;
  }

  void release(String batchId, String owner) {
    Holder holder = byBatch.get(batchId);
    if (holder != null && holder.owner().equals(owner)) {
      byBatch.remove(batchId);
    }
  }

  Optional<String> liveOwner(String batchId, Instant now) {
    Holder holder = byBatch.get(batchId);
    return holder != null && holder.expiresAt().isAfter(now) ? Optional.of(holder.owner()) : Optional.empty();
  }

  /** Forgets a deleted batch's lease. */
  void forget(String batchId) {
    byBatch.remove(batchId);
  }
}
