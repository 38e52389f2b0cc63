package dev.cohort.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the {@code cohort} command inside the test's JVM through its own entry point, which returns
 * the exit code instead of exiting, with standard output and error captured. It lives in the
 * command's package because that entry point is package-private. Not thread-safe: it swaps {@link
 * System#out} and {@link System#err} while a command runs.
 */
public final class CommandInProcess {
  private CommandInProcess() {}

  /** What a command printed and how it ended. */
  public record Result(int exitCode, String out, String err) {}

  /** Runs {@code cohort args...} and returns its exit code and output. */
  public static synchronized Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(capturedOut, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(capturedErr, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      int code = CohortCommand.execute(args);
      o.flush();
      e.flush();
      return new Result(code, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
