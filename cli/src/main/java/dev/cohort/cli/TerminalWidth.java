package dev.cohort.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How many columns the terminal has, for a progress line that must fit it: {@code $COLUMNS} when
 * exported, else what {@code stty size} says of the controlling terminal ({@code /dev/tty}), else
 * {@value #DEFAULT}. Java has no portable way to ask, and a line one column too wide leaves a new
 * line at every redraw.
 */
final class TerminalWidth {
  /** The width assumed when nothing tells it. */
  static final int DEFAULT = 80;
  private static final File TTY = new File("/dev/tty");
  private static final long STTY_TIMEOUT_MILLIS = 1_000;

  /** Asks the terminal itself for its width, if there is one to ask. */
  @FunctionalInterface
  interface Probe {
    Optional<Integer> columns();
  }

  private TerminalWidth() {}

  /** The width of this process's terminal. */
  static int detect() {
    return of(System.getenv(), TerminalWidth::sttySize);
  }

  /** The width {@code $COLUMNS} in {@code env} gives, else {@code probe}'s, else {@value #DEFAULT}. */
  static int of(Map<String, String> env, Probe probe) {
    String columns = env.getOrDefault("COLUMNS", "").strip();
    if (columns.matches("[0-9]{1,5}") && Integer.parseInt(columns) > 0) {
      return Integer.parseInt(columns);
    }
    return probe.columns().orElse(DEFAULT);
  }

  /** The columns in {@code stty size}'s answer, {@code "ROWS COLUMNS"}; empty when it is not that. */
  static Optional<Integer> parseSttySize(String answer) {
    String[] fields = answer.strip().split("\\s+");
    if (fields.length != 2 || !fields[1].matches("[0-9]{1,5}")) {
      return Optional.empty();
    }
    int columns = Integer.parseInt(fields[1]);
    return columns > 0 ? Optional.of(columns) : Optional.empty();
  }

  /** Runs {@code stty size} on the controlling terminal; empty on any trouble (no tty, no stty, Windows). */
  private static Optional<Integer> sttySize() {
    if (!TTY.canRead()) {
      return Optional.empty();
    }
    try {
      Process stty = new ProcessBuilder("stty", "size").redirectInput(TTY)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!stty.waitFor(STTY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        stty.destroyForcibly();
        return Optional.empty();
      }
      String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return stty.exitValue() == 0 ? parseSttySize(answer) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
