package dev.cohort.cli;

import dev.cohort.core.Cohort;
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
    description = {"Export a batch as json, csv, jsonl, utterances-csv, utterances-jsonl, participants-csv or "
        + "participants-jsonl, or its entities as entities-csv.",
        "",
        "json is one document with the simulations and entities; csv one row per simulation, the original "
            + "system's columns first; jsonl one simulation per line; utterances-csv and utterances-jsonl one "
            + "row per turn; participants-csv and participants-jsonl one row per simulation and participant, with "
            + "attributes, per-participant outcomes and turns spoken; entities-csv the batch's entities as they were when it was created.",
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
  @Nullable ExportShape format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = ExportTarget.STDOUT,
      description = "The file to write, or - for standard output (default: ${DEFAULT-VALUE}).")
  String output = ExportTarget.STDOUT;

  @Option(names = "--pretty", description = "Indent the JSON document.")
  boolean pretty;

  @Option(names = "--bom", description = "Start CSV files with a byte order mark, for Excel.")
  boolean bom;

  @Option(names = "--no-neutralise-formulas",
      description = "Write CSV cells exactly as stored: no ' before a cell starting with =, +, -, @, a tab or a "
          + "carriage return (for pipelines that never open the file in a spreadsheet).")
  boolean keepFormulas;

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() {
    ExportTarget target = ExportTarget.of("--output", output.strip(), format == null ? null : format.format(),
        Path.of("").toAbsolutePath());
    ExportOptions options = ExportOptions.builder().prettyPrint(pretty).byteOrderMark(bom)
        .neutraliseFormulas(!keepFormulas).build();
    PrintWriter err = spec.commandLine().getErr();
    boolean entities = format != null && format.entities();
    try (Session session = Session.forStore(store)) {
      Cohort cohort = session.cohort();
      cohort.getBatch(id);
      if (entities) {
        ExportWriter.write(target, stream -> cohort.exportEntities(id, options, stream), spec.commandLine().getOut());
      } else {
        ExportWriter.write(cohort, id, target, options, spec.commandLine().getOut());
      }
    }
    if (target.file() != null && entities) {
      err.println("Exported the entities of batch " + id + " as " + ExportShape.ENTITIES_CSV_NAME + " to " + target.file());
      err.flush();
    } else if (target.file() != null) {
      err.println("Exported batch " + id + " as " + ExportFormatConverter.flagValue(target.format()) + " to " + target.file());
      err.flush();
    }
    return ExitCode.OK;
  }
}
