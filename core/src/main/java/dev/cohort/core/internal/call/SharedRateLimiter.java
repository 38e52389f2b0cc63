package dev.cohort.core.internal.call;

import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.port.RateLimits;
import dev.cohort.core.port.Sleeper;
import dev.cohort.core.port.Ticker;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CallGate} of a {@code Cohort}: one instance is shared by every batch, so all of them
 * together stay within the provider's limits.
 *
 * <ul>
 *   <li><b>Requests and tokens per minute</b> are token buckets that refill continuously at {@link
 *       #PACE} of the limit and hold at most what 100 ms of it earns (at least one request), so calls
 *       go out evenly spaced: 600 requests per minute means one about every 100 ms, never a burst
 *       after a quiet spell. The limits are the ones told ({@link RateLimit}) or, when none was
 *       told or the provider reports a lower one, the ones the provider's {@code
 *       x-ratelimit-limit-*} headers report: a limiter told nothing learns them from the first
 *       answers.
 *   <li><b>Tokens</b> are estimated before a call (its prompt's characters / 4 plus its maximum
 *       output tokens, or, when it sets none, the limit's completion estimate) and corrected by the
 *       real usage afterwards: the difference goes back into (or is taken from) the bucket whole,
 *       and later estimates learn from what calls really cost (see {@link #estimatedTokens}). A
 *       failed call gets its output estimate back.
 *   <li><b>A provider rate-limit answer</b> (HTTP 429) pauses every caller for its retry-after
 *       ({@link #DEFAULT_PAUSE} without one, at most {@link RetryPolicy#MAX_RETRY_AFTER}).
 * </ul>
 *
 * <p>Why not the {@code x-ratelimit-remaining-*} headers: they describe the provider's window
 * when the answered request arrived, a latency ago, and calls sent since are not in them; spread
 * over the {@code reset} time they would also forget that the window refills meanwhile, throttling
 * a client that runs at the limit to a trickle. The limit itself is stable, and pacing at it is
 * what keeps a single client just below it.
 *
 * <p>Waiting callers queue in arrival order; only the first one sleeps on the clock, the others
 * wait for it, so a freed slot goes to the longest waiter and the injected clock and {@link
 * Sleeper} alone decide the timing (tests use a fake clock and never really sleep). While callers
 * wait, what the buckets earn is cut at twice their small capacity instead of once: a sleeper that
 * wakes up late on a busy machine would otherwise lose its oversleep from the rate, each time, and
 * twice is still no burst a per-second count would see. While no limit is known and no pause
 * holds, callers pass without queueing.
 *
 * <p><b>Workers sharing a limit</b> (several processes on one store, through a {@link WorkerShare}):
 * each paces at the limit, told or learned, divided by the number of live workers, asked at every
 * call, after every answer and while callers wait, so a worker that joins or leaves changes every
 * worker's pace within one heartbeat.
 */
public final class SharedRateLimiter implements CallGate {
  /** How long everyone pauses after a rate-limit answer that gave no retry-after. */
  public static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);

  /**
   * The share of a limit that calls are paced at. A provider that counts a strict sliding minute
   * refuses the call that would pass the limit, and calls reach it a little unevenly (network,
   * scheduling), while a token estimate is corrected only when the answer arrives: 1.5 % of
   * headroom keeps a client that runs at the limit free of 429s without wasting the limit.
   */
  public static final double PACE = 0.985;

  private static final Logger LOG = LoggerFactory.getLogger(SharedRateLimiter.class);
  private static final double BURST_SECONDS = 0.1;
  private static final double CHARACTERS_PER_TOKEN = 4;
  /** How much each answer moves the learned estimates: about the last 20 answers count. */
  private static final double LEARNING_RATE = 0.05;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  /** The longest single sleep: a shorter wait (a token refund, a lifted pause) is noticed soon. */
  private static final long MAX_SLEEP_NANOS = 250 * NANOS_PER_MILLI;

  private final RateLimit limit;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final WorkerShare share;
  /** The workers the limits are divided among, as last asked; written under {@link #state}. */
  private volatile int workers = 1;
  /** Fair: the caller waiting longest goes first; it alone sleeps on the clock. */
  private final ReentrantLock queue = new ReentrantLock(true);
  /** Guards the buckets, the estimates and the pause, which callbacks of finished calls also change. */
  private final Object state = new Object();

  private @Nullable TokenBucket requests;
  private @Nullable TokenBucket tokens;
  private long requestsPerMinute;
  private long tokensPerMinute;
  /** Calls that went before any limit was known: a limit learned later counts them as sent. */
  private final AtomicLong unpaced = new AtomicLong();
  /** Whether any bucket exists or a pause was ever set: until then callers pass straight through. */
  private volatile boolean pacing;
  private long pausedUntil;
  /** The tokens taken for each call in flight, to correct exactly what was taken. */
  private final Map<ChatRequest, Long> taken = new IdentityHashMap<>();
  /** Real prompt tokens per estimated (characters / 4) prompt token, learned from the answers. */
  private double promptRatio = 1;
  /** Output tokens of calls that set no maximum, learned from the answers. */
  private double completionTokens;
  private long promptAnswers;
  private long completionAnswers;

  private SharedRateLimiter(RateLimit limit, Ticker ticker, Sleeper sleeper, WorkerShare share) {
    this.limit = limit;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.share = share;
    this.completionTokens = limit.completionTokensEstimate();
    long now = ticker.nanos();
    this.pausedUntil = now;
    limit.requestsPerMinute().ifPresent(rpm -> setRequestsPerMinute(rpm, now));
    limit.tokensPerMinute().ifPresent(tpm -> setTokensPerMinute(tpm, now));
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
    return of(limit, ticker, sleeper, WorkerShare.ALONE);
  }

  /**
   * A limiter on an injected clock that paces at the limits divided among the workers {@code
   * share} counts.
   *
   * @param ticker a monotonic nanosecond time source
   * @param sleeper how callers wait
   * @param share the workers that share the limit with this one
   */
  public static SharedRateLimiter of(RateLimit limit, Ticker ticker, Sleeper sleeper, WorkerShare share) {
    return new SharedRateLimiter(Objects.requireNonNull(limit, "limit"), Objects.requireNonNull(ticker, "ticker"),
        Objects.requireNonNull(sleeper, "sleeper"), Objects.requireNonNull(share, "share"));
  }

  /** The number of workers the limits are divided among, as last asked. */
  public int workers() {
    return workers;
  }

  /** The configured limit. */
  public RateLimit limit() {
    return limit;
  }

  /**
   * The tokens a call is assumed to cost before it is sent: its prompt's characters / 4 plus its
   * maximum output tokens (the limit's completion estimate when it sets none). Once answers have
   * reported their usage, the prompt part is scaled by how many tokens such prompts really had,
   * and the output part of calls without a maximum is what such calls really returned (both the
   * mean of the first answers, then averaged over about the last 20).
   */
  public long estimatedTokens(ChatRequest request) {
    synchronized (state) {
      return promptEstimate(request) + completionEstimate(request);
    }
  }

  @Override
  public void acquire(ChatRequest request) throws InterruptedException {
    followShare();
    if (!pacing) {
      unpaced.incrementAndGet();
      return;
    }
    queue.lockInterruptibly();
    try {
      while (true) {
        long wait;
        synchronized (state) {
          long now = ticker.nanos();
          long cost = promptEstimate(request) + completionEstimate(request);
          wait = nanosUntilAllowed(cost, now);
          if (wait <= 0) {
            grant(request, cost, now);
            return;
          }
          holdBack(cost, now);
        }
        sleeper.sleep(sleepFor(wait));
        followShare();
      }
    } finally {
      queue.unlock();
    }
  }

  @Override
  public void completed(ChatRequest request, ChatResponse response) {
    RateLimits reported = response.rateLimits();
    long actual = response.usage().totalTokens();
    followShare();
    if (!pacing && reported == null) {
      return;
    }
    synchronized (state) {
      long now = ticker.nanos();
      @Nullable Long estimate = taken.remove(request);
      if (reported != null) {
        adopt(reported, now);
      }
      // Servers that report no usage leave the estimate standing.
      if (actual > 0) {
        learn(request, response);
        if (tokens != null) {
          // A call sent before any limit was known took nothing: all it cost is taken now.
          long overestimate = (estimate == null ? 0 : estimate) - actual;
          if (overestimate > 0) {
            tokens.give(overestimate, now);
          } else {
            tokens.take(-overestimate, now);
          }
        }
      }
    }
  }

  @Override
  public void failed(ChatRequest request) {
    followShare();
    if (!pacing) {
      return;
    }
    synchronized (state) {
      @Nullable Long estimate = taken.remove(request);
      if (tokens != null && estimate != null) {
        long prompt = promptEstimate(request);
        tokens.give(Math.max(0, estimate - prompt), ticker.nanos());
      }
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
      pacing = true;
      if (until - pausedUntil > 0) {
        pausedUntil = until;
        LOG.info("the model provider is rate limiting; pausing every model call for {} ms", pause.toMillis());
      }
    }
  }

  /**
   * Divides the limits among the workers the share counts now. Asked outside {@link #state}: a
   * share may go to its store.
   */
  private void followShare() {
    int now = Math.max(1, share.workers());
    // The usual case, a count that did not change, takes no lock.
    if (now == workers) {
      return;
    }
    synchronized (state) {
      if (now == workers) {
        return;
      }
      workers = now;
      long at = ticker.nanos();
      if (requests != null) {
        bucket(requests, requestsPerMinute, at);
      }
      if (tokens != null) {
        bucket(tokens, tokensPerMinute, at);
      }
    }
  }

  /** Takes the provider's reported limits where none was told or the told one is higher. */
  private void adopt(RateLimits reported, long now) {
    @Nullable Long reportedRequests = reported.limitRequests();
    if (reportedRequests != null && reportedRequests > 0) {
      long told = limit.requestsPerMinute().isPresent() ? limit.requestsPerMinute().getAsInt() : Long.MAX_VALUE;
      long effective = Math.min(told, reportedRequests);
      if (effective != requestsPerMinute) {
        boolean first = requests == null;
        TokenBucket bucket = setRequestsPerMinute(effective, now);
        if (first) {
          // The calls that went before the limit was known are in the provider's minute too (at
          // most a minute's worth: older ones have left it).
          bucket.take(Math.min(unpaced.getAndSet(0), effective), now);
        }
        LOG.info("pacing model calls at the provider's limit of {} requests per minute", effective);
      }
    }
    @Nullable Long reportedTokens = reported.limitTokens();
    if (reportedTokens != null && reportedTokens > 0) {
      long told = limit.tokensPerMinute().isPresent() ? limit.tokensPerMinute().getAsLong() : Long.MAX_VALUE;
      long effective = Math.min(told, reportedTokens);
      if (effective != tokensPerMinute) {
        setTokensPerMinute(effective, now);
        LOG.info("pacing model calls at the provider's limit of {} tokens per minute", effective);
      }
    }
  }

  private TokenBucket setRequestsPerMinute(long perMinute, long now) {
    requestsPerMinute = perMinute;
    TokenBucket bucket = bucket(requests, perMinute, now);
    requests = bucket;
    pacing = true;
    return bucket;
  }

  private void setTokensPerMinute(long perMinute, long now) {
    tokensPerMinute = perMinute;
    tokens = bucket(tokens, perMinute, now);
    pacing = true;
  }

  /** Moves the estimates towards what this call really cost. */
  private void learn(ChatRequest request, ChatResponse response) {
    long promptTokens = response.usage().promptTokens();
    double promptGuess = request.promptCharacters() / CHARACTERS_PER_TOKEN;
    if (promptTokens > 0 && promptGuess >= 1) {
      promptAnswers++;
      // The mean of the answers so far, then a moving average of about the last 20.
      promptRatio += Math.max(LEARNING_RATE, 1.0 / promptAnswers) * (promptTokens / promptGuess - promptRatio);
    }
    Integer maxTokens = request.maxTokens();
    if (maxTokens == null || maxTokens <= 0) {
      completionAnswers++;
      completionTokens += Math.max(LEARNING_RATE, 1.0 / completionAnswers)
          * (response.usage().completionTokens() - completionTokens);
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
    return wait;
  }

  /**
   * Marks the buckets that hold a caller back as awaited, so that what they earn while it sleeps is
   * not cut at their capacity; the others stay capped. While everyone pauses for a 429 nothing is
   * kept: the provider's minute is full.
   */
  private void holdBack(long cost, long now) {
    boolean paused = pausedUntil - now > 0;
    if (requests != null) {
      requests.awaited(!paused && requests.nanosUntil(1, now) > 0, now);
    }
    if (tokens != null) {
      tokens.awaited(!paused && tokens.nanosUntil(cost, now) > 0, now);
    }
  }

  private void grant(ChatRequest request, long cost, long now) {
    // With callers still queued, a bucket that held this one back goes on holding the next: it
    // stays awaited through the handover, however late the next caller gets a processor.
    boolean handover = queue.hasQueuedThreads();
    if (requests != null) {
      requests.take(1, now);
      if (!handover) {
        requests.awaited(false, now);
      }
    }
    if (tokens != null) {
      tokens.take(cost, now);
      if (!handover) {
        tokens.awaited(false, now);
      }
      taken.put(request, cost);
    }
  }

  /**
   * A bucket paced at {@link #PACE} of this worker's share of {@code perMinute}; an existing one
   * keeps what it holds.
   */
  private TokenBucket bucket(@Nullable TokenBucket existing, long perMinute, long now) {
    double perSecond = PACE * perMinute / workers / 60.0;
    double capacity = Math.max(1, perSecond * BURST_SECONDS);
    if (existing != null) {
      existing.retune(perSecond, capacity, now);
      return existing;
    }
    return new TokenBucket(perSecond, capacity, capacity, now);
  }

  private long promptEstimate(ChatRequest request) {
    return (long) Math.ceil(request.promptCharacters() / CHARACTERS_PER_TOKEN * promptRatio);
  }

  private long completionEstimate(ChatRequest request) {
    Integer maxTokens = request.maxTokens();
    return maxTokens != null && maxTokens > 0 ? maxTokens : Math.round(completionTokens);
  }

  /** Whole milliseconds, rounded up: the system sleeper cannot sleep less than one. */
  private static Duration sleepFor(long waitNanos) {
    long capped = Math.min(waitNanos, MAX_SLEEP_NANOS);
    return Duration.ofMillis((capped + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
  }
}
