package dev.cohort.core.batch;

import java.util.Locale;

/**
 * Who opens a simulation and in which order the participants are asked to speak. Stored per
 * simulation as {@link Simulation#speakingOrder()}.
 */
public enum SpeakingOrder {
  /** A permutation of the group drawn from the batch seed and the sequence number; the default. */
  RANDOM,
  /**
   * Counterbalanced: the order is the group's, rotated so that across the replicates of a group
   * the members open in turn (a cyclic Latin square: with replicates a multiple of k, each member
   * opens equally often), and each group's first replicate is opened by the member who has opened
   * least often so far, so across a persona's appearances its openings stay as even as the plan
   * allows.
   */
  ROTATE,
  /** The group's order as planned: pool order for drawn groups, the given order for explicit ones. */
  FIXED;

  /** The lower-case name used in JSON, REST and on the command line. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The order with this wire name.
   *
   * @throws IllegalArgumentException naming the accepted names
   */
  public static SpeakingOrder fromWireName(String name) {
    for (SpeakingOrder order : values()) {
      if (order.wireName().equals(name)) {
        return order;
      }
    }
    throw new IllegalArgumentException("must be random, rotate or fixed, was '" + name + "'");
  }
}
