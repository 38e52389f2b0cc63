package dev.cohort.cli;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.port.ProviderJob;
import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Shows a running batch on standard error: a bar redrawn in place on a terminal ({@code [####--]
 * 12/30  completed 11  failed 1  running 4  3.2/s  ETA 6s}), or a plain line every interval when the
 * output goes to a file or a pipe. Rate and estimate count only what finished while watching, so a
 * resumed batch does not look faster than it is.
 */
abstract class ProgressView {
  private static final int BAR_WIDTH = 24;

  private final long startNanos = System.nanoTime();
  /** Simulations done (completed or failed) when watching began. */
  private long finishedAtStart = -1;
  /** The cost of the batch as last shown ({@code $0.0123}, {@code cost unknown}), or null before any. */
  private @Nullable String cost;
  /** The provider jobs a {@code batch_api} batch waits on, as last shown, or null when there are none. */
  private @Nullable String jobs;

  /** The view {@code mode} asks for; {@link ProgressMode#AUTO} looks at whether there is a terminal. */
  static ProgressView create(ProgressMode mode, PrintWriter err, Duration interval) {
    ProgressMode chosen = mode == ProgressMode.AUTO ? (isTerminal() ? ProgressMode.BAR : ProgressMode.LINES) : mode;
    return switch (chosen) {
      case BAR -> new Bar(err, TerminalWidth.detect());
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

  /** A bar for a terminal {@code columns} wide. */
  static ProgressView bar(PrintWriter err, int columns) {
    return new Bar(err, columns);
  }

  /**
   * Shows the batch as it now stands, with the provider jobs it waits on ({@code currentJobs}: the
   * running, not yet stored jobs of a {@code batch_api} batch; empty for a direct one).
   */
  final void update(Batch batch, List<ProviderJob> currentJobs) {
    Double cost = batch.costUsd();
    this.cost = cost != null ? Formats.usd(cost) : "cost unknown";
    this.jobs = describe(currentJobs);
    update(batch.counts());
  }

  /** Shows a batch with these counts. */
  final void update(BatchCounts counts) {
    long finished = counts.done();
    if (finishedAtStart < 0) {
      finishedAtStart = finished;
    }
    show(counts, describe(counts));
  }

  /** Ends the display (the summary follows). */
  abstract void finish();

  abstract void show(BatchCounts counts, Parts parts);

  /**
   * What a progress line says, most important first: the counts, then the rate, then the estimate
   * (absent until something finished while watching).
   */
  record Parts(String counts, String rate, @Nullable String eta, @Nullable String jobs) {
    /** Everything, for a line that need not fit a width. */
    String full() {
      return counts + "  " + rate + (eta == null ? "" : "  " + eta) + (jobs == null ? "" : "  " + jobs);
    }
  }

  /**
   * The provider jobs in a few words: {@code job batch_abc in_progress 120/500} for one, {@code 2
   * jobs in_progress 700/1000} for several (the state of the first); null for none.
   */
  static @Nullable String describe(List<ProviderJob> jobs) {
    if (jobs.isEmpty()) {
      return null;
    }
    long completed = jobs.stream().mapToLong(ProviderJob::completed).sum();
    long total = jobs.stream().mapToLong(ProviderJob::total).sum();
    String which = jobs.size() == 1 ? "job " + jobs.get(0).jobId() : jobs.size() + " jobs";
    return which + " " + jobs.get(0).state().wireName() + " " + completed + "/" + total;
  }

  private Parts describe(BatchCounts counts) {
    long total = counts.total();
    long finished = counts.done();
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
    line.append("  running ").append(counts.running());
    if (cost != null) {
      line.append("  ").append(cost);
    }
    long remaining = counts.unfinished();
    String eta = remaining > 0 && done > 0
        ? "ETA " + Formats.eta(Duration.ofMillis((long) (remaining / rate * 1000))) : null;
    return new Parts(line.toString(), Formats.rate(rate) + "/s", eta, jobs);
  }

  /**
   * The bar, redrawn with a carriage return and erase-to-end-of-line. A redraw wider than the
   * terminal would wrap, and the next carriage return would go back to the start of the wrapped
   * part only, leaving a new line behind at each redraw; so the line is kept narrower than the
   * terminal (the last column stays empty, as some terminals wrap on writing it): the estimate is
   * dropped first, then the rate, then the bar narrows, then goes, and the counts are cut last.
   */
  private static final class Bar extends ProgressView {
    /** Narrower than this, the bar says too little to be worth the room. */
    private static final int MIN_BAR_WIDTH = 5;

    private final PrintWriter err;
    private final int room;
    private boolean drawn;

    Bar(PrintWriter err, int columns) {
      this.err = err;
      this.room = Math.max(1, columns - 1);
    }

    @Override
    void show(BatchCounts counts, Parts parts) {
      err.print("\r" + fit(counts, parts) + "\u001b[K");
      err.flush();
      drawn = true;
    }

    private String fit(BatchCounts counts, Parts parts) {
      for (String text : new String[] {parts.full(), parts.counts() + "  " + parts.rate(), parts.counts()}) {
        if (BAR_WIDTH + 3 + text.length() <= room) {
          return bar(counts, BAR_WIDTH) + text;
        }
      }
      int barWidth = room - 3 - parts.counts().length();
      if (barWidth >= MIN_BAR_WIDTH) {
        return bar(counts, barWidth) + parts.counts();
      }
      return parts.counts().length() <= room ? parts.counts() : parts.counts().substring(0, room);
    }

    private static String bar(BatchCounts counts, int width) {
      // Done work only: cancelled simulations show in the counts, not as a filled bar.
      int filled = (int) (width * counts.progress());
      return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] ";
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
    void show(BatchCounts counts, Parts parts) {
      long now = System.nanoTime();
      // A batch_api batch's counts stand still while its job runs: the job's progress is news too.
      String state = counts + " " + parts.jobs();
      if (now - lastPrinted >= intervalNanos && !state.equals(lastState)) {
        err.println(String.format(Locale.ROOT, "Progress: %s", parts.full()));
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
    void show(BatchCounts counts, Parts parts) {}

    @Override
    void finish() {}
  }
}
