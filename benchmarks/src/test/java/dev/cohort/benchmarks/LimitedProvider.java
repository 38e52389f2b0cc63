package dev.cohort.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A provider account behind {@link FakeOpenAiServer}, for measuring Cohort against its rate limit:
 * {@link FakeProvider}'s answers (token counts from the request), admitted by a {@link
 * SlidingMinuteLimit} of requests and tokens per minute, and answered after a latency drawn from a
 * lognormal distribution (median and sigma given).
 *
 * <p>As OpenAI documents it: a request costs its prompt tokens plus its {@code max_tokens} (or
 * {@code max_completion_tokens}) when it sets one, else the completion it gets; every answer
 * carries {@code x-ratelimit-limit-requests}, {@code -tokens}, {@code x-ratelimit-remaining-*}
 * and {@code x-ratelimit-reset-*} (Go-style durations such as {@code 59.9s} or {@code 210ms}); a
 * refused request gets at once a 429 {@code rate_limit_exceeded} naming the limit that was hit,
 * with {@code retry-after} (whole seconds, rounded up) and {@code retry-after-ms} (exact) saying
 * when it would be admitted. Every answer is logged with its time, for the harness to count.
 */
final class LimitedProvider implements Function<Recorded, Reply> {
  /**
   * One answered request.
   *
   * @param atNanos when the limit decided, on the provider's clock
   * @param tokens what it cost against the tokens per minute (0 when refused)
   */
  record Answered(long atNanos, boolean admitted, long tokens) {}

  private final SlidingMinuteLimit limit;
  private final FakeProvider answers;
  private final SplittableRandom latencies;
  private final double logMedianMillis;
  private final double sigma;
  private final LongSupplier clock;
  private final List<Answered> log = new ArrayList<>();

  /**
   * @param medianLatency the median time an admitted request takes to answer
   * @param sigma the lognormal's shape: the standard deviation of the latency's logarithm
   * @param clock nanosecond time ({@code System::nanoTime}, or a test's hand-moved clock)
   */
  LimitedProvider(long requestsPerMinute, long tokensPerMinute, Duration medianLatency, double sigma, long seed,
      LongSupplier clock) {
    if (medianLatency.isNegative() || medianLatency.isZero() || sigma < 0) {
      throw new IllegalArgumentException("latency needs a positive median and a sigma ≥ 0, were "
          + medianLatency + " and " + sigma);
    }
    this.limit = new SlidingMinuteLimit(requestsPerMinute, tokensPerMinute);
    this.answers = new FakeProvider(seed, false);
    this.latencies = new SplittableRandom(seed ^ 0x5DEECE66DL);
    this.logMedianMillis = Math.log(medianLatency.toNanos() / 1e6);
    this.sigma = sigma;
    this.clock = clock;
  }

  @Override
  public synchronized Reply apply(Recorded request) {
    FakeProvider.Completion completion = answers.complete(request);
    JsonNode body = request.json();
    JsonNode max = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.path("max_tokens");
    long cost = completion.promptTokens() + (max.canConvertToLong() ? max.asLong() : completion.completionTokens());
    long now = clock.getAsLong();
    SlidingMinuteLimit.Decision decision = limit.admit(now, cost);
    log.add(new Answered(now, decision.admitted(), decision.admitted() ? cost : 0));
    notifyAll();
    Reply reply;
    if (decision.admitted()) {
      double millis = Math.exp(logMedianMillis + sigma * latencies.nextGaussian());
      reply = completion.reply().delayedBy(Duration.ofNanos((long) (millis * 1e6)));
    } else {
      reply = refusal(decision, cost);
    }
    return reply
        .header("x-ratelimit-limit-requests", Long.toString(decision.limitRequests()))
        .header("x-ratelimit-remaining-requests", Long.toString(decision.remainingRequests()))
        .header("x-ratelimit-reset-requests", goDuration(decision.resetRequests()))
        .header("x-ratelimit-limit-tokens", Long.toString(decision.limitTokens()))
        .header("x-ratelimit-remaining-tokens", Long.toString(decision.remainingTokens()))
        .header("x-ratelimit-reset-tokens", goDuration(decision.resetTokens()));
  }

  /**
   * Waits until the provider has decided a request at or after {@code nanos} on its clock: the
   * window before it is then complete, since requests are decided in clock order.
   *
   * @return false when that did not happen within {@code patience}
   */
  synchronized boolean awaitDecisionAtOrAfter(long nanos, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (log.isEmpty() || log.get(log.size() - 1).atNanos() - nanos < 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** Every answer so far, in the order the limit decided them. */
  synchronized List<Answered> log() {
    return List.copyOf(log);
  }

  private static Reply refusal(SlidingMinuteLimit.Decision decision, long cost) {
    boolean requests = decision.requestsRanOut();
    String what = requests ? "requests per min (RPM)" : "tokens per min (TPM)";
    long used = requests ? decision.limitRequests() : decision.limitTokens() - decision.remainingTokens();
    long millis = (decision.retryAfter().toNanos() + 999_999) / 1_000_000;
    return Reply.error(429, requests ? "requests" : "tokens", "rate_limit_exceeded",
            "Rate limit reached for gpt-4o-mini in organization org-bench on " + what + ": Limit "
                + (requests ? decision.limitRequests() : decision.limitTokens()) + ", Used " + used
                + ", Requested " + (requests ? 1 : cost) + ". Please try again in " + millis + "ms.")
        .header("retry-after", Long.toString((millis + 999) / 1000))
        .header("retry-after-ms", Long.toString(millis));
  }

  /** A duration as OpenAI writes it (Go's {@code time.Duration}): {@code 210ms}, {@code 59.873s}, {@code 1m0s}. */
  static String goDuration(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    long minutes = millis / 60_000;
    double seconds = (millis % 60_000) / 1000.0;
    String secondsText = seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    return (minutes > 0 ? minutes + "m" : "") + secondsText + "s";
  }
}
