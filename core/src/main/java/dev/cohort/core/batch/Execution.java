package dev.cohort.core.batch;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a batch's model calls are sent: one by one as simulations need them ({@link #DIRECT}, the
 * default), or gathered round by round into jobs of the provider's batch API ({@link #BATCH_API}),
 * which answers within a day at the provider's batch discount.
 */
public enum Execution {
  /** Each call is sent when its simulation needs it. */
  DIRECT,
  /**
   * Turn-synchronous: the next round of every simulation ready for it goes into one provider batch
   * job; when the job ends its answers are stored and the next round's job is submitted. In
   * role-play, the unit is the turn: one job per turn number. Needs a model that implements {@link
   * dev.cohort.core.port.BatchJobPort}.
   */
  BATCH_API;

  /** The name used in JSON: {@code direct}, {@code batch_api}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The name used on the command line: {@code direct}, {@code batch-api}. */
  public String cliName() {
    return wireName().replace('_', '-');
  }

  /** The execution with this wire or command-line name (any case), or empty. */
  public static Optional<Execution> fromWireName(String name) {
    String wanted = name.strip().replace('-', '_');
    return Arrays.stream(values()).filter(e -> e.wireName().equalsIgnoreCase(wanted)).findFirst();
  }

  /** The wire names, comma-separated, for error messages. */
  public static String wireNames() {
    return Arrays.stream(values()).map(Execution::wireName).collect(Collectors.joining(", "));
  }
}
