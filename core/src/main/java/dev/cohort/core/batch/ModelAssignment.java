package dev.cohort.core.batch;

import java.util.Locale;

/** How a batch that names several {@linkplain BatchRequest#models() models} gives its simulations a model. */
public enum ModelAssignment {
  /**
   * Every planned group × replicate runs once on every model, the default. Sequence numbers are
   * group-major (a group's simulations on each model follow each other, in the order the models
   * are named), so the i-th simulation of each model shares its group, speaking order and seed.
   */
  CROSSED,
  /**
   * Each planned simulation runs on one model, drawn from the seed so that every model gets the
   * same number of simulations (within one, when the count is not a multiple of the models).
   */
  BALANCED;

  /** The lower-case name used in JSON, REST and on the command line. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The assignment with this wire name.
   *
   * @throws IllegalArgumentException naming the accepted names
   */
  public static ModelAssignment fromWireName(String name) {
    for (ModelAssignment a : values()) {
      if (a.wireName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("must be crossed or balanced, was '" + name + "'");
  }
}
