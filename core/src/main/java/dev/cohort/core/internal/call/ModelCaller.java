package dev.cohort.core.internal.call;

import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.port.Sleeper;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request through the {@link CallGate} and retries retryable failures by the {@link
 * RetryPolicy}. Batch-fatal and call-fatal failures pass straight through.
 */
public final class ModelCaller {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCaller.class);

  private final LlmPort llm;
  private final CallGate gate;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final CachedAnswers cache;

  public ModelCaller(LlmPort llm, CallGate gate, RetryPolicy policy, Sleeper sleeper) {
    this(llm, gate, policy, sleeper, CachedAnswers.NONE);
  }

  /** A caller that asks {@code cache} first: a hit takes no rate-limit token and makes no call. */
  public ModelCaller(LlmPort llm, CallGate gate, RetryPolicy policy, Sleeper sleeper, CachedAnswers cache) {
    this.llm = llm;
    this.gate = gate;
    this.policy = policy;
    this.sleeper = sleeper;
    this.cache = cache;
  }

  /** Calls the model, or answers from the response cache, for a call of no particular simulation. */
  public ChatResponse call(ChatRequest request) throws InterruptedException {
    return call(request, null);
  }

  /**
   * Answers from the response cache when it holds an intact answer (a hit, no call), else calls
   * the model until it answers or a failure is final (and stores the answer in read-write mode).
   *
   * @param scope the simulation and round the call is for, or null
   * @throws dev.cohort.core.port.CallFatalLlmException in replay mode, when the answer is not in
   *     the cache
   * @throws RetryableLlmException the last failure, once {@link RetryPolicy#maxAttempts()} calls
   *     have failed; its message says how many
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  public ChatResponse call(ChatRequest request, @Nullable CallScope scope) throws InterruptedException {
    // The cache sits in front of the gate: a hit takes no rate-limit token.
    CachedAnswers.@Nullable Lookup lookup = cache.lookup(request, scope);
    @Nullable ChatResponse hit = lookup == null ? null : lookup.hit();
    if (hit != null) {
      return hit;
    }
    ChatResponse response = callModel(request);
    if (lookup != null) {
      cache.store(lookup, response, scope);
    }
    return response;
  }

  private ChatResponse callModel(ChatRequest request) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      gate.acquire(request);
      try {
        ChatResponse response = llm.chat(request);
        gate.completed(request, response);
        return response;
      } catch (RetryableLlmException e) {
        gate.failed(request);
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("interrupted during a model call");
        }
        @Nullable Duration retryAfter = e.retryAfter();
        if (e.isRateLimit()) {
          gate.rateLimited(retryAfter);
        }
        if (attempt + 1 >= policy.maxAttempts()) {
          throw new RetryableLlmException(
              "gave up after " + policy.maxAttempts() + " attempts: " + e.getMessage(),
              e, e.httpStatus(), e.errorCode(), e.requestId(), retryAfter);
        }
        Duration delay = policy.delay(attempt, retryAfter);
        LOG.debug("model call failed ({}); attempt {} of {} in {} ms",
            e.getMessage(), attempt + 2, policy.maxAttempts(), delay.toMillis());
        sleeper.sleep(delay);
      } catch (RuntimeException e) {
        gate.failed(request);
        throw e;
      }
    }
  }
}
