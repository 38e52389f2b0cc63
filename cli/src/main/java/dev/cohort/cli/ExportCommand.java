package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.export.ExportOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort export ID --format F --output FILE}: a batch as JSON, CSV or JSON Lines. */
@Command(name = "export", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Export a batch as json, csv, jsonl, utterances-csv or utterances-jsonl.",
        "",
        "json is one document with the simulations and entities; csv one row per simulation, the original "
            + "system's columns first; jsonl one simulation per line; utterances-csv and utterances-jsonl one "
            + "row per turn.",
        "",
        "Example: cohort export 3f2a... --format csv --output results.csv"})
final class ExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
  String id = "";

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", converter = ExportFormatConverter.class,
      completionCandidates = ExportFormatConverter.class,
      description = "One of ${COMPLETION-CANDIDATES} (default: from the output's extension, else json).")
  @Nullable ExportFormat format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = ExportTarget.STDOUT,
      description = "The file to write, or - for standard output (default: ${DEFAULT-VALUE}).")
  String output = ExportTarget.STDOUT;

  @Option(names = "--pretty", description = "Indent the JSON document.")
  boolean pretty;

  @Option(names = "--bom", description = "Start CSV files with a byte order mark, for Excel.")
  boolean bom;

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() {
    ExportTarget target = ExportTarget.of("--output", output.strip(), format, Path.of("").toAbsolutePath());
    ExportOptions options = ExportOptions.builder().prettyPrint(pretty).byteOrderMark(bom).build();
    PrintWriter err = spec.commandLine().getErr();
    try (Session session = Session.forStore(store)) {
      Cohort cohort = session.cohort();
      cohort.getBatch(id);
      ExportWriter.write(cohort, id, target, options, spec.commandLine().getOut());
    }
    if (target.file() != null) {
      err.println("Exported batch " + id + " as " + ExportFormatConverter.flagValue(target.format()) + " to " + target.file());
      err.flush();
    }
    return ExitCode.OK;
  }
}
