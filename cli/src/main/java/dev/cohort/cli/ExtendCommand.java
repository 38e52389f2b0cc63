package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Extension;
import dev.cohort.core.batch.ValidationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code batches extend ID --num-simulations M}: grow a batch by M new groups and run them here. */
@Command(name = "extend", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Grow a batch by new groups (none already in it) and run them here, with progress and a summary.",
        "A random design continues its seed's draws (a pilot of N extended by M has the groups of a batch of N + M "
            + "when both draw the same way); a balanced one stays balanced as a whole; explicit ones cannot grow."})
final class ExtendCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
  String id = "";

  @Option(names = "--num-simulations", required = true, paramLabel = "M", description = "How many more groups to plan.")
  int numSimulations;

  @Option(names = "--export", paramLabel = "FILE",
      description = "When the batch ends, export it to FILE (format from the extension, as for 'run').")
  @Nullable String export;

  @Mixin
  ModelOptions models = new ModelOptions();

  @Mixin
  WatchOptions watch = new WatchOptions();

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    models.validate();
    ExportTarget target = export == null ? null
        : ExportTarget.of("--export", export.strip(), null, Path.of("").toAbsolutePath());
    try (Interruption interruption = Interruption.install();
        Session session = Session.forRunning(store, models, builder -> { })) {
      Cohort cohort = session.cohort();
      Batch batch;
      try {
        batch = cohort.extend(id, numSimulations);
      } catch (ValidationException e) {
        throw UsageException.of(e, Map.of("num_simulations", "--num-simulations"));
      }
      List<Extension> extensions = batch.request().extensions();
      Extension added = extensions.get(extensions.size() - 1);
      err.println(session.modelNotice());
      err.println("Extending batch " + id + ": " + added.plannedGroups() + " new groups"
          + (added.plannedGroups() < numSimulations ? " (" + numSimulations + " asked for; no more exist)" : "")
          + ", simulations from number " + added.firstSequenceNumber() + "; Ctrl-C cancels.");
      err.flush();
      return new BatchWatcher(cohort, watch, store, interruption, out, err).followToEnd(id, target);
    }
  }
}
