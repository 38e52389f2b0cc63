package dev.cohort.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LimitedProviderTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aRequestOverTheRequestsPerMinuteIsRefusedUntilTheOldestLeavesTheMinute() {
    SlidingMinuteLimit limit = new SlidingMinuteLimit(3, 1_000);

    assertThat(limit.admit(0, 10).admitted()).isTrue();
    assertThat(limit.admit(10 * SECOND, 10).admitted()).isTrue();
    SlidingMinuteLimit.Decision third = limit.admit(20 * SECOND, 10);
    SlidingMinuteLimit.Decision fourth = limit.admit(30 * SECOND, 10);

    assertThat(third.admitted()).isTrue();
    assertThat(third.remainingRequests()).isZero();
    assertThat(fourth.admitted()).isFalse();
    assertThat(fourth.retryAfter()).isEqualTo(Duration.ofSeconds(40));
    // At 60 s the first request has left, but the refused one still holds a place: refused again.
    SlidingMinuteLimit.Decision tooSoon = limit.admit(60 * SECOND, 10);
    assertThat(tooSoon.admitted()).isFalse();
    assertThat(tooSoon.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(limit.admit(80 * SECOND, 10).admitted()).isTrue();
  }

  @Test
  void aRequestOverTheTokensPerMinuteWaitsUntilEnoughTokensLeaveAndCostsNone() {
    SlidingMinuteLimit limit = new SlidingMinuteLimit(100, 100);

    limit.admit(0, 40);
    limit.admit(5 * SECOND, 40);
    SlidingMinuteLimit.Decision refused = limit.admit(6 * SECOND, 30);

    assertThat(refused.admitted()).isFalse();
    assertThat(refused.remainingTokens()).isEqualTo(20);
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(54));
    assertThat(limit.admit(7 * SECOND, 20).admitted()).isTrue();
    SlidingMinuteLimit.Decision later = limit.admit(60 * SECOND, 30);
    assertThat(later.admitted()).isTrue();
    assertThat(later.remainingTokens()).isEqualTo(100 - 40 - 20 - 30);
    assertThat(later.resetTokens()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void everyAnswerCarriesTheLimitHeadersAndARefusalSaysWhenToRetry() throws Exception {
    AtomicLong now = new AtomicLong(1_000 * SECOND);
    LimitedProvider provider = new LimitedProvider(2, 1_000_000, Duration.ofMillis(1), 0, 1, now::get);
    HttpClient client = HttpClient.newHttpClient();
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(provider);

      HttpResponse<String> first = client.send(round(server), HttpResponse.BodyHandlers.ofString());
      now.addAndGet(15 * SECOND);
      HttpResponse<String> second = client.send(round(server), HttpResponse.BodyHandlers.ofString());
      now.addAndGet(5 * SECOND);
      HttpResponse<String> refused = client.send(round(server), HttpResponse.BodyHandlers.ofString());

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).hasValue("2");
      assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("1");
      assertThat(first.headers().firstValue("x-ratelimit-reset-requests")).hasValue("1m0s");
      assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("1000000");
      long cost = FakeOpenAiServer.JSON.readTree(first.body()).path("usage").path("total_tokens").asLong();
      assertThat(cost).isPositive();
      assertThat(first.headers().firstValue("x-ratelimit-remaining-tokens")).hasValue(Long.toString(1_000_000 - cost));
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.body()).contains("rate_limit_exceeded").contains("requests per min (RPM)");
      assertThat(refused.headers().firstValue("retry-after-ms")).hasValue("55000");
      assertThat(refused.headers().firstValue("retry-after")).hasValue("55");
      assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
      assertThat(provider.log()).extracting(LimitedProvider.Answered::admitted).containsExactly(true, true, false);
    }
  }

  @Test
  void durationsAreWrittenTheWayOpenAiWritesThem() {
    assertThat(LimitedProvider.goDuration(Duration.ofMillis(210))).isEqualTo("210ms");
    assertThat(LimitedProvider.goDuration(Duration.ofMillis(59_873))).isEqualTo("59.873s");
    assertThat(LimitedProvider.goDuration(Duration.ofSeconds(60))).isEqualTo("1m0s");
    assertThat(LimitedProvider.goDuration(Duration.ofMillis(61_500))).isEqualTo("1m1.5s");
  }

  /** A first-round request as the engine sends it: the provider needs the speakers line. */
  private static HttpRequest round(FakeOpenAiServer server) {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"A town hall meeting.\"},"
        + "{\"role\":\"user\",\"content\":\"Speakers, one per turn, in order: [\\\"Amara\\\",\\\"Ben\\\"]\\nGo on.\"}]}";
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
