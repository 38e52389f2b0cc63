package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.spend.PriceTable;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RateLimit;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.openai.ModelRegistryFile;
import dev.cohort.openai.OpenAiChatModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The flags of every command that runs simulations: which model, how many simulations at once,
 * and the rate limits. Without {@code --offline}, an OpenAI-compatible model is used when
 * {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set, otherwise the offline simulated model;
 * either way one line on standard error says which.
 */
final class ModelOptions {
  /** Variables that configure an OpenAI-compatible model; any of them set selects one. */
  static final List<String> MODEL_VARIABLES = List.of("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT");

  /** The values of {@code --response-format}, as the adapter knows them. */
  private static final Map<String, OpenAiChatModel.ResponseFormat> RESPONSE_FORMATS = Map.of(
      "json-schema", OpenAiChatModel.ResponseFormat.JSON_SCHEMA,
      "json-object", OpenAiChatModel.ResponseFormat.JSON_OBJECT,
      "none", OpenAiChatModel.ResponseFormat.NONE);

  /** OpenAI's values of {@code reasoning_effort} (its OpenAPI description), newest models included. */
  private static final List<String> REASONING_EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh");

  /**
   * Shorter leases are renewed so often that a slow store or a pause of the JVM loses them to
   * another worker, which then runs the simulation a second time.
   */
  static final Duration MIN_LEASE_DURATION = Duration.ofSeconds(1);

  @Option(names = "--offline",
      description = "Use the offline simulated model even when OPENAI_API_KEY or OPENAI_BASE_URL is set.")
  boolean offline;

  @Option(names = "--model", paramLabel = "NAME",
      description = "Model name for an OpenAI-compatible endpoint (default: $OPENAI_MODEL, else gpt-4o-mini).")
  @Nullable String model;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "" + Cohort.DEFAULT_MAX_IN_FLIGHT,
      description = "Most simulations running at once (default: ${DEFAULT-VALUE}).")
  int concurrency = Cohort.DEFAULT_MAX_IN_FLIGHT;

  @Option(names = "--rpm", paramLabel = "N", description = "Most model requests per minute (default: the limit the provider reports, if any).")
  @Nullable Integer rpm;

  @Option(names = "--tpm", paramLabel = "N", description = "Most tokens per minute, prompt plus completion (default: the limit the provider reports, if any).")
  @Nullable Long tpm;

  @Option(names = "--max-completion-tokens", paramLabel = "N", arity = "0..1", fallbackValue = "",
      description = {"Send the output limit as max_completion_tokens instead of max_tokens, as OpenAI's reasoning "
          + "models (o-series, gpt-5) require. On 'run', N is the batch's limit (instead of --max-tokens); on "
          + "'batches resume', 'worker' and 'serve', give it without N to send the batches' own limits so."})
  @Nullable String maxCompletionTokens;

  @Option(names = "--response-format", paramLabel = "FORMAT",
      description = "How answers are asked to be JSON: json-schema (structured outputs, the default), json-object "
          + "(any JSON, for servers without structured outputs) or none (the prompt alone).")
  @Nullable String responseFormat;

  @Option(names = "--reasoning-effort", paramLabel = "EFFORT",
      description = "Reasoning models only, sent as reasoning_effort: none, minimal, low, medium, high or xhigh "
          + "(which a model accepts depends on the model; default: the model's).")
  @Nullable String reasoningEffort;

  @Option(names = "--lease-duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long a claimed simulation stays this process's without renewal, such as 30s: after a "
          + "crash, others wait this long to take it over (default: 60s, as in the Java API).")
  @Nullable Duration leaseDuration;

  @Option(names = "--simulated-latency", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Offline model only: each call takes this long (such as 300ms), to watch progress or rehearse Ctrl-C.")
  @Nullable Duration simulatedLatency;

  @Option(names = "--simulated-failure-rate", paramLabel = "RATE",
      description = "Offline model only: this share of calls (0 to 1) fails for good, to rehearse failures.")
  @Nullable Double simulatedFailureRate;

  /** The variable that names a price file when {@code --prices} is not given. */
  static final String PRICES_VARIABLE = "COHORT_PRICES";
  /** The variable that names a model registry file when {@code --model-registry} is not given. */
  static final String REGISTRY_VARIABLE = "COHORT_MODELS";
  /** How long the start-up check waits for each registry entry's endpoint to accept a connection. */
  static final Duration REACHABILITY_TIMEOUT = Duration.ofSeconds(3);

  @Option(names = "--model-registry", paramLabel = "FILE",
      description = "Named models a batch can run on (--models a,b): {\"models\": {\"NAME\": {\"base_url\": \"…\", "
          + "\"model\": \"…\", \"api_key_env\": \"OPENAI_API_KEY\", \"rpm\": 500, \"tpm\": 200000}}}; keys are "
          + "read from the named variables, never from the file (default: $COHORT_MODELS).")
  @Nullable Path modelRegistry;

  @Option(names = "--prices", paramLabel = "FILE",
      description = "A JSON price file laid over the built-in prices: {\"models\": {\"NAME\": {\"input_per_million\": "
          + "0.15, \"cached_input_per_million\": 0.075, \"output_per_million\": 0.60}}} (default: $COHORT_PRICES).")
  @Nullable Path prices;

  /** Checks the flags before anything is opened. */
  void validate() {
    if (concurrency < 1) {
      throw new UsageException("--concurrency", "must be at least 1, was " + concurrency);
    }
    if (rpm != null && rpm < 1) {
      throw new UsageException("--rpm", "must be at least 1, was " + rpm);
    }
    if (tpm != null && tpm < 1) {
      throw new UsageException("--tpm", "must be at least 1, was " + tpm);
    }
    if (leaseDuration != null && leaseDuration.compareTo(MIN_LEASE_DURATION) < 0) {
      throw new UsageException("--lease-duration", "must be at least 1s, was " + leaseDuration.toMillis() + "ms");
    }
    completionTokenLimit();
    if (responseFormat != null && !RESPONSE_FORMATS.containsKey(responseFormat.strip().toLowerCase(Locale.ROOT))) {
      throw new UsageException("--response-format", "must be json-schema, json-object or none, was '"
          + responseFormat + "'");
    }
    if (reasoningEffort != null && !REASONING_EFFORTS.contains(reasoningEffort.strip().toLowerCase(Locale.ROOT))) {
      throw new UsageException("--reasoning-effort", "must be one of " + String.join(", ", REASONING_EFFORTS)
          + ", was '" + reasoningEffort + "'");
    }
    if (model != null && model.isBlank()) {
      throw new UsageException("--model", "must not be blank");
    }
    if (simulatedFailureRate != null && !(simulatedFailureRate >= 0 && simulatedFailureRate <= 1)) {
      throw new UsageException("--simulated-failure-rate", "must be between 0 and 1, was " + simulatedFailureRate);
    }
  }

  /**
   * The limit {@code --max-completion-tokens N} gives, or null when the flag is absent or given
   * without N.
   *
   * @throws UsageException when N is not a whole number of at least 1
   */
  @Nullable Integer completionTokenLimit() {
    if (maxCompletionTokens == null || maxCompletionTokens.isBlank()) {
      return null;
    }
    try {
      int limit = Integer.parseInt(maxCompletionTokens.strip());
      if (limit >= 1) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new UsageException("--max-completion-tokens", "must be a whole number of at least 1, was '"
        + maxCompletionTokens + "'");
  }

  /** A model and the one line that tells the user which it is and why. */
  record Selected(LlmPort llm, String notice) {}

  /**
   * The model these flags and {@code env} select.
   *
   * @throws dev.cohort.core.batch.ValidationException naming the variable when one has a bad value
   */
  Selected select(Map<String, String> env) {
    validate();
    String configured = MODEL_VARIABLES.stream().filter(name -> !env.getOrDefault(name, "").isBlank())
        .findFirst().orElse(null);
    if (offline || configured == null) {
      SimulatedLlm.Builder simulated = SimulatedLlm.builder();
      if (simulatedLatency != null) {
        simulated.latency(simulatedLatency);
      }
      if (simulatedFailureRate != null) {
        simulated.failureRate(simulatedFailureRate, SimulatedLlm.FailureKind.CALL_FATAL);
      }
      SimulatedLlm llm = simulated.build();
      String why = offline ? "as --offline asks" : "because neither OPENAI_API_KEY nor OPENAI_BASE_URL is set";
      return new Selected(llm, "Model: " + llm.describe() + ", " + why + "; its answers are synthetic.");
    }
    OpenAiChatModel.Builder openAi = OpenAiChatModel.builder().fromEnv(env);
    if (model != null) {
      openAi.model(model);
    }
    if (maxCompletionTokens != null) {
      openAi.useMaxCompletionTokens(true);
    }
    if (responseFormat != null) {
      openAi.responseFormat(RESPONSE_FORMATS.get(responseFormat.strip().toLowerCase(Locale.ROOT)));
    }
    if (reasoningEffort != null) {
      openAi.bodyField("reasoning_effort", reasoningEffort.strip().toLowerCase(Locale.ROOT));
    }
    OpenAiChatModel llm = openAi.build();
    return new Selected(llm, "Model: " + llm.describe() + " (configured by " + configured + ")");
  }

  /**
   * The registry of {@code --model-registry} (else {@code $COHORT_MODELS}), keys read from {@code
   * env}; null when neither names a file.
   *
   * @throws UsageException naming the flag or variable, the file and every bad entry
   */
  @Nullable ModelRegistry registry(Map<String, String> env) {
    String variable = env.getOrDefault(REGISTRY_VARIABLE, "");
    if (modelRegistry == null && variable.isBlank()) {
      return null;
    }
    Path file = modelRegistry != null ? modelRegistry : Path.of(variable.strip());
    String source = modelRegistry != null ? "--model-registry" : "$" + REGISTRY_VARIABLE;
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException(source, "cannot read the model registry '" + file + "': " + describe(e));
    }
    try {
      return ModelRegistryFile.read(json, env);
    } catch (ValidationException e) {
      throw new UsageException(source, "the model registry '" + file + "' is not valid: " + e.getMessage());
    }
  }

  /**
   * Whether the flags or {@code env} choose one model of their own ({@code --offline} or an
   * OpenAI variable): with a registry and no such choice, a batch naming no model runs on the
   * registry's first.
   */
  boolean choosesOneModel(Map<String, String> env) {
    return offline || MODEL_VARIABLES.stream().anyMatch(name -> !env.getOrDefault(name, "").isBlank());
  }

  /** The lines that say which named models there are, and which of them cannot be reached now. */
  static String registryNotice(ModelRegistry registry) {
    StringBuilder notice = new StringBuilder("Models: ");
    String separator = "";
    for (ModelRegistry.Entry e : registry.entries()) {
      notice.append(separator).append(e.name()).append(" (").append(e.llm().describe()).append(')');
      separator = ", ";
    }
    ModelRegistryFile.unreachable(registry, REACHABILITY_TIMEOUT).forEach((name, why) ->
        notice.append(System.lineSeparator()).append("Warning: model ").append(name).append(" is unreachable: ")
            .append(why).append("; its simulations will fail unless it comes up"));
    return notice.toString();
  }

  /** Applies the concurrency, lease duration, rate limits and prices to {@code builder}. */
  void configure(Cohort.Builder builder) {
    configure(builder, System.getenv());
  }

  /** {@link #configure(Cohort.Builder)} with the price file variable read from {@code env}. */
  void configure(Cohort.Builder builder, Map<String, String> env) {
    builder.prices(prices(env));
    builder.maxInFlight(concurrency);
    if (leaseDuration != null) {
      builder.leaseDuration(leaseDuration);
    }
    if (rpm != null && tpm != null) {
      builder.rateLimit(RateLimit.of(rpm, tpm));
    } else if (rpm != null) {
      builder.rateLimit(RateLimit.ofRequestsPerMinute(rpm));
    } else if (tpm != null) {
      builder.rateLimit(RateLimit.ofTokensPerMinute(tpm));
    }
  }

  /**
   * The built-in prices with the file of {@code --prices} (else {@code $COHORT_PRICES}) laid over
   * them; the built-in prices alone when neither names a file.
   *
   * @throws UsageException naming the flag or variable and the file when it cannot be read or is
   *     not a valid price file
   */
  PriceTable prices(Map<String, String> env) {
    String variable = env.getOrDefault(PRICES_VARIABLE, "");
    if (prices == null && variable.isBlank()) {
      return PriceTable.builtIn();
    }
    Path file = prices != null ? prices : Path.of(variable.strip());
    String source = prices != null ? "--prices" : "$" + PRICES_VARIABLE;
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException(source, "cannot read the price file '" + file + "': " + describe(e));
    }
    try {
      return PriceTable.builtIn().withAll(PriceTable.parse(json));
    } catch (ValidationException e) {
      throw new UsageException(source, "the price file '" + file + "' is not valid: " + e.getMessage());
    }
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
