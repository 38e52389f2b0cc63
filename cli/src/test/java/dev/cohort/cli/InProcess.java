package dev.cohort.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs {@code cohort args...} inside the test's JVM, with standard output and error captured, for
 * commands that neither exit the process nor write exports to standard output.
 */
final class InProcess {
  private InProcess() {}

  /** Runs the command line and returns its exit code and what it printed. */
  static CohortCli.Result run(String... args) {
    CommandLine cli = CohortCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CohortCli.Result(code, out.toString(), err.toString());
  }
}
