package dev.cohort.benchmarks;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A model that does no text generation: it waits a latency drawn from a lognormal distribution
 * (median and spread given; spread 0 is a fixed latency) and answers with a one-turn answer
 * prepared once, spoken by {@link #SPEAKER} (so every entity of the batch must have that name, see
 * {@link BenchmarkBatches#poolNamed}). Only the call's number is put into the text, because the
 * engine refuses a turn that repeats an earlier one verbatim. So a harness using it measures
 * Cohort, not a simulator. It adds up the latencies it drew, from which {@link MakespanHarness}
 * bounds the ideal makespan.
 */
final class CannedLlm implements LlmPort {
  /** The name every turn is spoken by. */
  static final String SPEAKER = "Panelist";

  private static final String BEFORE = "{\"turns\":[{\"speaker\":\"" + SPEAKER + "\",\"thought\":\"Keep it concrete.\","
      + "\"text\":\"I take the bus every morning, and the 7:40 is late more often than not; a reliable timetable "
      + "would change how people plan their day (";
  private static final String AFTER = ").\"}]}";
  private static final TokenUsage USAGE = new TokenUsage(450, 60, 0, 1);

  private final long medianNanos;
  private final double sigma;
  private final AtomicLong calls = new AtomicLong();
  private final LongAdder drawnNanos = new LongAdder();
  private final AtomicLong longestNanos = new AtomicLong();

  /**
   * @param median the median latency
   * @param sigma the standard deviation of the latency's logarithm; 0 for a fixed latency
   */
  CannedLlm(Duration median, double sigma) {
    if (median.isNegative() || sigma < 0 || Double.isNaN(sigma)) {
      throw new IllegalArgumentException("need median >= 0 and sigma >= 0, got " + median + " and " + sigma);
    }
    this.medianNanos = median.toNanos();
    this.sigma = sigma;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    long call = calls.incrementAndGet();
    long latency = sigma == 0 ? medianNanos
        : Math.round(medianNanos * Math.exp(sigma * ThreadLocalRandom.current().nextGaussian()));
    drawnNanos.add(latency);
    longestNanos.accumulateAndGet(latency, Math::max);
    if (latency > 0) {
      try {
        Thread.sleep(latency / 1_000_000, (int) (latency % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting", e);
      }
    }
    return ChatResponse.of(BEFORE + call + AFTER, USAGE);
  }

  @Override
  public String describe() {
    return "canned answers, lognormal latency";
  }

  /** Calls answered so far. */
  long calls() {
    return calls.get();
  }

  /** The sum of the latencies drawn so far. */
  Duration drawn() {
    return Duration.ofNanos(drawnNanos.sum());
  }

  /** The longest latency drawn so far. */
  Duration longest() {
    return Duration.ofNanos(longestNanos.get());
  }
}
