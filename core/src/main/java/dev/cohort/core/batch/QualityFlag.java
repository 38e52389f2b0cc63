package dev.cohort.core.batch;

import java.util.Locale;
import java.util.Optional;

/**
 * A quality problem found in a finished simulation by a local check (no model call). A simulation
 * lists its flags in {@link Simulation#flags()}; a batch counts them in {@link Batch#flagCounts()}.
 * The README's "Quality flags" section states each check and its threshold.
 */
public enum QualityFlag {
  /** A participant speaks as an AI or assistant, or mentions the prompt or the simulation. */
  PERSONA_BREAK,
  /** A turn is the model declining the task ("I'm sorry, but I can't help with that"). */
  REFUSAL,
  /** Two turns of the simulation are near-duplicates (word 3-gram overlap above the threshold). */
  REPETITION,
  /** A turn has no letter or digit: nothing was said. */
  EMPTY_TURN,
  /** An answer cut off at the token limit was accepted (its turns were still readable). */
  TRUNCATED,
  /** A turn is not in the batch's {@code language}. */
  LANGUAGE_MISMATCH,
  /** A participant of the simulation never spoke. */
  SILENT_PARTICIPANT,
  /** The transcript is near-identical to another simulation's of the same batch (set when the batch ends). */
  DUPLICATE_TRANSCRIPT;

  /** The name in JSON, CSV, REST and the command line: {@code persona_break}, {@code refusal}, … */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The flag whose {@link #wireName()} is {@code name}, if there is one. */
  public static Optional<QualityFlag> fromWireName(String name) {
    for (QualityFlag flag : values()) {
      if (flag.wireName().equals(name)) {
        return Optional.of(flag);
      }
    }
    return Optional.empty();
  }
}
