package dev.cohort.testkit.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Files and Batch endpoints of {@link FakeOpenAiServer}, with OpenAI's wire format: {@code POST
 * /v1/files} (multipart, purpose {@code batch}), {@code GET /v1/files/{id}} and {@code
 * /v1/files/{id}/content}, {@code POST /v1/batches}, {@code GET /v1/batches} (newest first, pages
 * by {@code after} and {@code limit}), {@code GET /v1/batches/{id}} and {@code POST
 * /v1/batches/{id}/cancel}. The create body's {@code metadata} (up to 16 string pairs, keys up to 64
 * and values up to 512 characters) is kept and shown in the batch object. Each read of a job moves it one step along OpenAI's lifecycle
 * ({@code validating → in_progress → finalizing → completed}, or {@code failed} when the input file
 * is invalid, {@code cancelling → cancelled} after a cancel), unless the test holds jobs in
 * progress. Each request of a job is answered by the server's chat script, as if it had been sent
 * to {@code /v1/chat/completions}; the output and error files list them in reverse input order.
 * Guarded by the server's lock.
 */
final class FakeBatchApi {
  private static final Pattern FILE = Pattern.compile("/v1/files/([^/]+)(/content)?");
  private static final Pattern BATCH = Pattern.compile("/v1/batches/([^/]+)(/cancel)?");
  private static final long CREATED_AT = 1_711_471_533L;

  /** Numbers the fakes, so two servers' job ids differ, as real providers' (random) ids do. */
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String idTag = String.format("%06d", INSTANCES.incrementAndGet() % 1_000_000);
  private final Map<String, StoredFile> files = new LinkedHashMap<>();
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private int submissions;
  /** Stamps created jobs when set; otherwise they are created one second apart from {@link #CREATED_AT}. */
  private @Nullable Clock clock;
  private boolean holdInProgress;
  private Predicate<String> heldIds = id -> false;
  private int expireAfter = -1;
  private Predicate<String> failedIds = id -> false;

  private record StoredFile(String id, String filename, String purpose, String content) {}

  private static final class Job {
    final String id;
    final String inputFileId;
    final String endpoint;
    final long createdAt;
    @Nullable JsonNode metadata;
    String status = "validating";
    @Nullable String outputFileId;
    @Nullable String errorFileId;
    @Nullable ArrayNode errors;
    long total;
    long completed;
    long failed;
    int expireAfter;
    /** The custom ids of its input file's lines, once it has been validated. */
    List<String> customIds = List.of();
    final Map<String, Long> stamps = new LinkedHashMap<>();

    Job(String id, String inputFileId, String endpoint, long createdAt) {
      this.id = id;
      this.inputFileId = inputFileId;
      this.endpoint = endpoint;
      this.createdAt = createdAt;
    }
  }

  int submissions() {
    return submissions;
  }

  void stampJobsWith(Clock clock) {
    this.clock = clock;
  }

  void holdInProgress(boolean hold) {
    holdInProgress = hold;
  }

  void holdJobsWith(Predicate<String> customIds) {
    heldIds = customIds;
  }

  void expireNextJobAfter(int answered) {
    expireAfter = answered;
  }

  void failRequests(Predicate<String> customIds) {
    failedIds = customIds;
  }

  List<String> jobStatuses() {
    List<String> statuses = new ArrayList<>();
    jobs.values().forEach(j -> statuses.add(j.status));
    return statuses;
  }

  /** The id of every job created, in creation order. */
  List<String> jobIds() {
    return List.copyOf(jobs.keySet());
  }

  /** The request bodies of every job created, in creation order, each job's in its input file's order. */
  List<List<JsonNode>> jobRequestBodies() {
    List<List<JsonNode>> all = new ArrayList<>();
    for (Job job : jobs.values()) {
      List<JsonNode> lines = new ArrayList<>();
      validate(files.get(job.inputFileId).content, job.endpoint, lines);
      List<JsonNode> bodies = new ArrayList<>();
      lines.forEach(line -> bodies.add(line.path("body")));
      all.add(List.copyOf(bodies));
    }
    return List.copyOf(all);
  }

