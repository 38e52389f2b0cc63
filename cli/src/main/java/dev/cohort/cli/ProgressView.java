package dev.cohort.cli;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows a running batch on standard error: a bar redrawn in place on a terminal ({@code [####--]
 * 12/30  completed 11  failed 1  running 4  3.2/s  ETA 6s}), or a plain line every interval when the
 * output goes to a file or a pipe. Rate and estimate count only what finished while watching, so a
 * resumed batch does not look faster than it is.
 */
abstract class ProgressView {
  private static final int BAR_WIDTH = 24;

  private final long startNanos = System.nanoTime();
  private long finishedAtStart = -1;

  /** The view {@code mode} asks for; {@link ProgressMode#AUTO} looks at whether there is a terminal. */
  static ProgressView create(ProgressMode mode, PrintWriter err, Duration interval) {
    ProgressMode chosen = mode == ProgressMode.AUTO ? (isTerminal() ? ProgressMode.BAR : ProgressMode.LINES) : mode;
    return switch (chosen) {
      case BAR -> new Bar(err);
      case LINES -> new Lines(err, interval);
      default -> new Silent();
    };
  }

  /**
   * Whether the process talks to a terminal. {@code System.console()} answers that up to Java 21;
   * from Java 22 it returns a console even for pipes, and {@code Console.isTerminal()} (looked up at
   * run time, since this code targets Java 17) tells.
   */
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (NoSuchMethodException beforeJava22) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Shows the batch as it now stands. */
  final void update(Batch batch) {
    long finished = batch.counts().finished();
    if (finishedAtStart < 0) {
      finishedAtStart = finished;
    }
    show(batch.counts(), describe(batch.counts()));
  }

  /** Ends the display (the summary follows). */
  abstract void finish();

  abstract void show(BatchCounts counts, String text);

  private String describe(BatchCounts counts) {
    long total = counts.total();
    long finished = counts.finished();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long done = finished - finishedAtStart;
    double rate = seconds > 0 ? done / seconds : 0;
    StringBuilder line = new StringBuilder();
    line.append(finished).append('/').append(total)
        .append("  completed ").append(counts.completed())
        .append("  failed ").append(counts.failed());
    if (counts.cancelled() > 0) {
      line.append("  cancelled ").append(counts.cancelled());
    }
    line.append("  running ").append(counts.running())
        .append("  ").append(Formats.rate(rate)).append("/s");
    long remaining = total - finished;
    if (remaining > 0 && done > 0) {
      line.append("  ETA ").append(Formats.eta(Duration.ofMillis((long) (remaining / rate * 1000))));
    }
    return line.toString();
  }

  /** The bar, redrawn with a carriage return and erase-to-end-of-line. */
  private static final class Bar extends ProgressView {
    private final PrintWriter err;
    private boolean drawn;

    Bar(PrintWriter err) {
      this.err = err;
    }

    @Override
    void show(BatchCounts counts, String text) {
      long total = counts.total();
      int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * counts.finished() / total);
      err.print("\r[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + text + "\u001b[K");
      err.flush();
      drawn = true;
    }

    @Override
    void finish() {
      if (drawn) {
        err.println();
        err.flush();
      }
    }
  }

  /** A line every interval while something changes. */
  private static final class Lines extends ProgressView {
    private final PrintWriter err;
    private final long intervalNanos;
    private long lastPrinted = System.nanoTime();
    private String lastState = "";

    Lines(PrintWriter err, Duration interval) {
      this.err = err;
      this.intervalNanos = interval.toNanos();
    }

    @Override
    void show(BatchCounts counts, String text) {
      long now = System.nanoTime();
      String state = counts.toString();
      if (now - lastPrinted >= intervalNanos && !state.equals(lastState)) {
        err.println(String.format(Locale.ROOT, "Progress: %s", text));
        err.flush();
        lastPrinted = now;
        lastState = state;
      }
    }

    @Override
    void finish() {
      err.flush();
    }
  }

  /** Shows nothing. */
  private static final class Silent extends ProgressView {
    @Override
    void show(BatchCounts counts, String text) {}

    @Override
    void finish() {}
  }
}
