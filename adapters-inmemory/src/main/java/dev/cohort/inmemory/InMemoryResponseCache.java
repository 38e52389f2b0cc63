package dev.cohort.inmemory;

import dev.cohort.core.port.CacheEntry;
import dev.cohort.core.port.ResponseCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link ResponseCache} in the JVM's memory, for tests and for sharing answers between the
 * batches of one process; entries are stored exactly as given. Thread-safe.
 *
 * <pre>{@code
 * Cohort cohort = Cohort.builder().llm(model).repository(repository)
 *     .responseCache(InMemoryResponseCache.create()).build();
 * }</pre>
 */
public final class InMemoryResponseCache implements ResponseCache {
  private final Map<String, CacheEntry> entries = new ConcurrentHashMap<>();
  /** Keys each batch used, in the order of first use; guarded by itself. */
  private final Map<String, Set<String>> uses = new HashMap<>();

  private InMemoryResponseCache() {}

  /** An empty cache. */
  public static InMemoryResponseCache create() {
    return new InMemoryResponseCache();
  }

  @Override
  public Optional<CacheEntry> find(String key) {
    return Optional.ofNullable(entries.get(Objects.requireNonNull(key, "key")));
  }

  @Override
  public void put(CacheEntry entry) {
    Objects.requireNonNull(entry, "entry");
    entries.put(entry.key(), entry);
  }

  @Override
  public void recordUse(String batchId, String key) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(key, "key");
    synchronized (uses) {
      uses.computeIfAbsent(batchId, id -> new LinkedHashSet<>()).add(key);
    }
  }

  @Override
  public void forEachUsedBy(String batchId, Consumer<? super CacheEntry> action) {
    Objects.requireNonNull(action, "action");
    List<String> keys;
    synchronized (uses) {
      keys = new ArrayList<>(uses.getOrDefault(Objects.requireNonNull(batchId, "batchId"), Set.of()));
    }
    for (String key : keys) {
      CacheEntry entry = entries.get(key);
      if (entry != null) {
        action.accept(entry);
      }
    }
  }

  /** How many entries are stored. */
  public int size() {
    return entries.size();
  }
}
