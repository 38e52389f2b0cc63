package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.port.BatchJob;
import dev.cohort.core.port.BatchJobRequest;
import dev.cohort.core.port.BatchJobResult;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link OpenAiChatModel} as a {@link dev.cohort.core.port.BatchJobPort} against the fake Files and Batch API. */
class BatchJobPortTest {
  private FakeOpenAiServer server;
  private OpenAiChatModel model;

  @BeforeEach
  void start() throws IOException {
    server = FakeOpenAiServer.start();
    // Each request is answered with its own first message, so answers can be matched to requests.
    server.otherwise(r -> Reply.ok("echo " + r.json().path("messages").path(0).path("content").asText()));
    model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test-0000111122223333").build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static List<BatchJobRequest> requests(int n) {
    List<BatchJobRequest> requests = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      requests.add(new BatchJobRequest("req-" + i,
          ChatRequest.builder().message(ChatMessage.user("question " + i)).seed((long) i).build()));
    }
    return requests;
  }

  private BatchJob pollUntilEnded(BatchJob job, List<BatchJobState> seen) {
    BatchJob now = job;
    seen.add(now.state());
    for (int i = 0; i < 20 && !now.state().isTerminal(); i++) {
      now = model.job(now.id());
      seen.add(now.state());
    }
    return now;
  }

  @Test
  void aJobGoesThroughValidatingInProgressFinalizingToCompletedWithEveryAnswerMatchedByCustomId() {
    BatchJob submitted = model.submit(requests(5));

    List<BatchJobState> seen = new ArrayList<>();
    BatchJob done = pollUntilEnded(submitted, seen);

    assertThat(seen).containsExactly(BatchJobState.VALIDATING, BatchJobState.IN_PROGRESS, BatchJobState.FINALIZING,
        BatchJobState.COMPLETED);
    assertThat(done.total()).isEqualTo(5);
    assertThat(done.completed()).isEqualTo(5);
    assertThat(done.outputFileId()).isNotNull();
    assertThat(done.errorFileId()).isNull();
    List<BatchJobResult> results = model.results(done);
    // The provider's order, not the input's.
    assertThat(results).extracting(BatchJobResult::customId).containsExactly("req-5", "req-4", "req-3", "req-2",
        "req-1");
    for (BatchJobResult r : results) {
      assertThat(r.response().text()).isEqualTo("echo question " + r.customId().substring(4));
      assertThat(r.response().usage().promptTokens()).isEqualTo(20);
    }
    assertThat(server.batchSubmissions()).isEqualTo(1);
  }

  @Test
  void theUploadIsAMultipartBatchFileOfChatCompletionLines() {
    model.submit(requests(2));

    Recorded upload = server.requests().get(0);
    assertThat(upload.method()).isEqualTo("POST");
    assertThat(upload.path()).isEqualTo("/v1/files");
    assertThat(upload.header("content-type")).startsWith("multipart/form-data; boundary=");
    assertThat(upload.header("authorization")).isEqualTo("Bearer sk-test-0000111122223333");
    assertThat(upload.body()).contains("name=\"purpose\"\r\n\r\nbatch\r\n")
        .contains("{\"custom_id\":\"req-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":"
            + "\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"question 1\"}],\"seed\":1}}");
    Recorded create = server.requests().get(1);
    assertThat(create.path()).isEqualTo("/v1/batches");
    assertThat(create.json().path("completion_window").asText()).isEqualTo("24h");
    assertThat(create.json().path("endpoint").asText()).isEqualTo("/v1/chat/completions");
    assertThat(create.json().path("input_file_id").asText()).startsWith("file-");
  }

  @Test
  void failedRequestsAreReadFromTheErrorFile() {
    server.failBatchRequests(id -> id.equals("req-2"));

    BatchJob done = pollUntilEnded(model.submit(requests(3)), new ArrayList<>());

    assertThat(done.failed()).isEqualTo(1);
    List<BatchJobResult> results = model.results(done);
    assertThat(results).filteredOn(r -> r.error() != null).extracting(BatchJobResult::customId)
        .containsExactly("req-2");
    assertThat(results).filteredOn(r -> r.error() != null).first().extracting(BatchJobResult::error)
        .asString().contains("HTTP 500");
  }

  @Test
  void anExpiredJobHasItsFinishedAnswersAndMarksTheRestExpired() {
    server.expireNextBatchJobAfter(2);

    BatchJob done = pollUntilEnded(model.submit(requests(5)), new ArrayList<>());

    assertThat(done.state()).isEqualTo(BatchJobState.EXPIRED);
    List<BatchJobResult> results = model.results(done);
    assertThat(results.stream().filter(r -> r.response() != null).map(BatchJobResult::customId)
        .collect(Collectors.toList())).containsExactlyInAnyOrder("req-1", "req-2");
    assertThat(results).filteredOn(r -> r.error() != null).extracting(BatchJobResult::error)
        .allSatisfy(e -> assertThat(e).startsWith("batch_expired"));
  }

  @Test
  void aCancelledJobGoesThroughCancellingToCancelled() {
    server.holdBatchJobsInProgress(true);
    BatchJob job = model.submit(requests(4));
    assertThat(model.job(job.id()).state()).isEqualTo(BatchJobState.IN_PROGRESS);

    BatchJob cancelling = model.cancel(job.id());
    BatchJob cancelled = model.job(job.id());

    assertThat(cancelling.state()).isEqualTo(BatchJobState.CANCELLING);
    assertThat(cancelled.state()).isEqualTo(BatchJobState.CANCELLED);
    assertThat(model.results(cancelled)).hasSize(2);
  }

  @Test
  void anInvalidInputFileFailsTheJobWithTheProvidersLineErrors() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String boundary = "b0undary";
    String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
        + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bad.jsonl\"\r\n\r\n"
        + "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{}}\n\r\n--" + boundary + "--\r\n";
    HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/files"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(multipart)).build(), HttpResponse.BodyHandlers.ofString());
    String fileId = FakeOpenAiServer.JSON.readTree(file.body()).path("id").asText();
    HttpResponse<String> batch = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/batches"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"input_file_id\":\"" + fileId
            + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    String jobId = FakeOpenAiServer.JSON.readTree(batch.body()).path("id").asText();

    BatchJob failed = model.job(jobId);

    assertThat(failed.state()).isEqualTo(BatchJobState.FAILED);
    assertThat(failed.error()).contains("line 1: mismatched_endpoint");
    assertThat(model.results(failed)).isEmpty();
  }

  private static JsonNode get(HttpClient http, String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return FakeOpenAiServer.JSON.readTree(response.body());
  }

  @Test
  void theBatchObjectCarriesEveryFieldOfTheOpenApiBatchSchemaAndTheMetadataTheJobWasCreatedWith() throws Exception {
    BatchJob job = model.submit(requests(1));

    JsonNode batch = get(HttpClient.newHttpClient(),
        server.baseUrl() + "/batches/" + job.id());

    assertThat(batch.path("object").asText()).isEqualTo("batch");
    for (String field : List.of("id", "object", "endpoint", "errors", "input_file_id", "completion_window", "status",
        "output_file_id", "error_file_id", "created_at", "in_progress_at", "expires_at", "finalizing_at",
        "completed_at", "failed_at", "expired_at", "cancelling_at", "cancelled_at", "request_counts", "metadata")) {
      assertThat(batch.has(field)).as(field).isTrue();
    }
    assertThat(batch.path("request_counts").has("total")).isTrue();
    assertThat(batch.path("request_counts").has("completed")).isTrue();
    assertThat(batch.path("request_counts").has("failed")).isTrue();
    assertThat(batch.path("metadata").path("created_by").asText()).isEqualTo("cohort");
  }

  @Test
  void batchesAreListedNewestFirstInPagesAfterACursor() throws Exception {
    BatchJob first = model.submit(requests(1));
    BatchJob second = model.submit(requests(1));
    BatchJob third = model.submit(requests(1));
    HttpClient http = HttpClient.newHttpClient();

    JsonNode page1 = get(http, server.baseUrl() + "/batches?limit=2");
    JsonNode page2 = get(http,
        server.baseUrl() + "/batches?limit=2&after=" + page1.path("last_id").asText());

    assertThat(page1.path("object").asText()).isEqualTo("list");
    assertThat(page1.path("data").findValuesAsText("id")).containsExactly(third.id(), second.id());
    assertThat(page1.path("first_id").asText()).isEqualTo(third.id());
    assertThat(page1.path("has_more").asBoolean()).isTrue();
    assertThat(page2.path("data").findValuesAsText("id")).containsExactly(first.id());
    assertThat(page2.path("has_more").asBoolean()).isFalse();
  }

  @Test
  void metadataBeyondTheSchemasLimitsIsRefused() throws Exception {
    String fileId = model.submit(requests(1)).inputFileId();
    StringBuilder tooMany = new StringBuilder("{");
    for (int i = 0; i < 17; i++) {
      tooMany.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    tooMany.append('}');
    HttpResponse<String> refused = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/batches"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"input_file_id\":\"" + fileId
                + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\",\"metadata\":"
                + tooMany + "}")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("at most 16 properties");
    assertThat(server.batchSubmissions()).isEqualTo(1);
  }
}
