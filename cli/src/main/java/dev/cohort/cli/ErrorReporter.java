package dev.cohort.cli;

import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.ValidationException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Turns every error into one line on standard error, {@code cohort run: --context: file 'x' does not
 * exist}, and an exit code: {@link ExitCode#USAGE} for bad flags, files and ids, {@link
 * ExitCode#FAILED} for everything else. The stack trace follows only with {@code --verbose}.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
  private boolean verbose;

  void verbose(boolean verbose) {
    this.verbose = verbose;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    ParameterException reported = ex;
    List<String> unmatchedArguments = cmd.getUnmatchedArguments();
    boolean misspeltFlag = ex instanceof UnmatchedArgumentException && !unmatchedArguments.isEmpty()
        && unmatchedArguments.get(0).startsWith("-");
    if ((ex instanceof MissingParameterException || misspeltFlag) && !unmatchedArguments.isEmpty()) {
      // A misspelt flag leaves its value unmatched too, and may leave the real flag missing; the
      // misspelling is what to fix. (An unknown command, "cohort frobnicate", is named as it is.)
      List<String> flags = cmd.getUnmatchedArguments().stream().filter(a -> a.startsWith("-")).toList();
      reported = new UnmatchedArgumentException(cmd, flags.isEmpty() ? cmd.getUnmatchedArguments() : flags);
    }
    String message = oneLine(reported.getMessage());
    if (reported instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        message += "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) + "?";
      }
    }
    PrintWriter err = cmd.getErr();
    err.println(name + ": " + message + " (see '" + name + " --help')");
    if (verbose || List.of(args).contains("--verbose")) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    boolean usage = ex instanceof UsageException || ex instanceof ValidationException
        || ex instanceof NotFoundException;
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : oneLine(ex.getMessage());
    if (!usage && !(ex instanceof dev.cohort.core.batch.CohortException)) {
      message = ex.getClass().getSimpleName() + ": " + message
          + (verbose ? "" : " (run again with --verbose for the stack trace)");
    }
    err.println(name + ": " + message);
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return usage ? ExitCode.USAGE : ExitCode.FAILED;
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
