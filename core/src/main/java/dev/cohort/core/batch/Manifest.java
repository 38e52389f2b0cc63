package dev.cohort.core.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a batch's data came about, for audits and papers: built from what was stored and what the
 * providers returned. Its JSON form is the {@code manifest} export format, the REST route {@code
 * GET /api/batch-simulations/{id}/manifest}, the {@code manifest} field of the JSON export and
 * {@code cohort batches manifest}.
 *
 * @param batchId the batch
 * @param status the batch's status when the manifest was built
 * @param cohortVersion the Cohort version that built the manifest, or {@code development build}
 * @param java Java's version and vendor
 * @param os the operating system's name, version and architecture
 * @param storeKind {@code sqlite}, {@code postgresql}, {@code h2}, {@code memory} or {@code unknown}
 * @param storeSchemaVersion the store's schema version, 0 when it has none
 * @param workers the workers that finished its simulations, sorted
 * @param modelRequested the model the request named, or null for the adapter's default
 * @param models every model name and system fingerprint the providers returned, with how many
 *     simulations each answered
 * @param settings the request settings sent with every call
 * @param promptFormatVersion the version of the prompts' wording and answer format
 * @param promptTemplatesSha256 SHA-256 of the prompt templates, with placeholders
 * @param systemMessageSha256 SHA-256 of the system message every call of the batch started with
 * @param request the stored request (design, constraints and every other field)
 * @param requestSha256 SHA-256 of the stored request's canonical JSON
 * @param entitiesSha256 SHA-256 of the entity snapshot's canonical JSON
 * @param createdAt when the batch was created
 * @param startedAt when it started, or null
 * @param finishedAt when it finished, or null
 * @param counts its simulations per status
 * @param usage its token usage, response-cache hits included
 * @param replayed whether every answer came from the response cache: no model call was made
 * @param costUsd what its calls cost (US dollars), or null when a call's model has no price
 * @param flagCounts how many of its simulations carry each quality flag (flags that occur only)
 * @param cacheSavedCostUsd what its response-cache hits would have cost had they been calls: each
 *     answer it took from the cache that was stored before the batch was created, priced by the
 *     model and tokens the cache entry holds (its prompt at the full input price: an entry keeps no
 *     count of provider-cached tokens); 0 without hits; null when unknown (the response cache is not
 *     at hand, or an entry's model has no price). Answers the batch stored itself and hit again
 *     after a resume were paid for by this batch and save nothing.
 */
public record Manifest(
    String batchId,
    BatchStatus status,
    String cohortVersion,
    String java,
    String os,
    String storeKind,
    int storeSchemaVersion,
    List<String> workers,
    @Nullable String modelRequested,
    List<ModelUse> models,
    CallSettings settings,
    int promptFormatVersion,
    String promptTemplatesSha256,
    String systemMessageSha256,
    BatchRequest request,
    String requestSha256,
    String entitiesSha256,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    BatchCounts counts,
    TokenUsage usage,
    boolean replayed,
    @Nullable Double costUsd,
    Map<QualityFlag, Long> flagCounts,
    @Nullable Double cacheSavedCostUsd) {

  public Manifest {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(usage, "usage");
    workers = List.copyOf(workers);
    models = List.copyOf(models);
    flagCounts = QualityFlags.canonicalCounts(flagCounts);
  }

  /** How many model calls the batch made ({@code usage.calls}; response-cache hits are not calls). */
  public long calls() {
    return usage.calls();
  }

  /**
   * One model name and system fingerprint a provider returned.
   *
   * @param model the model name as returned, or null when the provider named none
   * @param systemFingerprint the system fingerprint as returned, or null
   * @param simulations how many simulations last reported this pair
   */
  public record ModelUse(@Nullable String model, @Nullable String systemFingerprint, long simulations) {}

  /**
   * The settings every call of the batch was sent with.
   *
   * @param temperature the temperature, or null for the provider's default
   * @param maxTokens the token limit, or null for the provider's default
   * @param responseFormat how the answer's form was asked for ({@code json_schema})
   * @param seedPolicy how each call's seed is chosen
   * @param executionMode how calls were made ({@code direct})
   */
  public record CallSettings(
      @Nullable Double temperature, @Nullable Integer maxTokens, String responseFormat, String seedPolicy,
      String executionMode) {}
}
