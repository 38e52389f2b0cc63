package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RateLimit;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.List;
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

  @Option(names = "--rpm", paramLabel = "N", description = "Most model requests per minute (default: no limit).")
  @Nullable Integer rpm;

  @Option(names = "--tpm", paramLabel = "N", description = "Most tokens per minute, prompt plus completion (default: no limit).")
  @Nullable Long tpm;

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
    if (model != null && model.isBlank()) {
      throw new UsageException("--model", "must not be blank");
    }
    if (simulatedFailureRate != null && !(simulatedFailureRate >= 0 && simulatedFailureRate <= 1)) {
      throw new UsageException("--simulated-failure-rate", "must be between 0 and 1, was " + simulatedFailureRate);
    }
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
    OpenAiChatModel llm = openAi.build();
    return new Selected(llm, "Model: " + llm.describe() + " (configured by " + configured + ")");
  }

  /** Applies the concurrency, lease duration and rate limits to {@code builder}. */
  void configure(Cohort.Builder builder) {
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
}
