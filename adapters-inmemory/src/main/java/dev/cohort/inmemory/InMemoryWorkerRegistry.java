package dev.cohort.inmemory;

import dev.cohort.core.port.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link WorkerRegistry} in the JVM's memory: the {@code Cohort} instances of one process share
 * a provider limit through it (tests, or several instances over one in-memory repository).
 * Thread-safe.
 *
 * <pre>{@code
 * WorkerRegistry workers = InMemoryWorkerRegistry.create();
 * Cohort a = Cohort.builder().llm(model).repository(repository).workerRegistry(workers).build();
 * Cohort b = Cohort.builder().llm(model).repository(repository).workerRegistry(workers).build();
 * }</pre>
 */
public final class InMemoryWorkerRegistry implements WorkerRegistry {
  /** Last heartbeat of each worker, by limit key then worker id; guarded by itself. */
  private final Map<String, Map<String, Instant>> heartbeats = new HashMap<>();

  private InMemoryWorkerRegistry() {}

  /** A registry with no worker in it. */
  public static InMemoryWorkerRegistry create() {
    return new InMemoryWorkerRegistry();
  }

  @Override
  public int heartbeat(String limitKey, String workerId, Instant now, Duration timeout) {
    requireNonBlank(limitKey, "limitKey");
    requireNonBlank(workerId, "workerId");
    Objects.requireNonNull(now, "now");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    Instant cutoff = now.minus(timeout);
    synchronized (heartbeats) {
      Map<String, Instant> workers = heartbeats.computeIfAbsent(limitKey, k -> new HashMap<>());
      workers.put(workerId, now);
      // Workers that stopped counting are forgotten, so the map stays the size of the live set.
      workers.values().removeIf(last -> !last.isAfter(cutoff));
      return workers.size();
    }
  }

  @Override
  public void leave(String limitKey, String workerId) {
    requireNonBlank(limitKey, "limitKey");
    requireNonBlank(workerId, "workerId");
    synchronized (heartbeats) {
      Map<String, Instant> workers = heartbeats.get(limitKey);
      if (workers != null) {
        workers.remove(workerId);
      }
    }
  }

  private static void requireNonBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
