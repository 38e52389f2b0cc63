package dev.cohort.cli;

/** How {@code --progress} shows a running batch on standard error. */
enum ProgressMode {
  /** A bar when standard error goes to a terminal, lines otherwise. */
  AUTO,
  /** One bar redrawn in place. */
  BAR,
  /** A plain line now and then, for logs and pipes. */
  LINES,
  /** Nothing until the summary. */
  NONE
}
