package dev.cohort.core.internal.call;

import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.port.RateLimits;
import dev.cohort.core.port.Sleeper;
import dev.cohort.core.port.Ticker;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CallGate} of a {@code Cohort} with a {@link RateLimit}: one instance is shared by
 * every batch, so all of them together stay within the provider's limits.
 *
 * <ul>
 *   <li><b>Requests and tokens per minute</b> are token buckets that refill continuously and hold
 *       at most what 100 ms of their rate earns (at least one request), so calls go out evenly
 *       spaced: 600 requests per minute means one every 100 ms, never a burst after a quiet spell.
 *   <li><b>Tokens</b> are estimated before a call (a quarter of the prompt's characters plus the
 *       call's maximum output tokens, or the limit's estimate when it sets none) and corrected by
 *       the real usage afterwards; a failed call gets its output estimate back.
 *   <li><b>A provider rate-limit answer</b> (HTTP 429) pauses every caller for its retry-after
 *       ({@link #DEFAULT_PAUSE} without one, at most {@link RetryPolicy#MAX_RETRY_AFTER}).
 *   <li><b>The provider's remaining-quota headers</b> slow callers down once less than a tenth of
 *       a quota is left, spreading what remains over the time until it resets.
 * </ul>
 *
 * <p>Waiting callers queue in arrival order; only the first one sleeps on the clock, the others
 * wait for it, so a freed slot goes to the longest waiter and the injected clock and {@link
 * Sleeper} alone decide the timing (tests use a fake clock and never really sleep).
 */
public final class SharedRateLimiter implements CallGate {
  /** How long everyone pauses after a rate-limit answer that gave no retry-after. */
  public static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(SharedRateLimiter.class);
  private static final double BURST_SECONDS = 0.1;
  private static final double CHARACTERS_PER_TOKEN = 4;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  /** The longest single sleep: a shorter wait (a token refund, a lifted brake) is noticed soon. */
  private static final long MAX_SLEEP_NANOS = 250 * NANOS_PER_MILLI;

  private final RateLimit limit;
  private final Ticker ticker;
  private final Sleeper sleeper;
  /** Fair: the caller waiting longest goes first; it alone sleeps on the clock. */
  private final ReentrantLock queue = new ReentrantLock(true);
  /** Guards the buckets, hints and pause, which callbacks of finished calls also change. */
  private final Object state = new Object();

  private final @Nullable TokenBucket requests;
  private final @Nullable TokenBucket tokens;
  private final QuotaHint requestHint = new QuotaHint();
  private final QuotaHint tokenHint = new QuotaHint();
  private long pausedUntil;

  private SharedRateLimiter(RateLimit limit, Ticker ticker, Sleeper sleeper) {
    this.limit = limit;
    this.ticker = ticker;
    this.sleeper = sleeper;
    long now = ticker.nanos();
    this.pausedUntil = now;
    this.requests = limit.requestsPerMinute().isPresent()
        ? bucket(limit.requestsPerMinute().getAsInt(), now)
        : null;
    this.tokens = limit.tokensPerMinute().isPresent()
        ? bucket(limit.tokensPerMinute().getAsLong(), now)
        : null;
  }

  /** A limiter on the system clock that sleeps for real. */
  public static SharedRateLimiter of(RateLimit limit) {
    return of(limit, Ticker.SYSTEM, Sleeper.SYSTEM);
  }

  /**
   * A limiter on an injected clock.
   *
   * @param ticker a monotonic nanosecond time source
   * @param sleeper how callers wait
   */
  public static SharedRateLimiter of(RateLimit limit, Ticker ticker, Sleeper sleeper) {
    return new SharedRateLimiter(limit, ticker, sleeper);
  }

  /** The configured limit. */
  public RateLimit limit() {
    return limit;
  }

  /**
   * The tokens a call is assumed to cost before it is sent: a quarter of its prompt's characters
   * plus its maximum output tokens (the limit's estimate when it sets none).
   */
  public long estimatedTokens(ChatRequest request) {
    return promptEstimate(request) + completionEstimate(request);
  }

  @Override
  public void acquire(ChatRequest request) throws InterruptedException {
    long cost = estimatedTokens(request);
    queue.lockInterruptibly();
    try {
      while (true) {
        long wait;
        synchronized (state) {
          long now = ticker.nanos();
          wait = nanosUntilAllowed(cost, now);
          if (wait <= 0) {
            grant(cost, now);
            return;
          }
        }
        sleeper.sleep(sleepFor(wait));
      }
    } finally {
      queue.unlock();
    }
  }

  @Override
  public void completed(ChatRequest request, ChatResponse response) {
    synchronized (state) {
      long now = ticker.nanos();
      long actual = response.usage().totalTokens();
      // Servers that report no usage leave the estimate standing.
      if (tokens != null && actual > 0) {
        long overestimate = estimatedTokens(request) - actual;
        if (overestimate > 0) {
          tokens.give(overestimate, now);
        } else {
          tokens.take(-overestimate, now);
        }
      }
      RateLimits reported = response.rateLimits();
      if (reported != null) {
        requestHint.update(
            reported.limitRequests(), reported.remainingRequests(), reported.resetRequests(), 1, now);
        tokenHint.update(
            reported.limitTokens(), reported.remainingTokens(), reported.resetTokens(), 1, now);
      }
    }
  }

  @Override
  public void failed(ChatRequest request) {
    if (tokens == null) {
      return;
    }
    synchronized (state) {
      tokens.give(completionEstimate(request), ticker.nanos());
    }
  }

  @Override
  public void rateLimited(@Nullable Duration retryAfter) {
    Duration pause = retryAfter == null || retryAfter.isNegative() ? DEFAULT_PAUSE : retryAfter;
    if (pause.compareTo(RetryPolicy.MAX_RETRY_AFTER) > 0) {
      pause = RetryPolicy.MAX_RETRY_AFTER;
    }
    synchronized (state) {
      long until = ticker.nanos() + pause.toNanos();
      if (until - pausedUntil > 0) {
        pausedUntil = until;
        LOG.info("the model provider is rate limiting; pausing every model call for {} ms", pause.toMillis());
      }
    }
  }

  private long nanosUntilAllowed(long cost, long now) {
    long wait = pausedUntil - now;
    if (requests != null) {
      wait = Math.max(wait, requests.nanosUntil(1, now));
    }
    if (tokens != null) {
      wait = Math.max(wait, tokens.nanosUntil(cost, now));
    }
    wait = Math.max(wait, requestHint.nanosUntil(1, now));
    return Math.max(wait, tokenHint.nanosUntil(cost, now));
  }

  private void grant(long cost, long now) {
    if (requests != null) {
      requests.take(1, now);
    }
    if (tokens != null) {
      tokens.take(cost, now);
    }
    requestHint.take(1, now);
    tokenHint.take(cost, now);
  }

  private static TokenBucket bucket(long perMinute, long now) {
    double perSecond = perMinute / 60.0;
    double capacity = Math.max(1, perSecond * BURST_SECONDS);
    return new TokenBucket(perSecond, capacity, capacity, now);
  }

  private long promptEstimate(ChatRequest request) {
    return (long) Math.ceil(request.promptCharacters() / CHARACTERS_PER_TOKEN);
  }

  private long completionEstimate(ChatRequest request) {
    Integer maxTokens = request.maxTokens();
    return maxTokens != null && maxTokens > 0 ? maxTokens : limit.completionTokensEstimate();
  }

  /** Whole milliseconds, rounded up: the system sleeper cannot sleep less than one. */
  private static Duration sleepFor(long waitNanos) {
    long capped = Math.min(waitNanos, MAX_SLEEP_NANOS);
    return Duration.ofMillis((capped + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
  }
}
