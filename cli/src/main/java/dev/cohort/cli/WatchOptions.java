package dev.cohort.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a command that waits for a batch shows its progress. */
final class WatchOptions {
  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "How to show progress on standard error: auto (a bar on a terminal, else lines), "
          + "bar, lines or none (default: ${DEFAULT-VALUE}).")
  ProgressMode progress = ProgressMode.AUTO;

  @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How often a progress line is printed when not on a terminal (default: ${DEFAULT-VALUE}).")
  Duration interval = Duration.ofSeconds(5);
}
