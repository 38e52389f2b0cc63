package dev.cohort.core.batch;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a batch's conversations are written: one model call per round that writes every
 * participant's turns ({@link #SCRIPTED}, the default), or one call per turn made for its speaker
 * alone ({@link #ROLEPLAY}).
 */
public enum SimulationMode {
  /**
   * One call per round writes the round's turns for every participant. Cheap; the author knows
   * every participant's description and attributes.
   */
  SCRIPTED,
  /**
   * One call per turn, made for its speaker: the speaker sees their own persona in full, the others
   * as {@link Visibility} allows, the public transcript and their own earlier thoughts, never
   * another's thoughts.
   */
  ROLEPLAY;

  /** The lower-case name used in JSON and on the command line: {@code scripted}, {@code roleplay}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode with this {@link #wireName() wire name} (any case), or empty. */
  public static Optional<SimulationMode> fromWireName(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName().equalsIgnoreCase(name.strip())).findFirst();
  }

  /** The wire names, comma-separated, for error messages. */
  public static String wireNames() {
    return Arrays.stream(values()).map(SimulationMode::wireName).collect(Collectors.joining(", "));
  }
}
