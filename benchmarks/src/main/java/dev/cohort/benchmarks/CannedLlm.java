package dev.cohort.benchmarks;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.ChatMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
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

  private static final String PARTICIPANTS = "Participants:\n";
  private static final String ROUND = "(round ";

  private final long medianNanos;
  private final double sigma;
  private final long seed;
  private final AtomicLong calls = new AtomicLong();
  private final LongAdder drawnNanos = new LongAdder();
  private final AtomicLong longestNanos = new AtomicLong();

  /** The seed of the latencies unless one is given. */
  static final long DEFAULT_SEED = 21L;

  /** A model whose latencies have seed {@link #DEFAULT_SEED}. */
  CannedLlm(Duration median, double sigma) {
    this(median, sigma, DEFAULT_SEED);
  }

  /**
   * @param median the median latency
   * @param sigma the standard deviation of the latency's logarithm; 0 for a fixed latency
   * @param seed the seed of the latencies
   */
  CannedLlm(Duration median, double sigma, long seed) {
    if (median.isNegative() || sigma < 0 || Double.isNaN(sigma)) {
      throw new IllegalArgumentException("need median >= 0 and sigma >= 0, got " + median + " and " + sigma);
    }
    this.medianNanos = median.toNanos();
    this.sigma = sigma;
    this.seed = seed;
  }

  /**
   * The latency of the call for round {@code round} of the simulation whose participants have the
   * descriptions {@code descriptions} (in any order): the median times {@code exp(sigma·z)}, z a
   * standard normal drawn from a generator seeded by the seed, the sorted descriptions and the round.
   */
  static long latencyNanos(long medianNanos, double sigma, long seed, List<String> descriptions, int round) {
    if (sigma == 0) {
      return medianNanos;
    }
    List<String> sorted = new ArrayList<>(descriptions);
    Collections.sort(sorted);
    long h = seed * 0x9E3779B97F4A7C15L + round;
    for (String d : sorted) {
      for (int i = 0; i < d.length(); i++) {
        h = (h ^ d.charAt(i)) * 0x100000001B3L;
      }
      h = (h ^ '\n') * 0x100000001B3L;
    }
    double z = new SplittableRandom(h).nextGaussian();
    return Math.round(medianNanos * Math.exp(sigma * z));
  }

  /** The participants' descriptions in a round's prompt, as {@link #latencyNanos} takes them. */
  static List<String> descriptions(String prompt) {
    int at = prompt.indexOf(PARTICIPANTS);
    if (at < 0) {
      throw new IllegalArgumentException("the prompt names no participants");
    }
    List<String> descriptions = new ArrayList<>(2);
    int line = at + PARTICIPANTS.length();
    while (line < prompt.length() && prompt.startsWith("- ", line)) {
      int end = prompt.indexOf('\n', line);
      int colon = prompt.indexOf(": ", line);
      if (end < 0 || colon < 0 || colon > end) {
        throw new IllegalArgumentException("a participant's line has no ': ' at " + line);
      }
      descriptions.add(prompt.substring(colon + 2, end));
      line = end + 1;
    }
    return descriptions;
  }

  /** The round number in a round's prompt ("(round r of n)"). */
  static int round(String prompt) {
    int at = prompt.indexOf(ROUND);
    if (at < 0) {
      throw new IllegalArgumentException("the prompt names no round");
    }
    int start = at + ROUND.length();
    int end = start;
    while (end < prompt.length() && Character.isDigit(prompt.charAt(end))) {
      end++;
    }
    return Integer.parseInt(prompt.substring(start, end));
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    long call = calls.incrementAndGet();
    long latency = medianNanos;
    if (sigma != 0) {
      List<ChatMessage> messages = request.messages();
      String prompt = messages.get(messages.size() - 1).content();
      latency = latencyNanos(medianNanos, sigma, seed, descriptions(prompt), round(prompt));
    }
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

  /** The median latency, in nanoseconds. */
  long medianNanos() {
    return medianNanos;
  }

  /** The standard deviation of the latency's logarithm. */
  double sigma() {
    return sigma;
  }

  /** The seed of the latencies. */
  long seed() {
    return seed;
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
