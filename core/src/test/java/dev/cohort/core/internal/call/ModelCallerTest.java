package dev.cohort.core.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RetryableLlmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ModelCallerTest {
  private static final ChatRequest REQUEST = ChatRequest.of(List.of(ChatMessage.user("hi")));
  private final List<Duration> slept = new ArrayList<>();

  private static RetryableLlmException retryable(int status, @Nullable Duration retryAfter) {
    return new RetryableLlmException("HTTP " + status, null, status, null, "req-1", retryAfter);
  }

  @Test
  void retriesWithExponentialBackoffAndJitterThenSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    LlmPort flaky = r -> {
      if (calls.incrementAndGet() <= 4) {
        throw retryable(503, null);
      }
      return ChatResponse.of("ok", TokenUsage.ZERO);
    };
    ModelCaller caller = new ModelCaller(flaky, CallGate.OPEN, new RetryPolicy(6, () -> 0.0), slept::add);
    assertThat(caller.call(REQUEST).text()).isEqualTo("ok");
    // min(0.5·2^n, 8) s × 0.75 with the jitter at its low end.
    assertThat(slept).containsExactly(Duration.ofMillis(375), Duration.ofMillis(750), Duration.ofMillis(1500),
        Duration.ofMillis(3000));
  }

  @Test
  void backoffIsCappedAtEightSecondsAndJitterStaysInItsBand() {
    RetryPolicy high = new RetryPolicy(10, () -> 0.999_999);
    RetryPolicy low = new RetryPolicy(10, () -> 0.0);
    assertThat(high.delay(9, null)).isBetween(Duration.ofMillis(7_999), Duration.ofSeconds(8));
    assertThat(low.delay(9, null)).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void aRetryAfterHintIsHonouredUpToTwoMinutes() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    LlmPort limited = r -> {
      int n = calls.incrementAndGet();
      if (n == 1) {
        throw retryable(429, Duration.ofSeconds(7));
      }
      if (n == 2) {
        throw retryable(429, Duration.ofMinutes(10));
      }
      return ChatResponse.of("ok", TokenUsage.ZERO);
    };
    List<@Nullable Duration> pauses = new ArrayList<>();
    CallGate gate = new CallGate() {
      @Override
      public void rateLimited(@Nullable Duration retryAfter) {
        pauses.add(retryAfter);
      }
    };
    new ModelCaller(limited, gate, new RetryPolicy(6, () -> 0.5), slept::add).call(REQUEST);
    assertThat(slept).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(120));
    assertThat(pauses).containsExactly(Duration.ofSeconds(7), Duration.ofMinutes(10));
  }

  @Test
  void givesUpAfterMaxAttemptsSayingHowMany() {
    LlmPort down = r -> {
      throw retryable(500, null);
    };
    ModelCaller caller = new ModelCaller(down, CallGate.OPEN, new RetryPolicy(3, () -> 0.5), slept::add);
    assertThatThrownBy(() -> caller.call(REQUEST))
        .isInstanceOf(RetryableLlmException.class)
        .hasMessage("gave up after 3 attempts: HTTP 500");
    assertThat(slept).hasSize(2);
  }

  @Test
  void batchFatalErrorsAreNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    LlmPort noKey = r -> {
      calls.incrementAndGet();
      throw new BatchFatalLlmException("HTTP 401");
    };
    ModelCaller caller = new ModelCaller(noKey, CallGate.OPEN, new RetryPolicy(6, () -> 0.5), slept::add);
    assertThatThrownBy(() -> caller.call(REQUEST)).isInstanceOf(BatchFatalLlmException.class);
    assertThat(calls).hasValue(1);
    assertThat(slept).isEmpty();
  }
}
