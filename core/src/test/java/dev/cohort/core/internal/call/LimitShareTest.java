package dev.cohort.core.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.port.RateLimits;
import dev.cohort.core.port.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A limiter sharing its limit with other workers, on a virtual clock. */
class LimitShareTest {
  private static final ChatRequest SMALL = ChatRequest.builder().message(ChatMessage.user("hello")).build();
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final String KEY = "https://api.example.com/v1 gpt-4o-mini";

  private final FakeTime time = new FakeTime();
  private final Registry registry = new Registry();
  private final LimitShare share = LimitShare.of(registry, KEY, "w1", new FakeClock(time), time, INTERVAL);

  @Test
  void eachOfThreeWorkersPacesAtAThirdOfTheLimit() throws InterruptedException {
    registry.live = 3;
    SharedRateLimiter limiter = SharedRateLimiter.of(RateLimit.ofRequestsPerMinute(600), time, time, share);

    List<Duration> grants = acquire(limiter, 31);

    // 600 a minute among three: 200 each, one every 300 ms (a little more: paced below the limit).
    assertPaced(gap(grants, 1, 31), Duration.ofMillis(300));
    assertThat(limiter.workers()).isEqualTo(3);
  }

  @Test
  void aLimitLearnedFromTheProvidersHeadersIsSharedTheSameWay() throws InterruptedException {
    registry.live = 2;
    SharedRateLimiter limiter = SharedRateLimiter.of(RateLimit.NONE, time, time, share);
    limiter.acquire(SMALL);
    limiter.completed(SMALL, new ChatResponse("ok", new TokenUsage(1, 1, 0), "stop", null, null,
        new RateLimits(600L, 599L, null, null, null, null)));

    List<Duration> grants = acquire(limiter, 21);

    assertPaced(gap(grants, 1, 21), Duration.ofMillis(200));
  }

  @Test
  void whenAWorkerStopsCountingTheOthersTakeItsShareWithinOneHeartbeat() throws InterruptedException {
    registry.live = 3;
    SharedRateLimiter limiter = SharedRateLimiter.of(RateLimit.ofRequestsPerMinute(600), time, time, share);
    acquire(limiter, 10);
    Duration dropped = time.elapsed();
    registry.live = 2;

    List<Duration> grants = acquire(limiter, 60);

    Duration settled = dropped.plus(INTERVAL).plus(Duration.ofMillis(300));
    List<Duration> after = grants.stream().filter(t -> t.compareTo(settled) > 0).toList();
    assertThat(after).hasSizeGreaterThan(20);
    assertPaced(gap(after, 1, after.size()), Duration.ofMillis(200));
    assertThat(limiter.workers()).isEqualTo(2);
  }

  @Test
  void aWorkerSendsOneHeartbeatPerIntervalWithATimeoutOfThree() throws InterruptedException {
    SharedRateLimiter limiter = SharedRateLimiter.of(RateLimit.ofRequestsPerMinute(600), time, time, share);

    acquire(limiter, 201);

    // 200 calls at 10 a second: 20 s of virtual time, a heartbeat at its start and every 2 s.
    long seconds = time.elapsed().toSeconds();
    assertThat(registry.heartbeats).hasSizeBetween((int) (seconds / 2), (int) (seconds / 2) + 1);
    assertThat(registry.timeout).isEqualTo(INTERVAL.multipliedBy(LimitShare.MISSED_HEARTBEATS));
    // Sent with the first call after it is due: at most one call's gap (100 ms) late.
    assertThat(registry.heartbeats.get(1)).isBetween(registry.heartbeats.get(0).plus(INTERVAL),
        registry.heartbeats.get(0).plus(INTERVAL).plusMillis(110));
  }

  @Test
  void whenTheStoreFailsTheLastShareStands() throws InterruptedException {
    registry.live = 3;
    SharedRateLimiter limiter = SharedRateLimiter.of(RateLimit.ofRequestsPerMinute(600), time, time, share);
    acquire(limiter, 2);
    registry.failing = true;

    List<Duration> grants = acquire(limiter, 30);

    assertPaced(gap(grants, 1, 30), Duration.ofMillis(300));
    assertThat(registry.failures).isGreaterThan(1);
  }

  @Test
  void leavingRemovesTheWorkerOnlyOnceItJoined() {
    LimitShare neverCalled = LimitShare.of(registry, KEY, "w0", new FakeClock(time), time, INTERVAL);
    neverCalled.leave();
    assertThat(registry.left).isEmpty();

    share.workers();
    share.leave();

    assertThat(registry.left).containsExactly("w1");
  }

  @Test
  void aWorkerThatLeftSendsNoMoreHeartbeats() {
    share.workers();
    share.leave();
    time.advance(INTERVAL.multipliedBy(2));

    share.workers();

    assertThat(registry.heartbeats).hasSize(1);
  }

  @Test
  void blankNamesAndANonPositiveIntervalAreRefused() {
    FakeClock clock = new FakeClock(time);
    assertThatThrownBy(() -> LimitShare.of(registry, " ", "w", clock, time, INTERVAL))
        .hasMessageContaining("limitKey");
    assertThatThrownBy(() -> LimitShare.of(registry, KEY, "", clock, time, INTERVAL))
        .hasMessageContaining("workerId");
    assertThatThrownBy(() -> LimitShare.of(registry, KEY, "w", clock, time, Duration.ZERO))
        .hasMessageContaining("interval");
  }

  /** The time between grant {@code from - 1} and grant {@code to - 1}, divided by the gaps between. */
  private static Duration gap(List<Duration> grants, int from, int to) {
    return grants.get(to - 1).minus(grants.get(from - 1)).dividedBy(to - from);
  }

  /**
   * Checks that {@code gap} is {@code atTheLimit} at the pace the limiter keeps, within the
   * millisecond its sleeper rounds sleeps to.
   */
  private static void assertPaced(Duration gap, Duration atTheLimit) {
    long paced = (long) (atTheLimit.toNanos() / SharedRateLimiter.PACE);
    assertThat(gap.toNanos()).isBetween(paced - 1_000_000, paced + 1_000_000);
  }

  private List<Duration> acquire(SharedRateLimiter limiter, int count) throws InterruptedException {
    List<Duration> grants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      limiter.acquire(SMALL);
      grants.add(time.elapsed());
    }
    return grants;
  }

  /** A registry whose count the test sets; it records the heartbeats it is sent. */
  private static final class Registry implements WorkerRegistry {
    volatile int live = 1;
    volatile boolean failing;
    int failures;
    Duration timeout = Duration.ZERO;
    final List<Instant> heartbeats = new ArrayList<>();
    final List<String> left = new ArrayList<>();

    @Override
    public synchronized int heartbeat(String limitKey, String workerId, Instant now, Duration timeout) {
      if (failing) {
        failures++;
        throw new IllegalStateException("the store is down");
      }
      heartbeats.add(now);
      this.timeout = timeout;
      return live;
    }

    @Override
    public synchronized void leave(String limitKey, String workerId) {
      left.add(workerId);
    }
  }

  /** A wall clock that moves with the fake time. */
  private static final class FakeClock extends Clock {
    private static final Instant EPOCH = Instant.parse("2026-11-30T10:00:00Z");
    private final FakeTime time;

    FakeClock(FakeTime time) {
      this.time = time;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return EPOCH.plus(time.elapsed());
    }
  }
}
