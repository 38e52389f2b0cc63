package dev.cohort.cli;

import dev.cohort.analysis.Analysis;
import dev.cohort.analysis.AnalysisOptions;
import dev.cohort.analysis.CohortAnalysis;
import dev.cohort.analysis.internal.AnalysisJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code analyze ID [--outcome NAME] [--json] [--include-flagged]}: the statistics of a batch's outcomes. */
@Command(name = "analyze", usageHelpAutoWidth = true,
    description = {"Analyse a batch's declared outcomes: for each number or boolean its mean with a 95 % interval "
        + "(t, or Wilson for proportions), each entity's effect (with minus without, Welch, Holm-adjusted p), "
        + "composition effects per categorical attribute and the ICC of replicated groups; per-participant "
        + "outcomes by entity and attribute value; enum and entity outcomes as frequency tables.",
        "Flagged simulations are left out unless --include-flagged; how many were left out is printed."})
final class AnalyzeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
  String id = "";

  @Option(names = "--outcome", paramLabel = "NAME", description = "Analyse only this outcome.")
  @Nullable String outcome;

  @Option(names = "--json", description = "Print the analysis as JSON, as the REST API does.")
  boolean json;

  @Option(names = "--include-flagged", description = "Analyse simulations with quality flags too.")
  boolean includeFlagged;

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Session session = Session.forStore(store)) {
      Analysis analysis = CohortAnalysis.analyze(session.cohort(), id,
          AnalysisOptions.defaults().withIncludeFlagged(includeFlagged).withOutcome(outcome));
      if (json) {
        JsonPrinter.print(out, gen -> AnalysisJson.write(gen, analysis));
      } else {
        AnalysisText.print(out, analysis);
      }
      out.flush();
    }
    return ExitCode.OK;
  }
}
