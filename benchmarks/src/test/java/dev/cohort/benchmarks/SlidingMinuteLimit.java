package dev.cohort.benchmarks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * An account's requests-per-minute and tokens-per-minute limits as a provider enforces them: a
 * request is admitted only if, counting it, the requests and the tokens admitted during the last
 * minute stay within the limits. As OpenAI documents, a refused request still counts against the
 * requests per minute (resending at once cannot help); it costs no tokens. Time is passed in
 * (nanoseconds), so tests move it by hand. Not thread-safe; its owner locks.
 */
final class SlidingMinuteLimit {
  static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

  /**
   * What the limit answered for one request, and what the {@code x-ratelimit-*} headers report.
   *
   * @param requestsRanOut for a refused request, whether the requests per minute refused it (else
   *     the tokens per minute did)
   * @param retryAfter for a refused request, how long until it would be admitted
   * @param resetRequests how long until the requests counted now have all left the window (its
   *     initial state, as OpenAI defines the reset)
   * @param resetTokens likewise for the tokens
   */
  record Decision(
      boolean admitted,
      boolean requestsRanOut,
      long limitRequests,
      long remainingRequests,
      Duration resetRequests,
      long limitTokens,
      long remainingTokens,
      Duration resetTokens,
      Duration retryAfter) {}

  private final long requestsPerMinute;
  private final long tokensPerMinute;
  /** Every request of the last minute, oldest first: {arrival nanos, tokens}. */
  private final Deque<long[]> window = new ArrayDeque<>();
  private long requests;
  private long tokens;

  SlidingMinuteLimit(long requestsPerMinute, long tokensPerMinute) {
    if (requestsPerMinute < 1 || tokensPerMinute < 1) {
      throw new IllegalArgumentException(
          "limits must be at least 1, were " + requestsPerMinute + " RPM and " + tokensPerMinute + " TPM");
    }
    this.requestsPerMinute = requestsPerMinute;
    this.tokensPerMinute = tokensPerMinute;
  }

  /** Admits or refuses a request of {@code cost} tokens arriving at {@code now}. */
  Decision admit(long now, long cost) {
    expire(now);
    boolean requestsRanOut = requests + 1 > requestsPerMinute;
    boolean admitted = !requestsRanOut && tokens + cost <= tokensPerMinute;
    window.addLast(new long[] {now, admitted ? cost : 0});
    requests++;
    if (admitted) {
      tokens += cost;
    }
    // Counted after the refused request itself, which holds a place in the minute too.
    Duration retryAfter = admitted ? Duration.ZERO : Duration.ofNanos(nanosUntilRoom(now, 1, cost));
    // This request is the newest in the window: the window is back to its initial state a minute
    // after it (for tokens, a minute after the newest request that cost any).
    Duration reset = Duration.ofNanos(MINUTE_NANOS);
    Duration tokenReset = tokens == 0 ? Duration.ZERO : Duration.ofNanos(lastWithTokens() + MINUTE_NANOS - now);
    return new Decision(admitted, requestsRanOut,
        requestsPerMinute, Math.max(0, requestsPerMinute - requests), reset,
        tokensPerMinute, Math.max(0, tokensPerMinute - tokens), tokenReset, retryAfter);
  }

  /** How long until {@code extraRequests} more requests and {@code extraTokens} more tokens fit. */
  private long nanosUntilRoom(long now, long extraRequests, long extraTokens) {
    long requestsLeft = requests;
    long tokensLeft = tokens;
    if (requestsLeft + extraRequests <= requestsPerMinute && tokensLeft + extraTokens <= tokensPerMinute) {
      return 0;
    }
    for (long[] entry : window) {
      requestsLeft--;
      tokensLeft -= entry[1];
      if (requestsLeft + extraRequests <= requestsPerMinute && tokensLeft + extraTokens <= tokensPerMinute) {
        return entry[0] + MINUTE_NANOS - now;
      }
    }
    // More than a whole minute's tokens: it never fits (OpenAI refuses such a request outright).
    return MINUTE_NANOS;
  }

  /** When the newest request that cost tokens arrived; only called while the window holds tokens. */
  private long lastWithTokens() {
    Iterator<long[]> newestFirst = window.descendingIterator();
    while (newestFirst.hasNext()) {
      long[] entry = newestFirst.next();
      if (entry[1] > 0) {
        return entry[0];
      }
    }
    throw new IllegalStateException("the window holds tokens but no request that cost any");
  }

  private void expire(long now) {
    while (!window.isEmpty() && now - window.peekFirst()[0] >= MINUTE_NANOS) {
      long[] gone = window.pollFirst();
      requests--;
      tokens -= gone[1];
    }
  }
}
