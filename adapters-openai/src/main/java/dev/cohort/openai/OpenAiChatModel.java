package dev.cohort.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.port.BatchJob;
import dev.cohort.core.port.BatchJobPort;
import dev.cohort.core.port.BatchJobRequest;
import dev.cohort.core.port.BatchJobResult;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RetryableLlmException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LlmPort} that calls the OpenAI Chat Completions API ({@code POST /chat/completions})
 * over {@link java.net.http.HttpClient}. It speaks to OpenAI, Azure OpenAI and every server with
 * the same API: Ollama, vLLM, llama.cpp's server, LM Studio.
 *
 * <pre>{@code
 * LlmPort openAi = OpenAiChatModel.fromEnv();               // OPENAI_API_KEY, OPENAI_MODEL, …
 * LlmPort ollama = OpenAiChatModel.builder()
 *     .baseUrl("http://localhost:11434/v1")                 // no key needed
 *     .model("llama3.1")
 *     .build();
 * LlmPort azure = OpenAiChatModel.builder()
 *     .azure("https://my-resource.openai.azure.com", "gpt-4o-mini-prod")
 *     .apiKey(System.getenv("AZURE_OPENAI_API_KEY"))
 *     .build();
 * }</pre>
 *
 * <p>Each call sends the request's messages, model (the configured one when the request names
 * none), temperature, maximum tokens, seed and, when the request carries a JSON schema, a {@code
 * json_schema} response format. The response carries the text, the finish reason ({@code length}
 * when the model ran out of tokens), usage with cached prompt tokens, the model the provider
 * reports, the {@code x-request-id} and the {@code x-ratelimit-*} headers.
 *
 * <p>Failures are sorted as the {@link LlmPort} contract asks: connection errors, timeouts, 408,
 * 409, 429 and 5xx are {@link RetryableLlmException}s carrying the provider's {@code
 * retry-after-ms} or {@code Retry-After}; 401, 403 and 429 {@code insufficient_quota} are
 * batch-fatal; 400, 404, 422 and context-length errors are call-fatal. Messages hold the status,
 * the provider's error code and message and the request id, never the API key or the request
 * body. Instances are immutable and thread-safe.
 */
