package dev.cohort.cli;

import dev.cohort.core.batch.BatchStatus;

/** The exit codes of the {@code cohort} command, documented in its help. */
final class ExitCode {
  /** The command did what was asked; a batch completed. */
  static final int OK = 0;
  /** A batch ended failed, partial or cancelled, or the command met an error it could not avoid. */
  static final int FAILED = 1;
  /** Bad usage: an unknown or bad flag, a missing or unreadable file, an unknown id. */
  static final int USAGE = 2;
  /** Interrupted (Ctrl-C): the batch was cancelled cleanly and can be resumed. */
  static final int INTERRUPTED = 130;

  private ExitCode() {}

  /** {@link #OK} for a completed batch, {@link #FAILED} for any other final status. */
  static int of(BatchStatus status) {
    return status == BatchStatus.COMPLETED ? OK : FAILED;
  }
}
