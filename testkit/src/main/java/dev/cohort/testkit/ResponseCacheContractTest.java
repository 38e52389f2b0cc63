package dev.cohort.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.CacheEntry;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.ResponseCache;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link ResponseCache} contract as tests. An adapter's test class extends this and returns a
 * fresh, empty cache from {@link #createCache()}; {@link #closeCache} disposes of it.
 */
public abstract class ResponseCacheContractTest {
  private static final Instant CREATED = Instant.parse("2026-11-30T10:15:30.123Z");

  private ResponseCache cache;

  /** For subclasses. */
  protected ResponseCacheContractTest() {}

  /** A fresh, empty cache. */
  protected abstract ResponseCache createCache() throws Exception;

  /** Disposes of a cache made by {@link #createCache()}; default nothing. */
  protected void closeCache(ResponseCache cache) throws Exception {}

  @BeforeEach
  void create() throws Exception {
    cache = createCache();
  }

  @AfterEach
  void dispose() throws Exception {
    closeCache(cache);
  }

  /** A sealed entry under a key made from {@code n}. */
  protected static CacheEntry entry(int n, String text) {
    ChatResponse response = new ChatResponse(text, new TokenUsage(100 + n, 20 + n, 0), "stop",
        "gpt-4o-mini-2024-07-18", null, null, "fp_" + n);
    return CacheEntry.of(String.format("%064x", n), response, CREATED);
  }

  @Test
  void findsNothingUnderAKeyNeverStored() {
    assertThat(cache.find(String.format("%064x", 1))).isEmpty();
  }

  @Test
  void findReturnsTheEntryAsStoredWithEveryField() {
    CacheEntry stored = entry(1, "{\"turns\":[]} — ünïcødé 🎲");
    cache.put(stored);
    assertThat(cache.find(stored.key())).contains(stored);
    assertThat(cache.find(stored.key()).orElseThrow().isIntact()).isTrue();
  }

  @Test
  void putReplacesTheEntryUnderTheSameKey() {
    cache.put(entry(1, "first"));
    cache.put(entry(1, "second"));
    assertThat(cache.find(entry(1, "x").key()).orElseThrow().text()).isEqualTo("second");
  }

  @Test
  void aCorruptedEntryIsReturnedAsStoredSoItsSealShowsTheChange() {
    CacheEntry good = entry(2, "the original answer");
    CacheEntry tampered = new CacheEntry(good.key(), "an edited answer", good.finishReason(), good.model(),
        good.systemFingerprint(), good.promptTokens(), good.completionTokens(), good.createdAt(), good.sha256());
    cache.put(tampered);
    CacheEntry found = cache.find(good.key()).orElseThrow();
    assertThat(found.text()).isEqualTo("an edited answer");
    assertThat(found.isIntact()).isFalse();
  }

  @Test
  void forEachUsedByHandsOverEachEntryTheBatchUsedOnceAndNoOther() {
    for (int n = 1; n <= 5; n++) {
      cache.put(entry(n, "answer " + n));
    }
    cache.recordUse("batch-a", entry(1, "").key());
    cache.recordUse("batch-a", entry(3, "").key());
    cache.recordUse("batch-a", entry(3, "").key());
    cache.recordUse("batch-b", entry(4, "").key());
    List<String> used = new ArrayList<>();
    cache.forEachUsedBy("batch-a", e -> used.add(e.text()));
    assertThat(used).containsExactlyInAnyOrder("answer 1", "answer 3");
    List<String> none = new ArrayList<>();
    cache.forEachUsedBy("batch-c", e -> none.add(e.text()));
    assertThat(none).isEmpty();
  }

  @Test
  void forEachUsedByStreamsABatchOfManyEntries() {
    int count = 1_203;
    for (int n = 1; n <= count; n++) {
      CacheEntry e = entry(n, "answer " + n);
      cache.put(e);
      cache.recordUse("big", e.key());
    }
    Set<String> seen = new HashSet<>();
    int[] calls = {0};
    cache.forEachUsedBy("big", e -> {
      calls[0]++;
      seen.add(e.key());
    });
    assertThat(calls[0]).isEqualTo(count);
    assertThat(seen).hasSize(count);
  }
}
