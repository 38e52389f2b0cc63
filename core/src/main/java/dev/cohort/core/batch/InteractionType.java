package dev.cohort.core.batch;

import java.util.Locale;

/** How many entities take part in a simulation: one, two, or three and more. */
public enum InteractionType {
  SOLO,
  DYADIC,
  GROUP;

  /** The type for a simulation with {@code participants} entities. */
  public static InteractionType of(int participants) {
    if (participants < 1) {
      throw new IllegalArgumentException("a simulation has at least one participant, not " + participants);
    }
    return participants == 1 ? SOLO : participants == 2 ? DYADIC : GROUP;
  }

  /** The lower-case name used in JSON, CSV and the REST API: {@code solo}, {@code dyadic}, {@code group}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
