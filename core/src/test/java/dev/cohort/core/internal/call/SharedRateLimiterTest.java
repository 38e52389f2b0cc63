package dev.cohort.core.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.port.RateLimits;
import dev.cohort.core.port.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SharedRateLimiterTest {
  private static final ChatRequest SMALL = request(8, 10);

  private final FakeTime time = new FakeTime();

  @Test
  void callsAreSpacedEvenlyInsteadOfBursting() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.ofRequestsPerMinute(600));

    List<Duration> grants = acquire(limiter, SMALL, 30);

    assertThat(grants.get(0)).isEqualTo(Duration.ZERO);
    for (int i = 1; i < grants.size(); i++) {
      assertThat(grants.get(i).minus(grants.get(i - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {60, 90, 600})
  void noOneSecondWindowHoldsMoreThanItsShareOfTheMinute(int requestsPerMinute)
      throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.ofRequestsPerMinute(requestsPerMinute));

    List<Duration> grants = acquire(limiter, SMALL, 200);

    assertThat(busiestWindow(grants, Duration.ofSeconds(1)))
        .isEqualTo((int) Math.ceil(requestsPerMinute / 60.0));
  }

  @Test
  void aCallerThatOversleepsDoesNotLowerTheRate() throws InterruptedException {
    // A busy machine wakes every sleeper 50 ms late: with the bucket cut at its capacity of one
    // call, each call would lose those 50 ms and 600 a minute would become about 400.
    SharedRateLimiter limiter = limiter(RateLimit.ofRequestsPerMinute(600));
    time.onSleep(() -> time.advance(Duration.ofMillis(50)));

    List<Duration> grants = acquire(limiter, SMALL, 101);

    assertThat(grants.get(100)).isBetween(paced(Duration.ofSeconds(10)), paced(Duration.ofSeconds(10)).plusMillis(150));
  }

  @Test
  void aQuietSpellDoesNotSaveUpABurst() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.ofRequestsPerMinute(600));
    acquire(limiter, SMALL, 3);
    time.advance(Duration.ofMinutes(10));
    Duration quietEnd = time.elapsed();

    List<Duration> grants = acquire(limiter, SMALL, 20);

    assertThat(grants.get(0)).isEqualTo(quietEnd);
    assertThat(busiestWindow(grants, Duration.ofSeconds(1))).isEqualTo(10);
  }

  @Test
  void manyThreadsTogetherStayWithinTheLimit() throws Exception {
    SharedRateLimiter limiter = limiter(RateLimit.ofRequestsPerMinute(600));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            limiter.acquire(SMALL);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    // 200 calls one every 100 ms: the last cannot go before 19.9 s of (fake) time have passed.
    assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(19_900));
  }

  @Test
  void withoutALimitEveryCallGoesAtOnce() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.NONE);

    List<Duration> grants = acquire(limiter, request(40_000, 4_000), 100);

    assertThat(grants).containsOnly(Duration.ZERO);
  }

  @Test
  void aRateLimitAnswerPausesEveryCallerForItsRetryAfter() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.NONE);
    limiter.acquire(SMALL);
    time.advance(Duration.ofMillis(50));

    limiter.rateLimited(Duration.ofSeconds(3));

    List<Duration> grants = acquire(limiter, SMALL, 3);
    assertThat(grants).containsOnly(Duration.ofMillis(3_050));
  }

  @Test
  void aPauseThatArrivesWhileACallerWaitsHoldsItBackToo() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.ofRequestsPerMinute(60));
    limiter.acquire(SMALL);
    AtomicBoolean paused = new AtomicBoolean();
    time.onSleep(() -> {
      if (paused.compareAndSet(false, true)) {
        limiter.rateLimited(Duration.ofSeconds(5));
      }
    });

    List<Duration> grants = acquire(limiter, SMALL, 1);

    // Without the pause the call would have gone at 1 s; the pause began after its first nap.
    assertThat(grants.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aRateLimitAnswerWithoutRetryAfterPausesForTheDefault() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.NONE);

    limiter.rateLimited(null);

    assertThat(acquire(limiter, SMALL, 1)).containsExactly(SharedRateLimiter.DEFAULT_PAUSE);
  }

  @Test
  void aRetryAfterLongerThanTheCapPausesOnlyForTheCap() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.NONE);

    limiter.rateLimited(Duration.ofHours(1));

    assertThat(acquire(limiter, SMALL, 1)).containsExactly(RetryPolicy.MAX_RETRY_AFTER);
  }

  @Test
  void aShorterPauseDoesNotCutALongerOneShort() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.NONE);

    limiter.rateLimited(Duration.ofSeconds(10));
    limiter.rateLimited(Duration.ofSeconds(2));

    assertThat(acquire(limiter, SMALL, 1)).containsExactly(Duration.ofSeconds(10));
  }

  @Test
  void tokensEstimateAQuarterOfThePromptPlusTheMaximumOutput() {
    SharedRateLimiter limiter = limiter(RateLimit.ofTokensPerMinute(1_000));

    assertThat(limiter.estimatedTokens(request(401, 100))).isEqualTo(101 + 100);
    assertThat(limiter.estimatedTokens(request(400, null))).isEqualTo(100 + 1024);
    assertThat(limiter(RateLimit.ofTokensPerMinute(1_000).withCompletionTokensEstimate(300))
            .estimatedTokens(request(400, null)))
        .isEqualTo(100 + 300);
  }

  @Test
  void tokensPerMinuteSpaceCallsByTheirEstimatedCost() throws InterruptedException {
    // 6,000 tokens a minute = 100 a second, paced at 98.5; each call is estimated at 200 tokens.
    SharedRateLimiter limiter = limiter(RateLimit.ofTokensPerMinute(6_000));

    List<Duration> grants = acquire(limiter, request(400, 100), 4);

    assertThat(grants.get(0)).isEqualTo(Duration.ZERO);
    for (int i = 1; i < grants.size(); i++) {
      assertThat(grants.get(i).minus(grants.get(i - 1))).isBetween(paced(Duration.ofSeconds(2)).minusMillis(2), paced(Duration.ofSeconds(2)).plusMillis(2));
    }
  }

  /**
   * How a call estimated at 200 tokens (100 prompt, 100 output) ends, and how long the next one then
   * waits at 100 tokens a second (before the {@link SharedRateLimiter#PACE} headroom).
   */
  static Stream<Arguments> callEndings() {
    return Stream.of(
        // 180 of the 200 estimated tokens come back: the next call waits 0.2 s instead of 2 s.
        Arguments.of("real usage below the estimate gives tokens back", new TokenUsage(15, 5, 0),
            Duration.ofMillis(200)),
        Arguments.of("real usage above the estimate delays later calls", new TokenUsage(300, 100, 0),
            Duration.ofSeconds(4)),
        Arguments.of("an answer without usage keeps the estimate", TokenUsage.ZERO, Duration.ofSeconds(2)),
        // Only the 100 prompt tokens stay counted: the next call waits 1 s instead of 2 s.
        Arguments.of("a failed call gets its output estimate back", null, Duration.ofSeconds(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("callEndings")
  void whatACallReallyCostDecidesWhenTheNextMayStart(String ending, @Nullable TokenUsage usage, Duration nextWait)
      throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.ofTokensPerMinute(6_000));
    ChatRequest call = request(400, 100);
    limiter.acquire(call);

    if (usage == null) {
      limiter.failed(call);
    } else {
      limiter.completed(call, answer(usage, null));
    }

    assertThat(acquire(limiter, call, 1).get(0)).as(ending).isBetween(paced(nextWait).minusMillis(2), paced(nextWait).plusMillis(2));
  }

  @Test
  void toldNoLimitItPacesAtTheLimitsTheProviderReports() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.NONE);
    assertThat(acquire(limiter, SMALL, 5)).containsOnly(Duration.ZERO);

    limiter.completed(SMALL, answer(TokenUsage.ZERO,
        new RateLimits(600L, 595L, Duration.ofSeconds(60), null, null, null)));

    // The five calls that went before the limit was known count: the next waits for them.
    List<Duration> grants = acquire(limiter, SMALL, 3);
    assertThat(grants.get(0)).isBetween(paced(Duration.ofMillis(500)).minusMillis(2), paced(Duration.ofMillis(500)).plusMillis(2));
    assertThat(grants.get(2).minus(grants.get(1))).isBetween(paced(Duration.ofMillis(100)).minusMillis(2), paced(Duration.ofMillis(100)).plusMillis(2));
  }

  @Test
  void aReportedTokenLimitCountsWhatTheAnswerAlreadyCost() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.NONE);
    ChatRequest call = request(400, 100);
    limiter.acquire(call);

    // 6,000 tokens a minute = 100 a second; the call that went unpaced cost 300.
    limiter.completed(call, answer(new TokenUsage(200, 100, 0),
        new RateLimits(null, null, null, 6_000L, 5_700L, Duration.ofSeconds(60))));

    assertThat(acquire(limiter, call, 1).get(0)).isBetween(paced(Duration.ofSeconds(3)).minusMillis(2), paced(Duration.ofSeconds(3)).plusMillis(2));
  }

  @Test
  void aToldLimitAboveTheReportedOneGivesWay() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.ofRequestsPerMinute(6_000));
    limiter.completed(SMALL, answer(TokenUsage.ZERO,
        new RateLimits(60L, 59L, Duration.ofSeconds(1), null, null, null)));

    List<Duration> grants = acquire(limiter, SMALL, 3);

    assertThat(grants.get(2).minus(grants.get(1))).isBetween(paced(Duration.ofSeconds(1)).minusMillis(2), paced(Duration.ofSeconds(1)).plusMillis(2));
  }

  @Test
  void aToldLimitBelowTheReportedOneStands() throws InterruptedException {
    SharedRateLimiter limiter = limiter(RateLimit.ofRequestsPerMinute(60));
    limiter.completed(SMALL, answer(TokenUsage.ZERO,
        new RateLimits(10_000L, 9_999L, Duration.ofMillis(6), null, null, null)));

    List<Duration> grants = acquire(limiter, SMALL, 3);

    assertThat(grants.get(2).minus(grants.get(1))).isBetween(paced(Duration.ofSeconds(1)).minusMillis(2), paced(Duration.ofSeconds(1)).plusMillis(2));
  }

  @Test
  void lowRemainingQuotaDoesNotThrottleACallerAlreadyPacedAtTheLimit() throws InterruptedException {
    // A strict sliding minute run at its limit always reports little left and a reset a minute
    // away; spreading the 5 left over that minute would send 5 calls a minute instead of 600.
    SharedRateLimiter limiter = limiter(RateLimit.ofRequestsPerMinute(600));
    limiter.completed(SMALL, answer(TokenUsage.ZERO,
        new RateLimits(600L, 5L, Duration.ofSeconds(60), null, null, null)));

    List<Duration> grants = acquire(limiter, SMALL, 11);

    assertThat(grants.get(10)).isLessThan(Duration.ofMillis(1_100));
  }

  @Test
  void estimatesLearnWhatCallsReallyCost() {
    SharedRateLimiter limiter = limiter(RateLimit.ofTokensPerMinute(1_000_000));
    ChatRequest call = request(400, null);
    assertThat(limiter.estimatedTokens(call)).isEqualTo(100 + 1024);

    for (int i = 0; i < 200; i++) {
      limiter.completed(call, answer(new TokenUsage(150, 300, 0), null));
    }

    assertThat(limiter.estimatedTokens(call)).isBetween(150L + 300 - 2, 150L + 300 + 2);
  }

  @Test
  void aRefundIsNotLostWhileCallersWait() throws InterruptedException {
    // 100 tokens a second: a call estimated at 1,100 that really cost 200 gives back 900, whole,
    // though the bucket holds at most 10 at a time.
    SharedRateLimiter limiter = limiter(RateLimit.ofTokensPerMinute(6_000));
    ChatRequest call = request(400, 1_000);
    limiter.acquire(call);
    time.advance(Duration.ofSeconds(11));

    limiter.completed(call, answer(new TokenUsage(100, 100, 0), null));

    // Two calls of 900 go at once; with the refund cut to what the bucket holds, the second would
    // wait 9 s.
    List<Duration> grants = acquire(limiter, request(400, 800), 2);
    assertThat(grants.get(0)).isEqualTo(Duration.ofSeconds(11));
    assertThat(grants.get(1)).isLessThan(Duration.ofMillis(11_500));
  }

  @Test
  void aSleepingCallerCanBeInterrupted() throws Exception {
    SharedRateLimiter limiter = SharedRateLimiter.of(RateLimit.NONE, System::nanoTime, Sleeper.SYSTEM);
    limiter.rateLimited(Duration.ofSeconds(60));
    Caller first = Caller.start(limiter);
    first.awaitState(Thread.State.TIMED_WAITING);

    first.thread.interrupt();

    assertThat(first.outcome()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void aCallerQueuedBehindASleeperCanBeInterrupted() throws Exception {
    SharedRateLimiter limiter = SharedRateLimiter.of(RateLimit.NONE, System::nanoTime, Sleeper.SYSTEM);
    limiter.rateLimited(Duration.ofSeconds(60));
    Caller first = Caller.start(limiter);
    first.awaitState(Thread.State.TIMED_WAITING);
    Caller second = Caller.start(limiter);
    second.awaitState(Thread.State.WAITING);

    second.thread.interrupt();
    try {
      assertThat(second.outcome()).isInstanceOf(InterruptedException.class);
    } finally {
      first.thread.interrupt();
      first.outcome();
    }
  }

  /** A thread calling {@code acquire} for real. */
  private static final class Caller {
    final Thread thread;
    final AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();

    private Caller(SharedRateLimiter limiter) {
      thread = new Thread(() -> {
        try {
          limiter.acquire(SMALL);
        } catch (Throwable e) {
          thrown.set(e);
        }
      });
    }

    static Caller start(SharedRateLimiter limiter) {
      Caller caller = new Caller(limiter);
      caller.thread.start();
      return caller;
    }

    void awaitState(Thread.State state) {
      await("caller to reach " + state).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
          .until(() -> thread.getState() == state);
    }

    @Nullable Throwable outcome() throws InterruptedException {
      thread.join(10_000);
      assertThat(thread.isAlive()).as("caller still waiting").isFalse();
      return thrown.get();
    }
  }

  /** How long {@code atTheLimit} takes at the pace the limiter keeps, just below the limit. */
  private static Duration paced(Duration atTheLimit) {
    return Duration.ofNanos((long) (atTheLimit.toNanos() / SharedRateLimiter.PACE));
  }

  private SharedRateLimiter limiter(RateLimit limit) {
    return SharedRateLimiter.of(limit, time, time);
  }

  /** Acquires {@code count} times in a row; returns the (fake) time of each grant. */
  private List<Duration> acquire(SharedRateLimiter limiter, ChatRequest request, int count)
      throws InterruptedException {
    List<Duration> grants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      limiter.acquire(request);
      grants.add(time.elapsed());
    }
    return grants;
  }

  /** The most grants in any window of {@code width} that starts at a grant (half-open). */
  private static int busiestWindow(List<Duration> grants, Duration width) {
    int most = 0;
    for (int i = 0; i < grants.size(); i++) {
      Duration end = grants.get(i).plus(width);
      int inside = 0;
      for (int j = i; j < grants.size() && grants.get(j).compareTo(end) < 0; j++) {
        inside++;
      }
      most = Math.max(most, inside);
    }
    return most;
  }

  private static ChatRequest request(int promptCharacters, @Nullable Integer maxTokens) {
    return ChatRequest.builder()
        .message(ChatMessage.user("x".repeat(promptCharacters))).maxTokens(maxTokens).build();
  }

  private static ChatResponse answer(TokenUsage usage, @Nullable RateLimits limits) {
    return new ChatResponse("ok", usage, "stop", null, null, limits);
  }
}