  static boolean handles(String path) {
    return path.equals("/v1/files") || path.startsWith("/v1/files/") || path.equals("/v1/batches")
        || path.startsWith("/v1/batches/");
  }

  /** Answers one Files or Batch call; {@code chat} answers each request of a job. */
  Reply handle(Recorded request, Function<Recorded, Reply> chat) {
    String path = request.path();
    String method = request.method();
    if (path.equals("/v1/files") && method.equals("POST")) {
      return upload(request);
    }
    if (path.equals("/v1/batches") && method.equals("POST")) {
      return create(request);
    }
    if (path.equals("/v1/batches") && method.equals("GET")) {
      return list(request.query());
    }
    Matcher file = FILE.matcher(path);
    if (file.matches() && method.equals("GET")) {
      StoredFile stored = files.get(file.group(1));
      if (stored == null) {
        return notFound("No such File object: " + file.group(1));
      }
      return file.group(2) != null ? Reply.raw(200, "application/octet-stream", stored.content) : json(fileObject(stored));
    }
    Matcher batch = BATCH.matcher(path);
    if (batch.matches()) {
      Job job = jobs.get(batch.group(1));
      if (job == null) {
        return notFound("No batch found with id '" + batch.group(1) + "'.");
      }
      if (batch.group(2) != null && method.equals("POST")) {
        if (!isTerminal(job.status)) {
          job.status = "cancelling";
          job.stamps.put("cancelling_at", CREATED_AT + 5);
        }
        return json(batchObject(job));
      }
      if (method.equals("GET")) {
        advance(job, chat);
        return json(batchObject(job));
      }
    }
    return Reply.error(404, "invalid_request_error", null, "Invalid URL (" + method + " " + path + ")");
  }

  private Reply upload(Recorded request) {
    String type = request.header("content-type");
    if (type == null || !type.startsWith("multipart/form-data") || !type.contains("boundary=")) {
      return Reply.error(400, "invalid_request_error", null, "Expected a multipart/form-data request.");
    }
    String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
    Map<String, String> parts = new LinkedHashMap<>();
    String filename = "upload";
    for (String part : request.body().split("--" + Pattern.quote(boundary))) {
      int blank = part.indexOf("\r\n\r\n");
      if (blank < 0) {
        continue;
      }
      String head = part.substring(0, blank);
      String value = part.substring(blank + 4);
      if (value.endsWith("\r\n")) {
        value = value.substring(0, value.length() - 2);
      }
      Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(head);
      if (name.find()) {
        parts.put(name.group(1), value);
      }
      Matcher file = Pattern.compile("filename=\"([^\"]*)\"").matcher(head);
      if (file.find()) {
        filename = file.group(1);
      }
    }
    if (!"batch".equals(parts.get("purpose"))) {
      return Reply.error(400, "invalid_request_error", null, "'purpose' must be one of batch, fine-tune, …");
    }
    if (!parts.containsKey("file")) {
      return Reply.error(400, "invalid_request_error", null, "'file' is a required property");
    }
    String id = "file-" + String.format("%024d", files.size() + 1);
    StoredFile stored = new StoredFile(id, filename, "batch", parts.get("file"));
    files.put(id, stored);
    return json(fileObject(stored));
  }

  private Reply create(Recorded request) {
    JsonNode body = request.json();
    String input = body.path("input_file_id").asText();
    if (!files.containsKey(input)) {
      return notFound("No such File object: " + input);
    }
    if (!"24h".equals(body.path("completion_window").asText())) {
      return Reply.error(400, "invalid_request_error", null, "completion_window must be '24h'");
    }
    String endpoint = body.path("endpoint").asText();
    if (!Set.of("/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/responses").contains(endpoint)) {
      return Reply.error(400, "invalid_request_error", null, "Invalid endpoint " + endpoint);
    }
    JsonNode metadata = body.path("metadata");
    String invalid = invalidMetadata(metadata);
    if (invalid != null) {
      return Reply.error(400, "invalid_request_error", null, invalid);
    }
    submissions++;
    long createdAt = clock == null ? CREATED_AT + jobs.size() : clock.instant().getEpochSecond();
    Job job = new Job("batch_" + idTag + String.format("%018d", jobs.size() + 1), input, endpoint, createdAt);
    job.metadata = metadata.isObject() ? metadata.deepCopy() : null;
    job.expireAfter = expireAfter;
    expireAfter = -1;
    jobs.put(job.id, job);
    return json(batchObject(job));
  }

