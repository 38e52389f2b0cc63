package dev.cohort.cli;

import dev.cohort.analysis.AnalysisOptions;
import dev.cohort.analysis.CohortAnalysis;
import dev.cohort.core.Cohort;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code report ID --output report.html [--include-flagged]}: the batch's one-page HTML report. */
@Command(name = "report", usageHelpAutoWidth = true,
    description = {"Write a batch's report: one self-contained HTML file (inline CSS and SVG charts, no script, "
        + "nothing loaded from anywhere) with the summary, design and coverage, each outcome, entity and composition "
        + "effects, flags, sample transcripts and the stored request."})
final class ReportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
  String id = "";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
      description = "The HTML file to write, or - for standard output.")
  String output = "";

  @Option(names = "--outcome", paramLabel = "NAME", description = "Report only this outcome's statistics.")
  @Nullable String outcome;

  @Option(names = "--include-flagged", description = "Count simulations with quality flags in the statistics too.")
  boolean includeFlagged;

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() {
    Path file = file(output.strip());
    AnalysisOptions options = AnalysisOptions.defaults().withIncludeFlagged(includeFlagged).withOutcome(outcome);
    try (Session session = Session.forStore(store)) {
      Cohort cohort = session.cohort();
      cohort.getBatch(id);
      ExportWriter.write(file, stream -> CohortAnalysis.report(cohort, id, options, stream), spec.commandLine().getOut());
    }
    if (file != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("Wrote the report of batch " + id + " to " + file);
      err.flush();
    }
    return ExitCode.OK;
  }

  private static @Nullable Path file(String output) {
    if (output.equals(ExportTarget.STDOUT)) {
      return null;
    }
    Path file;
    try {
      file = Path.of("").toAbsolutePath().resolve(output);
    } catch (InvalidPathException e) {
      throw new UsageException("--output", "'" + output + "' is not a valid file name");
    }
    Path folder = file.getParent();
    if (folder != null && !java.nio.file.Files.isDirectory(folder)) {
      throw new UsageException("--output", "the folder " + folder + " does not exist");
    }
    return file;
  }
}
