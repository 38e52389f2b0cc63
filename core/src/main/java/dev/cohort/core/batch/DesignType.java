package dev.cohort.core.batch;

import java.util.Locale;

/** How a batch chooses its groups; see {@link Design}. */
public enum DesignType {
  /** Distinct groups drawn uniformly at random, as many as asked (all of them when fewer exist). */
  RANDOM,
  /** Distinct groups in which every entity appears equally often (within one) and pairs as evenly as the numbers allow. */
  BALANCED,
  /** The researcher's own groups, in the order given. */
  EXPLICIT;

  /** The lower-case name used in JSON, REST and on the command line. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The type with this wire name.
   *
   * @throws IllegalArgumentException naming the accepted names
   */
  public static DesignType fromWireName(String name) {
    for (DesignType type : values()) {
      if (type.wireName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("must be random, balanced or explicit, was '" + name + "'");
  }
}