  /** Why the create body's metadata is invalid, as OpenAI's Metadata schema says, or null when it is valid. */
  private static @Nullable String invalidMetadata(JsonNode metadata) {
    if (metadata.isMissingNode() || metadata.isNull()) {
      return null;
    }
    if (!metadata.isObject()) {
      return "Invalid type for 'metadata': expected an object.";
    }
    if (metadata.size() > 16) {
      return "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got "
          + metadata.size() + ".";
    }
    for (Map.Entry<String, JsonNode> field : metadata.properties()) {
      if (field.getKey().length() > 64) {
        return "Invalid 'metadata': key '" + field.getKey() + "' is longer than 64 characters.";
      }
      if (!field.getValue().isTextual()) {
        return "Invalid type for 'metadata." + field.getKey() + "': expected a string.";
      }
      if (field.getValue().asText().length() > 512) {
        return "Invalid 'metadata." + field.getKey() + "': string too long, at most 512 characters.";
      }
    }
    return null;
  }

  /**
   * {@code GET /v1/batches}: OpenAI's list object, newest first; {@code after} is the id of the last
   * batch of the previous page, {@code limit} between 1 and 100 (default 20). Lists do not advance jobs.
   */
  private Reply list(@Nullable String query) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    int limit = 20;
    if (params.containsKey("limit")) {
      try {
        limit = Integer.parseInt(params.get("limit"));
      } catch (NumberFormatException e) {
        limit = 0;
      }
      if (limit < 1 || limit > 100) {
        return Reply.error(400, "invalid_request_error", null,
            "Invalid 'limit': expected an integer between 1 and 100, got " + params.get("limit") + ".");
      }
    }
    List<Job> newestFirst = new ArrayList<>(jobs.values());
    Collections.reverse(newestFirst);
    int from = 0;
    String after = params.get("after");
    if (after != null) {
      from = -1;
      for (int i = 0; i < newestFirst.size(); i++) {
        if (newestFirst.get(i).id.equals(after)) {
          from = i + 1;
        }
      }
      if (from < 0) {
        return notFound("No batch found with id '" + after + "'.");
      }
    }
    List<Job> page = newestFirst.subList(from, Math.min(newestFirst.size(), from + limit));
    ObjectNode o = FakeOpenAiServer.JSON.createObjectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    page.forEach(j -> data.add(batchObject(j)));
    putNullable(o, "first_id", page.isEmpty() ? null : page.get(0).id);
    putNullable(o, "last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
    o.put("has_more", from + page.size() < newestFirst.size());
    return json(o);
  }

  /** One step of the lifecycle, at each read. */
  private void advance(Job job, Function<Recorded, Reply> chat) {
    switch (job.status) {
      case "validating" -> {
        List<JsonNode> lines = new ArrayList<>();
        ArrayNode errors = validate(files.get(job.inputFileId).content, job.endpoint, lines);
        if (errors.size() > 0) {
          job.status = "failed";
          job.errors = errors;
          job.stamps.put("failed_at", job.createdAt + 1);
        } else {
          job.status = "in_progress";
          job.total = lines.size();
          List<String> ids = new ArrayList<>(lines.size());
          lines.forEach(line -> ids.add(line.path("custom_id").asText()));
          job.customIds = ids;
          job.stamps.put("in_progress_at", job.createdAt + 1);
        }
      }
      case "in_progress" -> {
        if (holdInProgress || job.customIds.stream().anyMatch(heldIds)) {
          return;
        }
        if (job.expireAfter >= 0) {
          answer(job, chat, job.expireAfter);
          job.status = "expired";
          job.stamps.put("expired_at", job.createdAt + 86_400);
        } else {
          job.status = "finalizing";
          job.stamps.put("finalizing_at", job.createdAt + 2);
        }
      }
      case "finalizing" -> {
        answer(job, chat, Integer.MAX_VALUE);
        job.status = "completed";
        job.stamps.put("completed_at", job.createdAt + 3);
      }
      case "cancelling" -> {
        answer(job, chat, (int) (job.total / 2));
        job.status = "cancelled";
        job.stamps.put("cancelled_at", job.createdAt + 6);
      }
      default -> {
        // Ended: nothing changes any more.
      }
    }
  }

