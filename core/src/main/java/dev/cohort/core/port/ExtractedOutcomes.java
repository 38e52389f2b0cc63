package dev.cohort.core.port;

import dev.cohort.core.batch.OutcomeExtraction;
import dev.cohort.core.batch.TokenUsage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one outcome extraction of one simulation produced, for {@link WorkQueue#recordOutcomes}.
 *
 * @param values the validated values by outcome name (see {@link
 *     dev.cohort.core.batch.Simulation#outcomes()}); empty when the extraction failed
 * @param error why the extraction failed, or null when it succeeded
 * @param extraction the model and prompt of the extraction
 * @param costUsd what the extraction's calls cost in US dollars; null when unknown
 * @param usage tokens billed for its calls, re-asks included: added to the simulation's usage
 */
public record ExtractedOutcomes(
    Map<String, @Nullable Object> values, @Nullable String error, OutcomeExtraction extraction, TokenUsage usage,
    @Nullable Double costUsd) {
  /** An extraction not priced yet: its cost is unknown until {@link #withCostUsd} says it. */
  public ExtractedOutcomes(
      Map<String, @Nullable Object> values, @Nullable String error, OutcomeExtraction extraction, TokenUsage usage) {
    this(values, error, extraction, usage, null);
  }

  /** This extraction with what its calls cost (null: unknown). */
  public ExtractedOutcomes withCostUsd(@Nullable Double cost) {
    return new ExtractedOutcomes(values, error, extraction, usage, cost);
  }

  /** Checks the values agree with the error, and the record and usage are present. */
  public ExtractedOutcomes {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    Objects.requireNonNull(extraction, "extraction");
    Objects.requireNonNull(usage, "usage");
    if (error != null && !values.isEmpty()) {
      throw new IllegalArgumentException("a failed extraction has no values");
    }
  }
}
