package dev.cohort.core.batch;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a speaker in {@link SimulationMode#ROLEPLAY role-play} sees of the other participants.
 * Everyone always sees their own description and attributes in full; nobody ever sees another's
 * inner thoughts. Scripted mode ignores it: its one author sees every participant in full.
 */
public enum Visibility {
  /** Only the others' names. */
  NAMES,
  /** The others' names and descriptions (the default). */
  DESCRIPTIONS,
  /** The others' names, descriptions and attributes: what scripted mode's author sees. */
  FULL;

  /** The lower-case name used in JSON and on the command line. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The visibility with this {@link #wireName() wire name} (any case), or empty. */
  public static Optional<Visibility> fromWireName(String name) {
    return Arrays.stream(values()).filter(v -> v.wireName().equalsIgnoreCase(name.strip())).findFirst();
  }

  /** The wire names, comma-separated, for error messages. */
  public static String wireNames() {
    return Arrays.stream(values()).map(Visibility::wireName).collect(Collectors.joining(", "));
  }
}
