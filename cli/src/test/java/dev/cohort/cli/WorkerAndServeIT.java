package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long-running commands: {@code worker} picks up detached batches, {@code serve} answers HTTP; both stop on a signal. */
class WorkerAndServeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ADDRESS = Pattern.compile("Serving the REST API at (http://127\\.0\\.0\\.1:\\d+)/api");

  @TempDir
  Path dir;

  @Test
  void workerRunsADetachedBatchAndStopsOnSigterm() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);
    String batchId = cli.run("run", "--entities", "people.json", "--context", "A debate", "--interaction-size", "2",
        "--num-simulations", "6", "--detach", "--simulated-latency", "5s").batchId();

    CohortCli.Running worker = cli.start("worker", "--worker-id", "test-worker", "--poll-interval", "100ms");
    worker.awaitOutput(r -> r.err().contains("Batch " + batchId + " ended completed"), "the batch's end");
    worker.signal("TERM");
    CohortCli.Result stopped = worker.await();

    assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(143);
    assertThat(stopped.err()).contains("Worker test-worker joined", "Working on batch " + batchId, "Stopping");
    JsonNode batch = JSON.readTree(cli.run("batches", "show", batchId, "--json").out());
    assertThat(batch.get("counts").get("completed").asInt()).isEqualTo(6);
  }

  @Test
  void serveAnswersTheRestApiAndStopsOnSigint() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);
    assertThat(cli.run("entities", "import", "people.json").exitCode()).isZero();

    CohortCli.Running server = cli.start("serve", "--port", "0");
    server.awaitOutput(r -> ADDRESS.matcher(r.out()).find(), "its address");
    Matcher address = ADDRESS.matcher(server.out());
    assertThat(address.find()).isTrue();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(address.group(1) + "/api/batch-simulations"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Over HTTP\", \"context\": \"A chat\", "
            + "\"entity_ids\": [\"entity-id-1\", \"entity-id-2\"], \"interaction_size\": 2, \"num_simulations\": 1}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(address.group(1) + "/api/batch-simulations"))
        .build(), HttpResponse.BodyHandlers.ofString());
    String batchId = JSON.readTree(created.body()).get("data").get("id").asText();
    server.awaitOutput(r -> r.err().contains("Batch " + batchId + " ended completed"), "the batch's end");
    server.signal("INT");
    CohortCli.Result stopped = server.await();

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(list.body()).get("data").get(0).get("name").asText()).isEqualTo("Over HTTP");
    assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
    assertThat(stopped.err()).contains("Stopping", "Working on batch " + batchId,
        "Batch " + batchId + " ended completed: 1 completed, 0 failed.");
    assertThat(cli.run("batches", "list").out()).contains("Over HTTP");
  }
}
