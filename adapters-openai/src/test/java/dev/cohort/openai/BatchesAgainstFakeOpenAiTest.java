package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RateLimit;
import dev.cohort.inmemory.InMemoryRepository;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole batches run by a {@link Cohort} against the fake OpenAI server, in real time: the shared
 * rate limiter, the retry loop and the adapter together.
 */
class BatchesAgainstFakeOpenAiTest {
  private static final String SPEAKERS_LINE = "Speakers, one per turn, in order: ";

  private FakeOpenAiServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = FakeOpenAiServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aRateLimitBurstAcrossFiftySimulationsPausesEveryCallerAndLosesNoSimulation() {
    Duration window = Duration.ofMillis(1_500);
    AtomicInteger count = new AtomicInteger();
    AtomicLong burstStart = new AtomicLong();
    // Like a provider whose window is used up: from the 40th request on, everything is refused
    // until the window resets, with the time left as retry-after.
    server.otherwise(request -> {
      if (count.incrementAndGet() == 40) {
        burstStart.set(request.arrivedNanos());
      }
      long start = burstStart.get();
      long left = start == 0 ? 0 : start + window.toNanos() - request.arrivedNanos();
      if (left > 0) {
        return Reply.rateLimited("2").header("retry-after-ms", String.valueOf(left / 1_000_000));
      }
      // Slow answers: the simulations that were not refused call again while the window is
      // still closed, unless the refusal paused them too.
      return answer(request).delayedBy(Duration.ofMillis(400));
    });

    Batch batch;
    try (Cohort cohort = cohort(50, RateLimit.NONE, 8)) {
      cohort.saveEntities(people(50));
      batch = cohort.run(request(50, 1, 50, 4));
    }

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.counts().completed()).isEqualTo(50);
    long start = burstStart.get();
    List<Recorded> requests = server.requests();
    assertThat(requests).hasSizeGreaterThanOrEqualTo(200);
    // Calls already on their way when the first 429 came back may still arrive; after that
    // (300 ms is ample), nobody calls until the provider's window is over.
    assertThat(requests)
        .filteredOn(r -> r.arrivedNanos() - start > 300_000_000L && r.arrivedNanos() - start < window.toNanos())
        .isEmpty();
  }

  @Test
  void insufficientQuotaStopsTheBatchWithItsReasonAndResumeFinishesIt() {
    AtomicInteger count = new AtomicInteger();
    server.otherwise(request -> count.incrementAndGet() <= 5 ? answer(request) : Reply.insufficientQuota());

    try (Cohort cohort = cohort(1, RateLimit.NONE, 6)) {
      cohort.saveEntities(people(20));
      Batch failed = cohort.run(request(20, 1, 20, 1));

      assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
      assertThat(failed.error())
          .contains("HTTP 429 (insufficient_quota): You exceeded your current quota")
          .contains("add credit or raise the quota");
      assertThat(failed.counts().completed()).isEqualTo(5);
      assertThat(failed.counts().failed()).isZero();
      // The quota error is not retried and stops the batch: no further call is made.
      assertThat(server.requests()).hasSize(6);

      server.otherwise(BatchesAgainstFakeOpenAiTest::answer);
      Batch resumed = cohort.await(cohort.resume(failed.id()).id());

      assertThat(resumed.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(resumed.counts().completed()).isEqualTo(20);
    }
  }

  @Test
  void fiveHundredSimulationsAtSixHundredRequestsPerMinuteStayWithinTheLimitAndAllComplete() {
    server.otherwise(request -> answer(request).delayedBy(Duration.ofMillis(30)));
    OpenAiChatModel model = model();
    List<Long> sent = new CopyOnWriteArrayList<>();
    LlmPort timed = request -> {
      sent.add(System.nanoTime());
      return model.chat(request);
    };

    Batch batch;
    try (Cohort cohort = Cohort.builder()
        .llm(timed)
        .repository(InMemoryRepository.create())
        .rateLimit(RateLimit.ofRequestsPerMinute(600))
        .build()) {
      cohort.saveEntities(people(33));
      batch = cohort.run(request(33, 2, 500, 1));
    }

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.counts().completed()).isEqualTo(500);
    assertThat(server.requests()).hasSize(500);
    // 600 a minute is 10 a second. The limiter lets calls go at least 100 ms apart; the clock is
    // read just after it lets a call go, so a thread paused in between may shift one call into
    // the next window: hence one call of slack. A bursty limiter would send dozens, or all 600,
    // in the first second. Over ten seconds the same slack shows the rate itself holds.
    List<Long> sends = sorted(sent);
    assertThat(busiest(sends, Duration.ofSeconds(1))).isLessThanOrEqualTo(11);
    assertThat(busiest(sends, Duration.ofSeconds(10))).isLessThanOrEqualTo(101);
    // The server saw the same calls, each delayed by its trip through the HTTP stack. On a busy
    // machine that trip varies by up to hundreds of milliseconds, which no client controls, so
    // the server's windows get one call of slack per 100 ms the trip varied.
    List<Long> arrivals = sorted(server.requests().stream().map(Recorded::arrivedNanos).collect(Collectors.toList()));
    assertThat(busiest(arrivals, Duration.ofSeconds(10))).isLessThanOrEqualTo(101 + slack(sends, arrivals));
  }

  private OpenAiChatModel model() {
    return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test-0000111122223333").build();
  }

  private Cohort cohort(int maxInFlight, RateLimit limit, int attempts) {
    return Cohort.builder()
        .llm(model())
        .repository(InMemoryRepository.create())
        .rateLimit(limit)
        .maxInFlight(maxInFlight)
        .maxCallAttempts(attempts)
        .build();
  }

  private static List<Entity> people(int count) {
    List<Entity> people = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      people.add(Entity.of(String.format("p%03d", i), "Person " + i, "Test person " + i + "."));
    }
    return people;
  }

  private static BatchRequest request(int pool, int size, int simulations, int rounds) {
    return BatchRequest.builder()
        .name("rate limit test")
        .context("A short exchange about the weather.")
        .entityIds(people(pool).stream().map(Entity::id).collect(Collectors.toList()))
        .interactionSize(size)
        .numSimulations(simulations)
        .nTurns(size)
        .simulationRounds(rounds)
        .seed(7L)
        .build();
  }

  /** A well-formed answer naming the speakers the prompt asks for, each line unique. */
  static Reply answer(Recorded request) {
    JsonNode messages = request.json().path("messages");
    String speakers = "[]";
    for (JsonNode message : messages) {
      String content = message.path("content").asText();
      int at = content.indexOf(SPEAKERS_LINE);
      if (at >= 0) {
        int end = content.indexOf('\n', at);
        speakers = content.substring(at + SPEAKERS_LINE.length(), end < 0 ? content.length() : end);
      }
    }
    ObjectNode root = FakeOpenAiServer.JSON.createObjectNode();
    ArrayNode turns = root.putArray("turns");
    int turn = 0;
    for (JsonNode name : OpenAiChatModelTest.json(speakers)) {
      turn++;
      turns.addObject()
          .put("speaker", name.asText())
          .put("thought", "")
          .put("text", name.asText() + " remarks on the clouds (" + request.requestId() + ", turn " + turn + ").");
    }
    return Reply.completion(root.toString(), "stop", 400, 60, 0);
  }

  /** The most events in any window of {@code width} that starts at an event. */
  private static int busiest(List<Long> sortedNanos, Duration width) {
    int most = 0;
    int end = 0;
    for (int start = 0; start < sortedNanos.size(); start++) {
      while (end < sortedNanos.size() && sortedNanos.get(end) - sortedNanos.get(start) < width.toNanos()) {
        end++;
      }
      most = Math.max(most, end - start);
    }
    return most;
  }

  /**
   * Calls a window of arrivals can hold beyond a window of sends: one per 100 ms by which the
   * trip from client to server varied, and one more for a window's edge. Sends and arrivals are
   * matched in sorted order, which bounds the spread of the real trips from below.
   */
  private static int slack(List<Long> sends, List<Long> arrivals) {
    long least = Long.MAX_VALUE;
    long most = Long.MIN_VALUE;
    for (int i = 0; i < sends.size(); i++) {
      long trip = arrivals.get(i) - sends.get(i);
      least = Math.min(least, trip);
      most = Math.max(most, trip);
    }
    return (int) Math.ceil((most - least) / 100_000_000.0) + 1;
  }

  private static List<Long> sorted(List<Long> nanos) {
    List<Long> copy = new ArrayList<>(nanos);
    Collections.sort(copy);
    return copy;
  }
}
