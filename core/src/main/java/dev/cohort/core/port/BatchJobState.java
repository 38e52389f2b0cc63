package dev.cohort.core.port;

import java.util.Locale;

/** Where a provider's batch job is in its life, as OpenAI names it ({@code status} of a batch object). */
public enum BatchJobState {
  /** The input file is being checked. */
  VALIDATING,
  /** The input file was invalid; nothing runs. */
  FAILED,
  /** Requests are being answered. */
  IN_PROGRESS,
  /** Every request was answered; the output and error files are being written. */
  FINALIZING,
  /** Ended; the output and error files are ready. */
  COMPLETED,
  /** The completion window passed: what finished is in the files, the rest was not answered. */
  EXPIRED,
  /** Being cancelled. */
  CANCELLING,
  /** Cancelled: what finished before is in the files. */
  CANCELLED;

  /** The state's name on the wire, such as {@code in_progress}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state named {@code wire} on the wire. @throws IllegalArgumentException for an unknown name */
  public static BatchJobState fromWire(String wire) {
    for (BatchJobState s : values()) {
      if (s.wireName().equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown batch job status '" + wire + "'");
  }

  /** Whether the job has ended and changes no more. */
  public boolean isTerminal() {
    return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
  }
}