  /** Answers the first {@code limit} requests; the rest stay unanswered (an expired or cancelled job). */
  private void answer(Job job, Function<Recorded, Reply> chat, int limit) {
    List<JsonNode> lines = new ArrayList<>();
    validate(files.get(job.inputFileId).content, job.endpoint, lines);
    List<String> output = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < lines.size() && i < limit; i++) {
      JsonNode line = lines.get(i);
      String customId = line.path("custom_id").asText();
      String requestId = "req_" + job.id.substring(job.id.length() - 6) + String.format("%06d", i);
      ObjectNode out = FakeOpenAiServer.JSON.createObjectNode();
      out.put("id", "batch_req_" + job.id.substring(6) + String.format("%06d", i));
      out.put("custom_id", customId);
      Reply reply = failedIds.test(customId)
          ? Reply.error(500, "server_error", null, "The server had an error while processing your request.")
          : chat.apply(new Recorded(System.nanoTime(), "POST", job.endpoint, null, Map.of(),
              write(line.path("body")), requestId));
      ObjectNode response = out.putObject("response");
      response.put("status_code", reply.status);
      response.put("request_id", requestId);
      response.set("body", read(reply.body));
      out.putNull("error");
      if (reply.status == 200) {
        output.add(write(out));
        job.completed++;
      } else {
        errors.add(write(out));
        job.failed++;
      }
    }
    if (job.status.equals("in_progress") || job.status.equals("cancelling")) {
      // Requests an expired job never reached are listed in its error file, as OpenAI does.
      for (int i = Math.min(limit, lines.size()); i < lines.size() && job.status.equals("in_progress"); i++) {
        ObjectNode out = FakeOpenAiServer.JSON.createObjectNode();
        out.put("id", "batch_req_" + job.id.substring(6) + String.format("%06d", i));
        out.put("custom_id", lines.get(i).path("custom_id").asText());
        out.putNull("response");
        out.putObject("error").put("code", "batch_expired")
            .put("message", "This request could not be executed before the completion window expired.");
        errors.add(write(out));
      }
    }
    // Out of input order, as a provider's finished requests come.
    Collections.reverse(output);
    Collections.reverse(errors);
    job.outputFileId = output.isEmpty() ? null : storeOutput(job, "output", output);
    job.errorFileId = errors.isEmpty() ? null : storeOutput(job, "error", errors);
  }

  private String storeOutput(Job job, String kind, List<String> lines) {
    String id = "file-" + String.format("%024d", files.size() + 1);
    files.put(id, new StoredFile(id, job.id + "_" + kind + ".jsonl", "batch_output", String.join("\n", lines) + "\n"));
    return id;
  }

  /** The input's lines into {@code lines}; OpenAI's validation errors, one per bad line. */
  private static ArrayNode validate(String content, String endpoint, List<JsonNode> lines) {
    ArrayNode errors = FakeOpenAiServer.JSON.createArrayNode();
    Set<String> ids = new HashSet<>();
    String[] raw = content.split("\n");
    for (int i = 0; i < raw.length; i++) {
      if (raw[i].isBlank()) {
        continue;
      }
      JsonNode line;
      try {
        line = FakeOpenAiServer.JSON.readTree(raw[i]);
      } catch (JsonProcessingException e) {
        errors.add(error(i + 1, "invalid_json_line", "This line is not parseable as valid JSON.", null));
        continue;
      }
      String customId = line.path("custom_id").asText("");
      if (customId.isEmpty()) {
        errors.add(error(i + 1, "missing_required_parameter", "Missing required parameter: 'custom_id'.", "custom_id"));
      } else if (!ids.add(customId)) {
        errors.add(error(i + 1, "duplicate_custom_id", "The custom_id for this request is a duplicate.", "custom_id"));
      } else if (!"POST".equals(line.path("method").asText())) {
        errors.add(error(i + 1, "invalid_request", "Only POST is supported.", "method"));
      } else if (!endpoint.equals(line.path("url").asText())) {
        errors.add(error(i + 1, "mismatched_endpoint", "The URL provided for this request does not match the "
            + "endpoint of the batch.", "url"));
      } else if (!line.path("body").isObject()) {
        errors.add(error(i + 1, "invalid_request", "'body' must be an object.", "body"));
      } else {
        lines.add(line);
      }
    }
    if (lines.isEmpty() && errors.size() == 0) {
      errors.add(error(1, "empty_file", "The batch input file is empty.", null));
    }
    return errors;
  }

  private static ObjectNode error(int line, String code, String message, @Nullable String param) {
    ObjectNode e = FakeOpenAiServer.JSON.createObjectNode();
    e.put("code", code);
    e.put("message", message);
    if (param == null) {
      e.putNull("param");
    } else {
      e.put("param", param);
    }
    e.put("line", line);
    return e;
  }

  private static ObjectNode fileObject(StoredFile f) {
    ObjectNode o = FakeOpenAiServer.JSON.createObjectNode();
    o.put("id", f.id);
    o.put("object", "file");
    o.put("bytes", f.content.getBytes(StandardCharsets.UTF_8).length);
    o.put("created_at", CREATED_AT);
    o.putNull("expires_at");
    o.put("filename", f.filename);
    o.put("purpose", f.purpose);
    o.put("status", "processed");
    o.putNull("status_details");
    return o;
  }

  private static ObjectNode batchObject(Job j) {
    ObjectNode o = FakeOpenAiServer.JSON.createObjectNode();
    o.put("id", j.id);
    o.put("object", "batch");
    o.put("endpoint", j.endpoint);
    if (j.errors == null) {
      o.putNull("errors");
    } else {
      ObjectNode errors = o.putObject("errors");
      errors.put("object", "list");
      errors.set("data", j.errors);
    }
    o.put("input_file_id", j.inputFileId);
    o.put("completion_window", "24h");
    o.put("status", j.status);
    putNullable(o, "output_file_id", j.outputFileId);
    putNullable(o, "error_file_id", j.errorFileId);
    o.put("created_at", j.createdAt);
    for (String stamp : List.of("in_progress_at", "finalizing_at", "completed_at", "failed_at", "expired_at",
        "cancelling_at", "cancelled_at")) {
      Long at = j.stamps.get(stamp);
      if (at == null) {
        o.putNull(stamp);
      } else {
        o.put(stamp, at);
      }
    }
    o.put("expires_at", j.createdAt + 86_400);
    ObjectNode counts = o.putObject("request_counts");
    counts.put("total", j.total);
    counts.put("completed", j.completed);
    counts.put("failed", j.failed);
    if (j.metadata == null) {
      o.putNull("metadata");
    } else {
      o.set("metadata", j.metadata.deepCopy());
    }
    return o;
  }

  private static void putNullable(ObjectNode o, String name, @Nullable String value) {
    if (value == null) {
      o.putNull(name);
    } else {
      o.put(name, value);
    }
  }

  private static boolean isTerminal(String status) {
    return Set.of("completed", "failed", "expired", "cancelled").contains(status);
  }

  private static Reply notFound(String message) {
    return Reply.error(404, "invalid_request_error", null, message);
  }

  private static Reply json(JsonNode node) {
    return Reply.raw(200, "application/json", write(node));
  }

  private static String write(JsonNode node) {
    try {
      return FakeOpenAiServer.JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode read(String body) {
    try {
      return FakeOpenAiServer.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return FakeOpenAiServer.JSON.getNodeFactory().textNode(body);
    }
  }
}
