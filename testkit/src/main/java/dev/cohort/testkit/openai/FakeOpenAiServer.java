package dev.cohort.testkit.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An in-process OpenAI Chat Completions server on 127.0.0.1 (JDK {@code HttpServer}, ephemeral
 * port) that answers with the JSON bodies and headers OpenAI sends. Each test scripts its
 * replies; every request is recorded with its arrival time.
 */
public final class FakeOpenAiServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final List<Recorded> recorded = new ArrayList<>();
  private final Deque<Reply> queued = new ArrayDeque<>();
  private Function<Recorded, Reply> otherwise = request -> Reply.ok("Hello.");
  private @Nullable PromptCache promptCache;
  private final FakeBatchApi batchApi = new FakeBatchApi();
  private @Nullable Reply batchRefusal;

  private FakeOpenAiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** Starts a server on an ephemeral loopback port; every request is answered with "Hello." until scripted. */
  public static FakeOpenAiServer start() throws IOException {
    return new FakeOpenAiServer();
  }

  /** {@code http://127.0.0.1:port}, the root (Azure's resource endpoint). */
  public String root() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:port/v1}, the base URL an OpenAI client is given. */
  public String baseUrl() {
    return root() + "/v1";
  }

  /** Answers the next requests with {@code replies}, in order. */
  public synchronized FakeOpenAiServer enqueue(Reply... replies) {
    queued.addAll(List.of(replies));
    return this;
  }

  /** Answers requests with {@code script} once the queued replies are used up. */
  public synchronized FakeOpenAiServer otherwise(Function<Recorded, Reply> script) {
    otherwise = script;
    return this;
  }

  /**
   * Opt-in: from now on, every successful completion reports its {@code prompt_tokens} and {@code
   * prompt_tokens_details.cached_tokens} as {@code cache} measures the request's prompt, as a
   * provider with prompt caching would, whatever the scripted reply said.
   */
  public synchronized FakeOpenAiServer cachePromptPrefixes(PromptCache cache) {
    this.promptCache = cache;
    return this;
  }

  /**
   * How many batch jobs were created ({@code POST /v1/batches} accepted) since the server started:
   * what a test of exactly-once submission counts.
   */
  public synchronized int batchSubmissions() {
    return batchApi.submissions();
  }

  /**
   * Batch jobs created from now on get their {@code created_at} from {@code clock} (seconds), as a
   * real provider stamps them; by default they are stamped one second apart from a fixed instant in
   * 2024, which a client that looks for jobs created after a time of its own would never reach.
   */
  public synchronized FakeOpenAiServer stampBatchJobsWith(java.time.Clock clock) {
    batchApi.stampJobsWith(java.util.Objects.requireNonNull(clock, "clock"));
    return this;
  }

  /**
   * While held, batch jobs stay {@code in_progress} however often they are read (a job a test
   * wants to catch running); released, they go on through {@code finalizing} to {@code completed}.
   */
  public synchronized FakeOpenAiServer holdBatchJobsInProgress(boolean hold) {
    batchApi.holdInProgress(hold);
    return this;
  }

  /**
   * Batch jobs holding a request whose custom id matches stay {@code in_progress} however often
   * they are read, until this is called again with a predicate they do not match; other jobs go on.
   */
  public synchronized FakeOpenAiServer holdBatchJobsWith(java.util.function.Predicate<String> customIds) {
    batchApi.holdJobsWith(customIds);
    return this;
  }

  /**
   * The next batch job created expires instead of completing: its first {@code answered} requests
   * are in its output file, the rest in its error file with code {@code batch_expired}.
   */
  public synchronized FakeOpenAiServer expireNextBatchJobAfter(int answered) {
    batchApi.expireNextJobAfter(answered);
    return this;
  }

  /** Batch requests whose custom id matches end in the job's error file with an HTTP 500 body. */
  public synchronized FakeOpenAiServer failBatchRequests(java.util.function.Predicate<String> customIds) {
    batchApi.failRequests(customIds);
    return this;
  }

  /**
   * While set, every Files and Batch API call is answered with {@code reply} (say a 401 for a bad
   * key) and does nothing; null answers them again.
   */
  public synchronized FakeOpenAiServer refuseBatchCalls(@Nullable Reply reply) {
    batchRefusal = reply;
    return this;
  }

  /** The provider id of every batch job created, in creation order. */
  public synchronized List<String> batchJobIds() {
    return batchApi.jobIds();
  }

  /** The status of every batch job created, in creation order. */
  public synchronized List<String> batchJobStatuses() {
    return batchApi.jobStatuses();
  }

  /**
   * The chat request bodies of every batch job created, in creation order, each job's in its input
   * file's order: what a test of which model each job's requests are for reads.
   */
  public synchronized List<List<JsonNode>> batchJobRequestBodies() {
    return batchApi.jobRequestBodies();
  }

  /** Every request so far, in arrival order. */
  public synchronized List<Recorded> requests() {
    return List.copyOf(recorded);
  }

  /** The latest request. */
  public synchronized Recorded lastRequest() {
    return recorded.get(recorded.size() - 1);
  }

  /**
   * The scripted answer to a chat completion (the {@link #otherwise} script, measured by the
   * prompt cache when one is set): for direct calls once the queue is empty, and for every request
   * of a batch job.
   */
  private Reply scriptedCompletion(Recorded request) {
    return measured(request, otherwise.apply(request));
  }

  /** {@code reply} with its prompt usage as the prompt cache measures it, when one is set. */
  private Reply measured(Recorded request, Reply reply) {
    if (promptCache != null && reply.status == 200) {
      return reply.withPromptUsage(promptCache.measure(request.json()));
    }
    return reply;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long arrived = System.nanoTime();
    try {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach(
          (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
      String requestId = "req_" + Integer.toHexString(0x5f00 + requestCount.incrementAndGet());
      Recorded request = new Recorded(
          arrived, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          exchange.getRequestURI().getRawQuery(), headers, body, requestId);
      Reply reply;
      synchronized (this) {
        recorded.add(request);
        if (FakeBatchApi.handles(request.path())) {
          reply = batchRefusal != null ? batchRefusal : batchApi.handle(request, this::scriptedCompletion);
        } else {
          Reply next = queued.poll();
          reply = measured(request, next != null ? next : otherwise.apply(request));
        }
      }
      if (!reply.delay.isZero()) {
        try {
          // A slow provider is the behaviour scripted here, not a wait for something.
          Thread.sleep(reply.delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("x-request-id", requestId);
      reply.headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(reply.status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (IOException e) {
      // The client gave up (a timeout test): nobody is left to answer.
    } finally {
      exchange.close();
    }
  }

  /**
   * One recorded request.
   *
   * @param arrivedNanos {@link System#nanoTime()} when it arrived
   * @param headers its headers, names in lower case
   * @param requestId the {@code x-request-id} the server answered with
   */
  public record Recorded(
      long arrivedNanos,
      String method,
      String path,
      @Nullable String query,
      Map<String, String> headers,
      String body,
      String requestId) {
    /** The body as JSON. */
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("the request body is not JSON: " + body, e);
      }
    }

    /** A header's value, or null. */
    public @Nullable String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** One scripted answer. */
  public static final class Reply {
    final int status;
    final String body;
    final Map<String, String> headers = new LinkedHashMap<>();
    Duration delay = Duration.ZERO;

    private Reply(int status, String body, String contentType) {
      this.status = status;
      this.body = body;
      headers.put("Content-Type", contentType);
      headers.put("openai-version", "2020-10-01");
      headers.put("openai-processing-ms", "412");
    }

    /** A completion of {@code text} with 20 prompt and 10 completion tokens. */
    public static Reply ok(String text) {
      return completion(text, "stop", 20, 10, 0);
    }

    /**
     * A chat completion exactly as OpenAI writes one, with roomy rate-limit headers (those of
     * gpt-4o-mini at OpenAI's highest tier: 30,000 requests and 150 million tokens a minute, which
     * Cohort follows when told no limit, so that tests are not paced by them).
     */
    public static Reply completion(String text, String finishReason, long prompt, long completion, long cached) {
      ObjectNode root = JSON.createObjectNode();
      root.put("id", "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
      root.put("object", "chat.completion");
      root.put("created", 1_741_570_283L);
      root.put("model", "gpt-4o-mini-2024-07-18");
      ObjectNode choice = root.putArray("choices").addObject();
      choice.put("index", 0);
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", text);
      message.putNull("refusal");
      message.putArray("annotations");
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason);
      ObjectNode usage = root.putObject("usage");
      usage.put("prompt_tokens", prompt);
      usage.put("completion_tokens", completion);
      usage.put("total_tokens", prompt + completion);
      usage.putObject("prompt_tokens_details").put("cached_tokens", cached).put("audio_tokens", 0);
      usage.putObject("completion_tokens_details")
          .put("reasoning_tokens", 0).put("audio_tokens", 0)
          .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
      root.put("service_tier", "default");
      root.put("system_fingerprint", "fp_06737a9306");
      return json(200, root)
          .header("x-ratelimit-limit-requests", "30000")
          .header("x-ratelimit-remaining-requests", "29999")
          .header("x-ratelimit-reset-requests", "2ms")
          .header("x-ratelimit-limit-tokens", "150000000")
          .header("x-ratelimit-remaining-tokens", "149999970")
          .header("x-ratelimit-reset-tokens", "0s");
    }

    /** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. */
    public static Reply error(int status, String type, @Nullable String code, String message) {
      ObjectNode root = JSON.createObjectNode();
      ObjectNode error = root.putObject("error");
      error.put("message", message);
      error.put("type", type);
      error.putNull("param");
      if (code == null) {
        error.putNull("code");
      } else {
        error.put("code", code);
      }
      return json(status, root);
    }

    /** OpenAI's 429 for a request rate limit, with its retry headers. */
    public static Reply rateLimited(String retryAfterSeconds) {
      return error(429, "requests", "rate_limit_exceeded",
              "Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): "
                  + "Limit 3, Used 3, Requested 1. Please try again in 20s.")
          .header("retry-after", retryAfterSeconds)
          .header("x-ratelimit-limit-requests", "3")
          .header("x-ratelimit-remaining-requests", "0")
          .header("x-ratelimit-reset-requests", retryAfterSeconds + "s");
    }

    /** OpenAI's 429 when the account has no credit left. */
    public static Reply insufficientQuota() {
      return error(429, "insufficient_quota", "insufficient_quota",
          "You exceeded your current quota, please check your plan and billing details. For more "
              + "information on this error, read the docs: "
              + "https://platform.openai.com/docs/guides/error-codes/api-errors.");
    }

    /** Any status and body. */
    public static Reply raw(int status, String contentType, String body) {
      return new Reply(status, body, contentType);
    }

    /** Adds or replaces a response header. */
    public Reply header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Drops a response header. */
    public Reply withoutHeader(String name) {
      headers.remove(name);
      return this;
    }

    /** This reply with its usage's prompt and cached tokens replaced; a body without usage stays as it is. */
    Reply withPromptUsage(PromptCache.Usage measured) {
      JsonNode root;
      try {
        root = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        return this;
      }
      if (!(root.path("usage") instanceof ObjectNode usage)) {
        return this;
      }
      usage.put("prompt_tokens", measured.promptTokens());
      usage.put("total_tokens", measured.promptTokens() + usage.path("completion_tokens").asLong());
      usage.putObject("prompt_tokens_details").put("cached_tokens", measured.cachedTokens()).put("audio_tokens", 0);
      Reply changed = json(status, root);
      changed.headers.putAll(headers);
      changed.delay = delay;
      return changed;
    }

    /**
     * This reply with {@code model} as the model that answered (a completion names
     * gpt-4o-mini-2024-07-18 otherwise), so calls to two fake servers are priced apart; a body that
     * is no JSON object stays as it is.
     */
    public Reply withModel(String model) {
      JsonNode root;
      try {
        root = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        return this;
      }
      if (!(root instanceof ObjectNode object)) {
        return this;
      }
      object.put("model", model);
      Reply changed = json(status, object);
      changed.headers.putAll(headers);
      changed.delay = delay;
      return changed;
    }

    /** Answers only after {@code wait}: a slow provider. */
    public Reply delayedBy(Duration wait) {
      this.delay = wait;
      return this;
    }

    private static Reply json(int status, JsonNode root) {
      try {
        return new Reply(status, JSON.writeValueAsString(root), "application/json");
      } catch (JsonProcessingException e) {
        throw new AssertionError(e);
      }
    }
  }
}
