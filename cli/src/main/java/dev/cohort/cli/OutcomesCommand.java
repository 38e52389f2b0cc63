package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.DeclaredOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cohort outcomes extract ID --outcomes FILE [--replace]}. */
@Command(name = "outcomes", usageHelpAutoWidth = true,
    description = "Extract declared outcomes from finished batches, without simulating again.",
    subcommands = {OutcomesCommand.Extract.class, HelpTopic.class})
final class OutcomesCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: extract");
  }

  /** {@code outcomes extract ID --outcomes FILE [--replace]}. */
  @Command(name = "extract", sortOptions = false, usageHelpAutoWidth = true,
      description = {"Extract outcomes from the transcripts of a finished batch's completed simulations, here, "
          + "with progress and a summary; nothing is simulated again.",
          "Without --replace the outcomes join the batch's declaration (one with a declared name is asked "
              + "again); with --replace they become the whole declaration and earlier values are dropped. "
              + "Ctrl-C stops it; 'cohort batches resume ID' finishes it.",
          "",
          "Example:",
          "  cohort outcomes extract 3f2a... --outcomes examples/outcomes.json",
          ""})
  static final class Extract extends ContinueBatchCommand {
    @Option(names = OutcomeFile.FLAG, required = true, paramLabel = "FILE", order = OWN_OPTIONS_FIRST,
        description = "JSON file of outcome declarations: [{\"name\", \"type\", \"question\", \"min\", \"max\", "
            + "\"values\", \"per\"}] or {\"outcomes\": [...]}.")
    String outcomes = "";

    @Option(names = "--replace", order = OWN_OPTIONS_FIRST,
        description = "Make these the batch's only outcomes, dropping earlier values.")
    boolean replace;

    /** The declarations read from {@link #outcomes}, read before the store opens. */
    private List<DeclaredOutcome> declared = List.of();

    @Override
    void validate(Path workingDir) {
      declared = OutcomeFile.read(outcomes, workingDir);
    }

    @Override
    void start(RunningSession run, PrintWriter err) {
      Cohort cohort = run.cohort();
      long completed = cohort.getBatch(id).counts().completed();
      Batch batch = cohort.extractOutcomes(id, declared, replace);
      err.println(run.modelNotice());
      err.println(completed == 0 ? "Batch " + id + " has no completed simulations to extract outcomes from."
          : "Extracting " + declared.size() + (declared.size() == 1 ? " outcome" : " outcomes") + " from "
              + completed + " completed of " + batch.counts().total() + " simulations of batch " + id
              + "; Ctrl-C stops, 'cohort batches resume " + id + store.hintFlag() + "' continues.");
    }
  }
}
