package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.http.CohortServer;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.testkit.Entities;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST server under many concurrent clients that poll a running batch's status, read it and
 * export it in every format while it runs on a SQLite store: every answer is a well-formed success
 * with counts that add up, every export parses, the batch completes, and the server stays healthy.
 */
class RestLoadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FORMATS = {"json", "csv", "jsonl"};
  private static final int MIN_ROUNDS_PER_CLIENT = 3;

  @TempDir Path dir;

  @Test
  void fiftyClientsPollingAndExportingARunningBatchAllGetWellFormedAnswers() throws Exception {
    underLoad(50, 300);
  }

  @Tag("reliability-long")
  @Test
  void twoHundredClientsPollingAndExportingARunningBatchAllGetWellFormedAnswers() throws Exception {
    underLoad(200, 2_000);
  }

  private void underLoad(int clients, int simulations) throws Exception {
    SimulatedLlm llm = SimulatedLlm.builder().seed(14).latency(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    ExecutorService clientThreads = Executors.newFixedThreadPool(clients);
    try (JdbcRepository repository = JdbcRepository.sqlite(dir.resolve("rest.db"));
        Cohort cohort = Cohort.builder().llm(llm).repository(repository).maxInFlight(64).build();
        CohortServer server = CohortServer.builder(cohort).build().start()) {
      cohort.saveEntities(Entities.generated(40));
      String batchId = cohort.createBatch(request(simulations)).id();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      Queue<String> problems = new ConcurrentLinkedQueue<>();
      AtomicLong requests = new AtomicLong();
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        running.add(clientThreads.submit(() -> poll(http, server.uri(), batchId, client, simulations, problems, requests)));
      }
      for (Future<?> f : running) {
        f.get(10, TimeUnit.MINUTES);
      }

      assertThat(problems).as("bad answers among %d requests", requests.get()).isEmpty();
      assertThat(requests.get()).isGreaterThanOrEqualTo((long) clients * MIN_ROUNDS_PER_CLIENT * 2);
      HttpResponse<String> health = get(http, server.uri().resolve("/api/health"));
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> finalExport = get(http, server.uri().resolve(exportPath(batchId, "jsonl")));
      assertThat(finalExport.statusCode()).isEqualTo(200);
      List<String> lines = finalExport.body().lines().toList();
      assertThat(lines).hasSize(simulations);
      for (String line : lines) {
        assertThat(JSON.readTree(line).path("status").asText()).isEqualTo("completed");
      }
    } finally {
      clientThreads.shutdownNow();
    }
  }

  /** One client: status, batch and an export in turn until the batch has ended, at least a few times. */
  private static void poll(HttpClient http, URI base, String batchId, int client, int simulations,
      Queue<String> problems, AtomicLong requests) {
    boolean ended = false;
    for (int round = 0; !ended || round < MIN_ROUNDS_PER_CLIENT; round++) {
      try {
        HttpResponse<String> status = get(http, base.resolve("/api/batch-simulations/" + batchId + "/status"));
        requests.incrementAndGet();
        JsonNode data = success(status, "status", problems);
        if (data != null) {
          JsonNode counts = data.path("counts");
          long sum = counts.path("pending").asLong() + counts.path("running").asLong() + counts.path("completed").asLong()
              + counts.path("failed").asLong() + counts.path("cancelled").asLong();
          if (counts.path("total").asLong() != simulations || sum != simulations) {
            problems.add("client " + client + ": counts do not add up: " + counts);
          }
          ended = !data.path("status").asText().equals("in_progress") && !data.path("status").asText().equals("pending");
        }
        success(get(http, base.resolve("/api/batch-simulations/" + batchId)), "batch", problems);
        requests.incrementAndGet();
        String format = FORMATS[(client + round) % FORMATS.length];
        HttpResponse<String> export = get(http, base.resolve(exportPath(batchId, format)));
        requests.incrementAndGet();
        checkExport(export, format, simulations, client, problems);
      } catch (IOException | RuntimeException e) {
        problems.add("client " + client + ": " + e);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static JsonNode success(HttpResponse<String> response, String what, Queue<String> problems) throws IOException {
    if (response.statusCode() != 200) {
      problems.add(what + " answered HTTP " + response.statusCode() + ": " + response.body());
      return null;
    }
    JsonNode body = JSON.readTree(response.body());
    if (!body.path("status").asText().equals("success") || !body.has("data")) {
      problems.add(what + " answered without the success envelope: " + response.body());
      return null;
    }
    return body.get("data");
  }

  private static void checkExport(HttpResponse<String> export, String format, int simulations, int client,
      Queue<String> problems) throws IOException {
    if (export.statusCode() != 200) {
      problems.add("client " + client + ": export " + format + " answered HTTP " + export.statusCode());
      return;
    }
    String body = export.body();
    switch (format) {
      case "json" -> {
        JsonNode batch = JSON.readTree(body);
        if (batch.path("simulations").size() != simulations) {
          problems.add("client " + client + ": JSON export holds " + batch.path("simulations").size() + " simulations");
        }
      }
      case "csv" -> {
        if (!body.startsWith("Simulation ID,Sequence Number,")) {
          problems.add("client " + client + ": CSV export starts with " + body.lines().findFirst().orElse(""));
        }
      }
      default -> {
        long lines = body.lines().count();
        if (lines != simulations) {
          problems.add("client " + client + ": JSON Lines export holds " + lines + " lines");
        }
        for (String line : body.lines().limit(5).toList()) {
          JSON.readTree(line);
        }
      }
    }
  }

  private static String exportPath(String batchId, String format) {
    return "/api/batch-simulations/" + batchId + "/export?format=" + format;
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static BatchRequest request(int simulations) {
    return BatchRequest.builder()
        .name("rest load")
        .context("A school board debates a four-day week.")
        .entityIds(Entities.generated(40).stream().map(e -> e.id()).toList())
        .interactionSize(3)
        .numSimulations(simulations)
        .nTurns(2)
        .seed(15L)
        .build();
  }
}
