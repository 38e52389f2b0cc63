package dev.cohort.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.port.BatchJob;
import dev.cohort.core.port.BatchJobRequest;
import dev.cohort.core.port.BatchJobResult;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.RetryableLlmException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The Files and Batch API calls behind {@link OpenAiChatModel}'s {@link dev.cohort.core.port.BatchJobPort}:
 * a multipart upload of the JSONL input file ({@code POST /files}, purpose {@code batch}), the job
 * ({@code POST /batches} with a {@code 24h} completion window and the caller's metadata), its
 * status ({@code GET /batches/{id}}), the job list ({@code GET /batches}, to find a job by its
 * metadata), its output and error files ({@code GET /files/{id}/content}) and cancel ({@code
 * POST /batches/{id}/cancel}). Azure OpenAI takes the same calls under {@code /openai/…} with its
 * API version, and the deployment name as each line's model.
 */
final class BatchJobsClient {
  /** The only completion window OpenAI offers. */
  static final String COMPLETION_WINDOW = "24h";
  /** The metadata key Cohort tags every job with. */
  private static final String CREATED_BY = "created_by";
  private static final int MAX_METADATA_PAIRS = 16;
  private static final int MAX_METADATA_KEY = 64;
  private static final int MAX_METADATA_VALUE = 512;
  /** Jobs per page of {@code GET /batches}: the most the API gives. */
  static final int LIST_PAGE = 100;
  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (a, b) -> true);

  private final ObjectMapper json;
  private final HttpClient client;
  private final URI base;
  private final @Nullable String azureApiVersion;
  private final @Nullable String azureDeployment;
  private final Consumer<HttpRequest.Builder> authorise;
  private final Duration timeout;
  private final RequestBody requestBody;
  private final ErrorClassifier errors;
  private final AnswerReader answers;
  private final UnaryOperator<String> scrubber;
  private final String provider;

  BatchJobsClient(ObjectMapper json, HttpClient client, URI base, @Nullable String azureDeployment,
      String azureApiVersion, Consumer<HttpRequest.Builder> authorise, Duration timeout, RequestBody requestBody,
      ErrorClassifier errors, AnswerReader answers, UnaryOperator<String> scrubber, String provider) {
    this.json = json;
    this.client = client;
    String root = base.toString();
    while (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    this.base = URI.create(azureDeployment != null ? root + "/openai" : root);
    this.azureDeployment = azureDeployment;
    this.azureApiVersion = azureDeployment != null ? azureApiVersion : null;
    this.authorise = authorise;
    this.timeout = timeout;
    this.requestBody = requestBody;
    this.errors = errors;
    this.answers = answers;
    this.scrubber = scrubber;
    this.provider = provider + " batch API";
  }

  BatchJob submit(List<BatchJobRequest> requests, Map<String, String> metadata) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("requests: a batch job needs at least one request");
    }
    checkMetadata(metadata);
    String chatPath = azureDeployment != null ? "/chat/completions" : "/v1/chat/completions";
    StringBuilder lines = new StringBuilder();
    Set<String> ids = new HashSet<>();
    for (BatchJobRequest r : requests) {
      if (!ids.add(r.customId())) {
        throw new IllegalArgumentException("requests: custom id '" + r.customId() + "' is given twice");
      }
      ObjectNode body = (ObjectNode) readTree(new String(requestBody.write(r.request()), StandardCharsets.UTF_8));
      if (azureDeployment != null) {
        body.put("model", azureDeployment);
      }
      ObjectNode line = json.createObjectNode();
      line.put("custom_id", r.customId());
      line.put("method", "POST");
      line.put("url", chatPath);
      line.set("body", body);
      lines.append(write(line)).append('\n');
    }
    JsonNode file = send(upload(lines.toString()));
    ObjectNode create = json.createObjectNode();
    create.put("input_file_id", file.path("id").asText());
    create.put("endpoint", chatPath);
    create.put("completion_window", COMPLETION_WINDOW);
    ObjectNode tags = create.putObject("metadata");
    tags.put(CREATED_BY, "cohort");
    new TreeMap<>(metadata).forEach(tags::put);
    return job(send(post("/batches", write(create))));
  }

  /** What OpenAI's Metadata schema takes (16 pairs, keys up to 64, values up to 512 characters), one pair ours. */
  private static void checkMetadata(Map<String, String> metadata) {
    if (metadata.size() > MAX_METADATA_PAIRS - 1) {
      throw new IllegalArgumentException("metadata: at most " + (MAX_METADATA_PAIRS - 1) + " pairs, was "
          + metadata.size());
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey().equals(CREATED_BY)) {
        throw new IllegalArgumentException("metadata: key " + CREATED_BY + " is Cohort's own");
      }
      if (e.getKey().isEmpty() || e.getKey().length() > MAX_METADATA_KEY) {
        throw new IllegalArgumentException("metadata: key '" + e.getKey() + "' must be 1 to " + MAX_METADATA_KEY
            + " characters");
      }
      if (e.getValue().length() > MAX_METADATA_VALUE) {
        throw new IllegalArgumentException("metadata: the value of '" + e.getKey() + "' is longer than "
            + MAX_METADATA_VALUE + " characters");
      }
    }
  }

  /**
   * The newest job whose {@code metadata[key]} is {@code value}, paging through {@code GET
   * /batches} newest first; stops at the first job created before {@code createdNotBefore} (the
   * list is in creation order, so every later one is older still) or at the list's end.
   */
  Optional<BatchJob> findJob(String key, String value, Instant createdNotBefore) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(createdNotBefore, "createdNotBefore");
    @Nullable String after = null;
    while (true) {
      JsonNode page = send(request("/batches", "limit=" + LIST_PAGE + (after == null ? "" : "&after=" + encode(after)))
          .GET());
      JsonNode data = page.path("data");
      for (JsonNode b : data) {
        JsonNode created = b.path("created_at");
        if (created.isNumber() && Instant.ofEpochSecond(created.asLong()).isBefore(createdNotBefore)) {
          return Optional.empty();
        }
        JsonNode tag = b.path("metadata").path(key);
        if (tag.isTextual() && tag.asText().equals(value)) {
          return Optional.of(job(b));
        }
      }
      if (!page.path("has_more").asBoolean(false) || data.size() == 0) {
        return Optional.empty();
      }
      // last_id is the list's cursor; the last job's id is the same where a provider leaves it out.
      after = page.path("last_id").isTextual() ? page.path("last_id").asText()
          : data.get(data.size() - 1).path("id").asText();
    }
  }

  BatchJob job(String jobId) {
    return job(send(request("/batches/" + encode(jobId)).GET()));
  }

  BatchJob cancel(String jobId) {
    return job(send(post("/batches/" + encode(jobId) + "/cancel", "")));
  }

  List<BatchJobResult> results(BatchJob job) {
    List<BatchJobResult> results = new ArrayList<>();
    for (String fileId : new String[] {job.outputFileId(), job.errorFileId()}) {
      if (fileId == null) {
        continue;
      }
      String content = text(request("/files/" + encode(fileId) + "/content").GET());
      for (String line : content.split("\n")) {
        if (!line.isBlank()) {
          results.add(result(readTree(line)));
        }
      }
    }
    return results;
  }

  private BatchJobResult result(JsonNode line) {
    String customId = line.path("custom_id").asText();
    JsonNode error = line.path("error");
    if (error.isObject()) {
      return BatchJobResult.failed(customId, describe(error));
    }
    JsonNode response = line.path("response");
    int status = response.path("status_code").asInt(0);
    @Nullable String requestId = response.path("request_id").isTextual() ? response.path("request_id").asText() : null;
    String body = write(response.path("body"));
    if (status < 200 || status > 299) {
      JsonNode inner = response.path("body").path("error");
      return BatchJobResult.failed(customId, "HTTP " + status + (inner.isObject() ? ": " + describe(inner) : ""));
    }
    try {
      ChatResponse answer = answers.read(provider, status, body, NO_HEADERS, requestId);
      return BatchJobResult.answered(customId, answer);
    } catch (LlmException e) {
      return BatchJobResult.failed(customId, e.getMessage());
    }
  }

  private static String describe(JsonNode error) {
    String code = error.path("code").isTextual() ? error.path("code").asText() : null;
    String message = error.path("message").asText("");
    return code == null ? message : code + ": " + message;
  }

  private BatchJob job(JsonNode b) {
    JsonNode counts = b.path("request_counts");
    List<String> problems = new ArrayList<>();
    for (JsonNode e : b.path("errors").path("data")) {
      problems.add((e.path("line").isNumber() ? "line " + e.path("line").asLong() + ": " : "") + describe(e));
    }
    @Nullable Instant created = b.path("created_at").isNumber() ? Instant.ofEpochSecond(b.path("created_at").asLong())
        : null;
    return new BatchJob(b.path("id").asText(), BatchJobState.fromWire(b.path("status").asText()),
        b.path("input_file_id").asText(), textOrNull(b.path("output_file_id")), textOrNull(b.path("error_file_id")),
        counts.path("total").asLong(), counts.path("completed").asLong(), counts.path("failed").asLong(), created,
        problems.isEmpty() ? null : scrubber.apply(String.join("; ", problems)));
  }

  private static @Nullable String textOrNull(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }

  private HttpRequest.Builder upload(String jsonl) {
    String boundary = "cohort-" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cohort-batch.jsonl\"\r\n"
        + "Content-Type: application/jsonl\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(jsonl.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return request("/files")
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
  }

  private HttpRequest.Builder post(String path, String body) {
    return request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder request(String path) {
    return request(path, "");
  }

  /** A request of {@code path} with {@code query} ({@code a=1&b=2}, already encoded; may be empty). */
  private HttpRequest.Builder request(String path, String query) {
    String version = azureApiVersion == null ? "" : "api-version=" + encode(azureApiVersion);
    String all = query.isEmpty() ? version : version.isEmpty() ? query : version + "&" + query;
    HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(base + path + (all.isEmpty() ? "" : "?" + all)))
        .timeout(timeout)
        .header("User-Agent", "cohort-openai");
    authorise.accept(http);
    return http;
  }

  private JsonNode send(HttpRequest.Builder request) {
    return readTree(text(request));
  }

  private String text(HttpRequest.Builder request) {
    HttpRequest http = request.build();
    HttpResponse<String> response;
    try {
      response = client.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RetryableLlmException(scrubber.apply(provider + " failed with " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage())), e, 0, null, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableLlmException("interrupted while waiting for " + provider, e, 0, null, null, null);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      @Nullable String requestId = response.headers().firstValue("x-request-id").orElse(null);
      throw errors.classify(provider, status, response.headers(), response.body(), requestId);
    }
    return response.body();
  }

  private JsonNode readTree(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RetryableLlmException(provider + " answered with a body that is not valid JSON", e, 0, null, null,
          null);
    }
  }

  private String write(JsonNode node) {
    try {
      return json.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
