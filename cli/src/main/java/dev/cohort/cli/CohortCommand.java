package dev.cohort.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code cohort} command: runs, inspects, exports and serves batch simulations.
 *
 * <pre>
 * cohort run --entities examples/entities.json --context @examples/context.txt \
 *     --interaction-size 2 --num-simulations 3 --n-turns 2 --name "Climate Change Discussions"
 * cohort batches list
 * cohort export BATCH_ID --format csv --output results.csv
 * </pre>
 *
 * Exit codes: 0 completed, 1 failed or partial (or an error), 2 bad usage, 130 interrupted.
 */
@Command(name = "cohort",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    usageHelpAutoWidth = true,
    description = {
        "Batch LLM simulations: picks many groups of k entities (personas) out of n, puts each group in one "
            + "shared context, lets a language model write their conversation, stores every result and exports them.",
        "",
        "The model is OpenAI-compatible when OPENAI_API_KEY or OPENAI_BASE_URL is set, otherwise an offline "
            + "simulated one (said on standard error). Batches and entities are stored in ./cohort.db (SQLite) "
            + "unless --db or COHORT_DB names another database."},
    subcommands = {RunCommand.class, EntitiesCommand.class, BatchesCommand.class, ExportCommand.class,
        OutcomesCommand.class,
        AnalyzeCommand.class, ReportCommand.class,
        ServeCommand.class, WorkerCommand.class, CacheCommand.class, HelpTopic.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:completed",
        "1:the batch failed or is partial or cancelled, or an error occurred",
        "2:bad usage: an unknown or bad flag, a missing or bad file, an unknown id",
        "130:interrupted (Ctrl-C); the batch was cancelled and can be resumed"},
    footer = {"%nSee 'cohort help COMMAND' for a command's flags."})
public final class CohortCommand implements Runnable {
  @Spec
  private CommandSpec spec;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Log what happens, and print the stack trace of an error.")
  private boolean verbose;

  private CohortCommand() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    int code = execute(args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs the command line in this process and returns its exit code, without exiting. */
  static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured picocli command line: error handling, logging and exit codes included. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CohortCommand());
    ErrorReporter errors = new ErrorReporter();
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // @FILE belongs to --context and --entities, not to picocli's argument files.
    cli.setExpandAtFiles(false);
    cli.setParameterExceptionHandler(errors);
    cli.setExecutionExceptionHandler(errors);
    cli.setExecutionStrategy(parseResult -> {
      boolean verbose = verbose(parseResult);
      errors.verbose(verbose);
      Logging.configure(verbose);
      return new CommandLine.RunLast().execute(parseResult);
    });
    return cli;
  }

  /** Without a subcommand there is nothing to do: say so as a usage error. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "a command is required: run, entities, batches, export, serve or worker");
  }

  private static boolean verbose(ParseResult parseResult) {
    for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
