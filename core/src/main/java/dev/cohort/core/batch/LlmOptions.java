package dev.cohort.core.batch;

import org.jspecify.annotations.Nullable;

/**
 * Model settings for every call of a batch. A null field leaves the choice to the model adapter.
 *
 * @param model model name, such as {@code gpt-4o-mini}
 * @param temperature sampling temperature, 0 to 2
 * @param maxTokens most tokens the model may generate per call
 */
public record LlmOptions(@Nullable String model, @Nullable Double temperature, @Nullable Integer maxTokens) {
  /** Every choice left to the adapter. */
  public static final LlmOptions DEFAULTS = new LlmOptions(null, null, null);
}
