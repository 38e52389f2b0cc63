package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort run} as a user meets it: a fresh folder, the original documentation's flags. */
class RunCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void runWithTheOriginalDocumentationsFlagsCreatesTheDatabaseAndPrintsTheSummary() {
    Samples.write(dir, "entity_ids.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result result = cli.run("run",
        "--entities", "entity_ids.json",
        "--context", "A panel discussion about climate change solutions",
        "--interaction-size", "2",
        "--num-simulations", "3",
        "--name", "Climate Change Discussions",
        "--description", "Testing how different entities discuss climate solutions",
        "--n-turns", "2",
        "--simulation-rounds", "1");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(dir.resolve("cohort.db")).isRegularFile();
    assertThat(result.out()).containsPattern("(?m)^Batch simulation ID: [0-9a-f-]{36}$")
        .contains("Status: completed", "Simulations: 3 of 3 completed", "Tokens: ", "Time: ")
        .containsPattern("(?m)^Flags: (none|\\d+ [a-z_]+(, \\d+ [a-z_]+)*)$");
    assertThat(result.err()).contains("Stored 4 entities", "Model: simulated model (offline)",
        "neither OPENAI_API_KEY nor OPENAI_BASE_URL is set");
  }

  @Test
  void runAcceptsIdsAsACommaListAnArrayOrAnEntityIdsObjectOnceTheEntitiesAreStored() throws Exception {
    CohortCli cli = new CohortCli(dir);
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    assertThat(cli.run("entities", "import", "people.json").exitCode()).isZero();
    Samples.write(dir, "array.json", "[\"entity-id-1\", \"entity-id-3\"]");
    Samples.write(dir, "object.json", "{\"entity_ids\": [\"entity-id-2\", \"entity-id-4\", \"entity-id-1\"]}");
    Samples.write(dir, "context.txt", "A town-hall meeting about a new wind farm\n");

    CohortCli.Result commaList = cli.run("run", "--entities", "entity-id-1, entity-id-2", "--context", "A debate",
        "--interaction-size", "2", "--num-simulations", "1", "--progress", "none");
    CohortCli.Result array = cli.run("run", "--entities", "array.json", "--context", "@context.txt",
        "--interaction-size", "1", "--num-simulations", "5", "--seed", "7", "--style", "interview",
        "--metadata", "{\"category\": \"energy\"}");
    CohortCli.Result object = cli.run("run", "--entities", "@object.json", "--context", "context.txt",
        "--interaction-size", "3", "--num-simulations", "1", "--replicates", "2", "--language", "German");

    assertThat(commaList.exitCode()).as(commaList.toString()).isZero();
    assertThat(array.exitCode()).as(array.toString()).isZero();
    assertThat(array.out()).contains("Simulations: 2 of 2 completed (5 requested; only 2 exist)");
    assertThat(object.exitCode()).as(object.toString()).isZero();
    assertThat(object.out()).contains("Simulations: 2 of 2 completed");

    JsonNode stored = JSON.readTree(cli.run("batches", "show", array.batchId(), "--json").out());
    assertThat(stored.get("entity_ids")).hasSize(2);
    assertThat(stored.get("context").asText()).isEqualTo("A town-hall meeting about a new wind farm");
    assertThat(stored.get("interaction_style").asText()).isEqualTo("interview");
    assertThat(stored.get("seed").asLong()).isEqualTo(7);
    assertThat(stored.get("metadata").get("category").asText()).isEqualTo("energy");
    JsonNode grouped = JSON.readTree(cli.run("batches", "show", object.batchId(), "--json").out());
    assertThat(grouped.get("language").asText()).isEqualTo("German");
    assertThat(grouped.get("replicates").asInt()).isEqualTo(2);
  }

  @Test
  void runExitsWithOneWhenSimulationsFail() {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli.Result result = new CohortCli(dir).run("run", "--entities", "people.json", "--context", "A debate",
        "--interaction-size", "2", "--num-simulations", "3", "--simulated-failure-rate", "1");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).contains("Status: failed", "Simulations: 0 of 3 completed, 3 failed",
        "First failure: #1: round 1: simulated bad request (HTTP 400)",
        "Failures: cohort batches show " + result.batchId() + " --simulations");
  }

  @Test
  void resumePointsAtRetryFailedWhichRunsTheFailedSimulationsAgain() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);
    String id = cli.run("run", "--entities", "people.json", "--context", "A debate", "--interaction-size", "2",
        "--num-simulations", "2", "--n-turns", "2", "--simulated-failure-rate", "1").batchId();

    CohortCli.Result resume = cli.run("batches", "resume", id);
    assertThat(resume.err()).as(resume.toString()).contains("Batch " + id + " has nothing left to run; to run its 2 "
        + "failed simulations again: cohort batches retry-failed " + id);

    CohortCli.Result retry = cli.run("batches", "retry-failed", id);

    assertThat(retry.exitCode()).as(retry.toString()).isZero();
    assertThat(retry.err()).contains("Retrying batch " + id + ": 2 failed of 2 simulations to run again");
    assertThat(retry.out()).contains("Status: completed");
    JsonNode shown = JSON.readTree(cli.run("batches", "show", id, "--json", "--simulations").out());
    assertThat(shown.get("status").asText()).isEqualTo("completed");
    assertThat(shown.get("simulations")).hasSize(2).allSatisfy(simulation -> {
      assertThat(simulation.get("status").asText()).isEqualTo("completed");
      assertThat(simulation.get("attempt_history")).singleElement().satisfies(attempt ->
          assertThat(attempt.get("error").asText()).startsWith("round 1: simulated bad request"));
    });
  }

  @Test
  void runWarnsOnStandardErrorWhenSomeParticipantsNeverSpeak() {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result result = cli.run("run", "--entities", "people.json", "--context", "A panel",
        "--interaction-size", "3", "--num-simulations", "1", "--n-turns", "2");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).contains("cohort run: warning: n_turns 2 times simulation_rounds 1 gives 2 turns but interaction_size is 3");
    assertThat(result.out()).doesNotContain("warning");
  }

  @Test
  void detachCreatesTheBatchForAWorkerToRun() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result result = cli.run("run", "--entities", "people.json", "--context", "A debate",
        "--interaction-size", "2", "--num-simulations", "6", "--simulated-latency", "2s", "--detach");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).doesNotContain("Status:");
    assertThat(result.err()).contains("Detached: 6 simulations wait for 'cohort worker'");
    assertThat(cli.run("batches", "list").out()).contains(result.batchId());
    JsonNode shown = JSON.readTree(cli.run("batches", "show", result.batchId(), "--json").out());
    assertThat(shown.get("status").asText()).as("no worker has claimed anything yet").isEqualTo("pending");
    assertThat(shown.path("started_at").isNull() || shown.path("started_at").isMissingNode()).isTrue();
  }

  @Test
  void anOpenAiBaseUrlSelectsTheOpenAiCompatibleModelAndOfflineOverridesIt() throws IOException {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      calls.incrementAndGet();
      refuseTheKey(exchange);
    });
    server.start();
    try {
      CohortCli cli = cliAgainst(server, "sk-test-not-a-real-key");
      String[] args = {"run", "--entities", "people.json", "--context", "A debate", "--interaction-size", "2",
          "--num-simulations", "2", "--model", "gpt-test"};

      CohortCli.Result refused = cli.run(args);
      int callsBefore = calls.get();
      CohortCli.Result offline = cli.run(concat(args, "--offline"));

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.err()).contains("Model: OpenAI-compatible server at", "(model gpt-test)",
          "(configured by OPENAI_API_KEY)").doesNotContain("sk-test-not-a-real-key");
      assertThat(refused.out()).contains("Status: failed", "Error: ").contains("401")
          .doesNotContain("sk-test-not-a-real-key");
      assertThat(callsBefore).isPositive();
      assertThat(offline.exitCode()).as(offline.toString()).isZero();
      assertThat(offline.err()).contains("Model: simulated model (offline), as --offline asks");
      assertThat(calls.get()).isEqualTo(callsBefore);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aBatchFatalErrorMetByEveryCallInFlightIsLoggedOnce() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    // Every call waits until all three are in flight, then all are refused at once.
    CountDownLatch inFlight = new CountDownLatch(3);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService handlers = Executors.newFixedThreadPool(4);
    server.setExecutor(handlers);
    server.createContext("/v1/chat/completions", exchange -> {
      inFlight.countDown();
      try {
        inFlight.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      refuseTheKey(exchange);
    });
    server.start();
    try {
      CohortCli cli = cliAgainst(server, "sk-test");

      CohortCli.Result refused = cli.run("run", "--entities", "people.json", "--context", "A debate",
          "--interaction-size", "2", "--num-simulations", "3", "--model", "gpt-test");

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
      assertThat(inFlight.getCount()).as("three calls were in flight together").isZero();
      long lines = refused.err().lines().filter(l -> l.contains("[ERROR]") && l.contains(" stopped: ")).count();
      assertThat(lines).as(refused.err()).isEqualTo(1);
    } finally {
      server.stop(0);
      handlers.shutdownNow();
    }
  }

  /** Answers as OpenAI does a wrong API key: 401 with the code {@code invalid_api_key}, fatal for the batch. */
  private static void refuseTheKey(HttpExchange exchange) throws IOException {
    byte[] body = ("{\"error\": {\"message\": \"Incorrect API key provided\", \"type\": \"invalid_request_error\", "
        + "\"code\": \"invalid_api_key\"}}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(401, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The CLI in {@link #dir} with its OpenAI-compatible model at {@code server} and {@code apiKey}. */
  private CohortCli cliAgainst(HttpServer server, String apiKey) {
    String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    return new CohortCli(dir).withEnv(Map.of("OPENAI_BASE_URL", baseUrl, "OPENAI_API_KEY", apiKey));
  }

  private static String[] concat(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
