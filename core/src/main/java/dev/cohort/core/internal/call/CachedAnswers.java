package dev.cohort.core.internal.call;

import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.port.CacheEntry;
import dev.cohort.core.port.CacheMode;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.ResponseCache;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache in front of the model calls: computes each request's key, serves intact hits
 * (a corrupted entry is ignored with a warning), stores answers in read-write mode and turns a
 * miss into an error in replay mode. {@link #NONE} is a cache that never answers.
 */
public final class CachedAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(CachedAnswers.class);

  /** No cache: every call goes to the model. */
  public static final CachedAnswers NONE =
      new CachedAnswers(null, CacheMode.OFF, null, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

  private final @Nullable ResponseCache cache;
  private final CacheMode mode;
  private final @Nullable LlmPort llm;
  private final Clock clock;

  private CachedAnswers(@Nullable ResponseCache cache, CacheMode mode, @Nullable LlmPort llm, Clock clock) {
    this.cache = cache;
    this.mode = mode;
    this.llm = llm;
    this.clock = clock;
  }

  /** The cache in {@code mode} for calls to {@code llm}; stored answers are stamped by {@code clock}. */
  public static CachedAnswers of(ResponseCache cache, CacheMode mode, LlmPort llm, Clock clock) {
    return new CachedAnswers(Objects.requireNonNull(cache, "cache"), Objects.requireNonNull(mode, "mode"),
        Objects.requireNonNull(llm, "llm"), Objects.requireNonNull(clock, "clock"));
  }

  /** The mode calls are made in. */
  public CacheMode mode() {
    return mode;
  }

  /**
   * The request's cache key: the SHA-256 over the model's endpoint and the request as the model
   * sends it (model, every parameter, messages, seed).
   */
  public static String key(LlmPort llm, ChatRequest request) {
    return TurnsDigest.sha256(llm.endpoint() + "\n" + llm.requestSignature(request));
  }

  /**
   * The stored answer to the request, or null when the model must be called.
   *
   * @throws CallFatalLlmException in replay mode, when there is no intact stored answer
   */
  @Nullable Lookup lookup(ChatRequest request, @Nullable CallScope scope) {
    ResponseCache c = cache;
    LlmPort model = llm;
    if (c == null || model == null || !mode.reads()) {
      return null;
    }
    String key = key(model, request);
    Optional<CacheEntry> found = c.find(key);
    if (found.isPresent() && !found.get().isIntact()) {
      LOG.warn("response cache entry {} does not match its stored SHA-256 (it was changed or corrupted);"
          + " it is ignored{}", key, mode.writes() ? " and will be replaced by a fresh answer" : "");
      found = Optional.empty();
    }
    if (found.isEmpty()) {
      if (mode == CacheMode.REPLAY) {
        throw new CallFatalLlmException("not in the cache: "
            + (scope == null ? "this call" : "simulation " + scope.sequenceNumber() + ", round " + scope.round())
            + " has no stored answer for its request (key " + key + "), and replay mode makes no model calls");
      }
      return new Lookup(key, null);
    }
    if (scope != null) {
      c.recordUse(scope.batchId(), key);
    }
    return new Lookup(key, found.get().toResponse());
  }

  /** Stores the model's answer under the key a {@link #lookup} computed, in read-write mode. */
  void store(Lookup lookup, ChatResponse response, @Nullable CallScope scope) {
    ResponseCache c = cache;
    if (c == null || !mode.writes()) {
      return;
    }
    c.put(CacheEntry.of(lookup.key(), response, clock.instant()));
    if (scope != null) {
      c.recordUse(scope.batchId(), lookup.key());
    }
  }

  /** A request's key and, on a hit, its stored answer. */
  record Lookup(String key, @Nullable ChatResponse hit) {}
}