public final class OpenAiChatModel implements LlmPort, BatchJobPort {
  /** OpenAI's API. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** The model used when neither the configuration nor the request names one. */
  public static final String DEFAULT_MODEL = "gpt-4o-mini";
  /** The Azure OpenAI API version used unless another is set. */
  public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";
  /** How long to wait for a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * How long to wait for an answer. Generous, because a slow local model can take minutes to
   * write a long round.
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);

  /** The {@code response_format} sent with requests that carry a JSON schema. */
  public enum ResponseFormat {
    /** {@code {"type":"json_schema",…}} with the request's schema (OpenAI, Azure, vLLM, Ollama). */
    JSON_SCHEMA,
    /** {@code {"type":"json_object"}}: any JSON, for servers without structured outputs. */
    JSON_OBJECT,
    /** No response format: the prompt alone asks for JSON. */
    NONE
  }

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiChatModel.class);

  private final Endpoint endpoint;
  private final @Nullable ApiKey apiKey;
  private final String defaultModel;
  private final @Nullable String azureDeployment;
  private final Map<String, String> headers;
  private final Duration requestTimeout;
  private final HttpClient client;
  private final RequestBody requestBody;
  private final AnswerReader answers;
  private final ErrorClassifier errors;
  private final UnaryOperator<String> scrubber;
  private final BatchJobsClient batchJobs;

  private OpenAiChatModel(Builder builder, Endpoint endpoint) {
    this.endpoint = endpoint;
    this.apiKey = builder.apiKey;
    this.defaultModel = builder.model;
    this.azureDeployment = builder.azureDeployment;
    this.requestTimeout = builder.requestTimeout;
    this.headers = fixedHeaders(builder);
    ObjectMapper json = new ObjectMapper();
    ApiKey key = builder.apiKey;
    this.scrubber = key == null ? ApiKey::scrubKeyLike : key::scrub;
    this.requestBody = new RequestBody(
        json, builder.model, builder.maxCompletionTokens, builder.responseFormat,
        builder.strictJsonSchema, builder.bodyFields);
    this.errors = new ErrorClassifier(json, builder.clock, scrubber);
    this.answers = new AnswerReader(json, errors, scrubber);
    this.client = HttpClient.newBuilder()
        .connectTimeout(builder.connectTimeout)
        .version("https".equalsIgnoreCase(endpoint.uri().getScheme())
            ? HttpClient.Version.HTTP_2
            : HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.batchJobs = new BatchJobsClient(json, client, builder.baseUrl, builder.azureDeployment,
        builder.azureApiVersion, this::authorise, requestTimeout, requestBody, errors, answers, scrubber,
        label(builder.model));
  }

  /** A builder with every default: OpenAI's API, {@value #DEFAULT_MODEL}, no key yet. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A model configured from the process environment; see {@link Builder#fromEnv(Map)}.
   *
   * @throws ValidationException when a variable has a bad value, or OpenAI's API is used without
   *     {@code OPENAI_API_KEY}
   */
  public static OpenAiChatModel fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * A model configured from {@code env}; see {@link Builder#fromEnv(Map)}.
   *
   * @throws ValidationException when a variable has a bad value, or OpenAI's API is used without
   *     {@code OPENAI_API_KEY}
   */
  public static OpenAiChatModel fromEnv(Map<String, String> env) {
    return builder().fromEnv(env).build();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    String model = requestBody.model(request);
    String provider = label(model);
    HttpRequest http = httpRequest(request);
    long started = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = client.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw logged(transportFailure(provider, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw logged(new RetryableLlmException(
          "interrupted while waiting for " + provider, e, 0, null, null, null));
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    int status = response.statusCode();
    @Nullable String requestId = requestId(response);
    LOG.debug("{} answered HTTP {} in {} ms{}", provider, status, millis, ErrorClassifier.requestIdSuffix(requestId));
    if (status < 200 || status > 299) {
      throw logged(errors.classify(provider, status, response.headers(), response.body(), requestId));
    }
    try {
      return answers.read(provider, status, response.body(), response.headers(), requestId);
    } catch (LlmException e) {
      throw logged(e);
    }
  }

  /**
   * Names the provider and model, never the key: "OpenAI (model gpt-4o-mini)", "Azure OpenAI
   * deployment prod at https://…", "OpenAI-compatible server at http://localhost:11434/v1 (model
   * llama3.1)".
   */
  @Override
  public String describe() {
    return label(defaultModel);
  }

  /**
   * The configured model (the Azure deployment's model as configured with {@link Builder#model}),
   * which calls use when a request names none.
   */
  @Override
  public Optional<String> modelName() {
    return Optional.of(defaultModel);
  }

  /** The chat completions URL every call goes to (from the base URL; never holds the key). */
  @Override
  public String endpoint() {
    return endpoint.uri().toString();
  }

  /**
   * The exact JSON body this model sends for the request: the model used, every parameter (token
   * limit field, response format, seed, extra body fields) and the messages.
   */
  @Override
  public String requestSignature(ChatRequest request) {
    return new String(requestBody.write(request), StandardCharsets.UTF_8);
  }

  /**
   * Uploads the requests as a JSONL file ({@code POST /files}, purpose {@code batch}; each line
   * {@code {custom_id, method, url, body}} with the body {@link #chat} would send) and creates a
   * batch job over it ({@code POST /batches}, completion window {@code 24h}).
   */
  @Override
  public BatchJob submit(List<BatchJobRequest> requests) {
    return batchJobs.submit(List.copyOf(requests), Map.of());
  }

  /**
   * As {@link #submit(List)}, with {@code metadata} in the job's {@code metadata} beside Cohort's
   * own {@code created_by}.
   *
   * @throws IllegalArgumentException when {@code metadata} has more than 15 pairs, names {@code
   *     created_by}, or has a key longer than 64 or a value longer than 512 characters
   */
  @Override
  public BatchJob submit(List<BatchJobRequest> requests, Map<String, String> metadata) {
    return batchJobs.submit(List.copyOf(requests), Map.copyOf(metadata));
  }

  /**
   * Pages through {@code GET /batches} (100 a page, newest first) until a job whose {@code
   * metadata[key]} is {@code value}, or the first job created before {@code createdNotBefore}, or
   * the end of the list.
   */
  @Override
  public Optional<BatchJob> findJob(String key, String value, Instant createdNotBefore) {
    return batchJobs.findJob(key, value, createdNotBefore);
  }

  /** The job as {@code GET /batches/{id}} reports it. */
  @Override
  public BatchJob job(String jobId) {
    return batchJobs.job(jobId);
  }

  /** The job's output and error files ({@code GET /files/{id}/content}), line by line. */
  @Override
  public List<BatchJobResult> results(BatchJob job) {
    return batchJobs.results(job);
  }

  /** {@code POST /batches/{id}/cancel}. */
  @Override
  public BatchJob cancel(String jobId) {
    return batchJobs.cancel(jobId);
  }

  /** The same as {@link #describe()}. */
  @Override
  public String toString() {
    return describe();
  }

  private String label(String model) {
    if (azureDeployment != null) {
      return "Azure OpenAI deployment " + azureDeployment + " at " + endpoint.site();
    }
    if (endpoint.isOpenAiCloud()) {
      return "OpenAI (model " + model + ")";
    }
    return "OpenAI-compatible server at " + endpoint.site() + " (model " + model + ")";
  }

  private HttpRequest httpRequest(ChatRequest request) {
    HttpRequest.Builder http = HttpRequest.newBuilder(endpoint.uri())
        .timeout(requestTimeout)
        .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody.write(request)));
    headers.forEach(http::header);
    authorise(http);
    return http.build();
  }

  /** Adds the key (as a bearer token, or Azure's {@code api-key} header). */
  private void authorise(HttpRequest.Builder http) {
    ApiKey key = apiKey;
    if (key != null) {
      if (endpoint.azure()) {
        http.header("api-key", key.reveal());
      } else {
        http.header("Authorization", "Bearer " + key.reveal());
      }
    }
  }

  private RetryableLlmException transportFailure(String provider, IOException e) {
    String what;
    if (e instanceof HttpConnectTimeoutException) {
      what = "could not connect to " + endpoint.site() + " within " + readable(client.connectTimeout().orElse(null));
    } else if (e instanceof HttpTimeoutException) {
      what = "did not answer within " + readable(requestTimeout);
    } else if (e instanceof ConnectException) {
      what = "could not be reached at " + endpoint.site() + " (connection refused)";
    } else {
      String detail = e.getMessage();
      what = "failed with " + e.getClass().getSimpleName() + (detail == null ? "" : ": " + detail);
    }
    return new RetryableLlmException(scrubber.apply(provider + " " + what), e, 0, null, null, null);
  }

  private static String readable(@Nullable Duration timeout) {
    if (timeout == null) {
      return "the time allowed";
    }
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }

  private static <E extends LlmException> E logged(E e) {
    LOG.debug("model call failed: {}", e.getMessage());
    return e;
  }

  private static @Nullable String requestId(HttpResponse<?> response) {
    return response.headers().firstValue("x-request-id")
        .or(() -> response.headers().firstValue("apim-request-id"))
        .orElse(null);
  }

  private static Map<String, String> fixedHeaders(Builder builder) {
    Map<String, String> fixed = new LinkedHashMap<>();
    fixed.put("Content-Type", "application/json");
    fixed.put("Accept", "application/json");
    fixed.put("User-Agent", "cohort-openai");
    if (builder.organization != null) {
      fixed.put("OpenAI-Organization", builder.organization);
    }
    if (builder.project != null) {
      fixed.put("OpenAI-Project", builder.project);
    }
    fixed.putAll(builder.headers);
    return Map.copyOf(fixed);
  }

  /**
   * Configures an {@link OpenAiChatModel}. Each setting is checked as it is given; {@link
   * #build()} checks that they fit together. Not thread-safe.
   */
  public static final class Builder {
    /** Names the HTTP client sets itself and refuses to take. */
    private static final Set<String> RESTRICTED_HEADERS =
        Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESERVED_BODY_FIELDS = Set.of("messages", "stream");

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, JsonNode> bodyFields = new LinkedHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private @Nullable ApiKey apiKey;
    private URI baseUrl = URI.create(DEFAULT_BASE_URL);
    private String model = DEFAULT_MODEL;
    private @Nullable String organization;
    private @Nullable String project;
    private @Nullable String azureDeployment;
    private String azureApiVersion = DEFAULT_AZURE_API_VERSION;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private boolean maxCompletionTokens;
    private ResponseFormat responseFormat = ResponseFormat.JSON_SCHEMA;
    private boolean strictJsonSchema = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Reads the configuration from environment variables; those that are unset or blank leave
     * the setting as it is:
     *
     * <ul>
     *   <li>{@code OPENAI_API_KEY}: the key (optional for local servers);
     *   <li>{@code OPENAI_BASE_URL}: the API's base URL, default {@value #DEFAULT_BASE_URL};
     *   <li>{@code OPENAI_MODEL}: the model, default {@value #DEFAULT_MODEL};
     *   <li>{@code OPENAI_ORG_ID}, {@code OPENAI_PROJECT_ID}: sent as {@code OpenAI-Organization}
     *       and {@code OpenAI-Project};
     *   <li>{@code AZURE_OPENAI_ENDPOINT} with {@code AZURE_OPENAI_DEPLOYMENT}: Azure mode, with
     *       the key from {@code AZURE_OPENAI_API_KEY} (else {@code OPENAI_API_KEY}) and the API
     *       version from {@code OPENAI_API_VERSION} (default {@value
     *       OpenAiChatModel#DEFAULT_AZURE_API_VERSION}).
     * </ul>
     *
     * @throws ValidationException naming the variable when one has a bad value
     */
    public Builder fromEnv(Map<String, String> env) {
      @Nullable String key = value(env, "OPENAI_API_KEY");
      @Nullable String azureEndpoint = value(env, "AZURE_OPENAI_ENDPOINT");
      if (azureEndpoint != null) {
        @Nullable String deployment = value(env, "AZURE_OPENAI_DEPLOYMENT");
        if (deployment == null) {
          throw new ValidationException(
              "AZURE_OPENAI_DEPLOYMENT", "must be set when AZURE_OPENAI_ENDPOINT is set");
        }
        withVariable("AZURE_OPENAI_DEPLOYMENT", () -> Endpoint.checkDeployment(deployment));
        withVariable("AZURE_OPENAI_ENDPOINT", () -> azure(azureEndpoint, deployment));
        @Nullable String azureKey = value(env, "AZURE_OPENAI_API_KEY");
        key = azureKey != null ? azureKey : key;
        @Nullable String version = value(env, "OPENAI_API_VERSION");
        if (version != null) {
          withVariable("OPENAI_API_VERSION", () -> azureApiVersion(version));
        }
      } else {
        @Nullable String base = value(env, "OPENAI_BASE_URL");
        if (base != null) {
          withVariable("OPENAI_BASE_URL", () -> baseUrl(base));
        }
      }
      if (key != null) {
        String found = key;
        withVariable("OPENAI_API_KEY", () -> apiKey(found));
      }
      @Nullable String modelName = value(env, "OPENAI_MODEL");
      if (modelName != null) {
        withVariable("OPENAI_MODEL", () -> model(modelName));
      }
      @Nullable String org = value(env, "OPENAI_ORG_ID");
      if (org != null) {
        withVariable("OPENAI_ORG_ID", () -> organization(org));
      }
      @Nullable String proj = value(env, "OPENAI_PROJECT_ID");
      if (proj != null) {
        withVariable("OPENAI_PROJECT_ID", () -> project(proj));
      }
      return this;
    }

    /**
     * The API key, sent as a bearer token (as an {@code api-key} header to Azure).
     *
     * @throws ValidationException when it is blank
     */
    public Builder apiKey(String key) {
      this.apiKey = ApiKey.of(key);
      return this;
    }

    /** The API key, sent as a bearer token (as an {@code api-key} header to Azure). */
    public Builder apiKey(ApiKey key) {
      this.apiKey = key;
      return this;
    }

    /**
     * The API's base URL, to which {@code /chat/completions} is appended: {@code
     * http://localhost:11434/v1} for Ollama, {@code http://localhost:8000/v1} for vLLM.
     *
     * @throws ValidationException when it is not an absolute http or https URL
     */
    public Builder baseUrl(String url) {
      this.baseUrl = Endpoint.checkBaseUrl("baseUrl", url);
      return this;
    }

    /**
     * The model used when a request names none, default {@value #DEFAULT_MODEL}.
     *
     * @throws ValidationException when it is blank
     */
    public Builder model(String name) {
      this.model = nonBlank("model", name);
      return this;
    }

    /**
     * An OpenAI organization id, sent as {@code OpenAI-Organization}.
     *
     * @throws ValidationException when it is blank
     */
    public Builder organization(String id) {
      this.organization = headerValue("organization", id);
      return this;
    }

    /**
     * An OpenAI project id, sent as {@code OpenAI-Project}.
     *
     * @throws ValidationException when it is blank
     */
    public Builder project(String id) {
      this.project = headerValue("project", id);
      return this;
    }

    /**
     * Azure OpenAI mode: calls go to {@code {endpoint}/openai/deployments/{deployment}/chat/completions}
     * with the {@linkplain #azureApiVersion API version} as a query parameter, and the key is sent
     * as an {@code api-key} header.
     *
     * @param endpoint the resource's endpoint, such as {@code https://my-resource.openai.azure.com}
     * @param deployment the deployment name
     * @throws ValidationException when the endpoint is not a URL or the deployment name is invalid
     */
    public Builder azure(String endpoint, String deployment) {
      this.baseUrl = Endpoint.checkBaseUrl("azureEndpoint", endpoint);
      this.azureDeployment = Endpoint.checkDeployment(deployment);
      return this;
    }

    /**
     * The Azure OpenAI API version, default {@value OpenAiChatModel#DEFAULT_AZURE_API_VERSION}.
     *
     * @throws ValidationException when it is blank
     */
    public Builder azureApiVersion(String version) {
      this.azureApiVersion = nonBlank("azureApiVersion", version);
      return this;
    }

    /**
     * How long to wait for a connection, default 10 s.
     *
     * @throws ValidationException when it is not positive
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * How long to wait for each answer, default 5 minutes. A call that takes longer fails as
     * retryable.
     *
     * @throws ValidationException when it is not positive
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /**
     * An extra HTTP header sent with every call, such as a gateway's routing header. A later
     * value for the same name replaces an earlier one.
     *
     * @throws ValidationException when the name is not a header name, is one the HTTP client
     *     sets itself, or the value contains a line break
     */
    public Builder header(String name, String value) {
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new ValidationException("headers", "'" + name + "' is not a valid header name");
      }
      if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new ValidationException("headers", "'" + name + "' is set by the HTTP client and cannot be given");
      }
      headers.put(name, headerValue("headers", value));
      return this;
    }

    /**
     * An extra field for every request body, such as {@code top_p}, {@code reasoning_effort} or
     * Ollama's {@code options}; it wins over a field Cohort would send under the same name.
     *
     * @param value a string, number, boolean, list, map or Jackson tree
     * @throws ValidationException when the name is blank, is {@code messages} or {@code stream},
     *     or the value cannot be written as JSON
     */
    public Builder bodyField(String name, Object value) {
      nonBlank("bodyFields", name);
      if (RESERVED_BODY_FIELDS.contains(name)) {
        throw new ValidationException("bodyFields", "'" + name + "' is written by Cohort and cannot be given");
      }
      try {
        bodyFields.put(name, json.valueToTree(value));
      } catch (IllegalArgumentException e) {
        throw new ValidationException("bodyFields", "the value of '" + name + "' cannot be written as JSON");
      }
      return this;
    }

    /**
     * Sends the output limit as {@code max_completion_tokens} instead of {@code max_tokens}, as
     * OpenAI's reasoning models require. Off by default: most compatible servers know only
     * {@code max_tokens}.
     */
    public Builder useMaxCompletionTokens(boolean use) {
      this.maxCompletionTokens = use;
      return this;
    }

    /**
     * What to send as {@code response_format} when a request carries a JSON schema, default
     * {@link ResponseFormat#JSON_SCHEMA}; choose another for servers that reject it.
     */
    public Builder responseFormat(ResponseFormat format) {
      this.responseFormat = format;
      return this;
    }

    /**
     * Whether to ask for strict schema adherence ({@code "strict": true}), on by default: the
     * answer then always parses. Cohort's turn format is strict-compatible; switch this off for
     * schemas that are not (strict mode wants every property required and no others allowed).
     */
    public Builder strictJsonSchema(boolean strict) {
      this.strictJsonSchema = strict;
      return this;
    }

    /** The clock an HTTP-date {@code Retry-After} is measured against; tests fix it. */
    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * The model.
     *
     * @throws ValidationException when OpenAI's own API is configured without an API key
     */
    public OpenAiChatModel build() {
      Endpoint endpoint = azureDeployment != null
          ? Endpoint.azure(baseUrl, azureDeployment, azureApiVersion)
          : Endpoint.openAi(baseUrl);
      if (apiKey == null && endpoint.isOpenAiCloud()) {
        throw new ValidationException("apiKey",
            "OpenAI's API at " + endpoint.site() + " needs an API key: set OPENAI_API_KEY or call apiKey(…)");
      }
      return new OpenAiChatModel(this, endpoint);
    }

    private static @Nullable String value(Map<String, String> env, String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? null : value.strip();
    }

    /** Runs a setter, renaming the field of its error to the variable that supplied the value. */
    private static void withVariable(String variable, Runnable setter) {
      try {
        setter.run();
      } catch (ValidationException e) {
        throw new ValidationException(variable, e.errors().get(0).message());
      }
    }

    private static String nonBlank(String field, String value) {
      if (value.isBlank()) {
        throw new ValidationException(field, "must not be blank");
      }
      return value.strip();
    }

    private static String headerValue(String field, String value) {
      String checked = nonBlank(field, value);
      if (checked.indexOf('\n') >= 0 || checked.indexOf('\r') >= 0) {
        throw new ValidationException(field, "must not contain a line break");
      }
      return checked;
    }

    private static Duration positive(String field, Duration value) {
      if (value.isZero() || value.isNegative()) {
        throw new ValidationException(field, "must be positive, was " + value);
      }
      return value;
    }
  }
}
