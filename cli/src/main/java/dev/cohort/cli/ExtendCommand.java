package dev.cohort.cli;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Extension;
import dev.cohort.core.batch.ValidationException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code batches extend ID --num-simulations M}: grow a batch by M new groups and run them here. */
@Command(name = "extend", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Grow a batch by new groups (none already in it) and run them here, with progress and a summary.",
        "A random design continues its seed's draws (a pilot of N extended by M has the groups of a batch of N + M "
            + "when both draw the same way); a balanced one stays balanced as a whole; explicit ones cannot grow."})
final class ExtendCommand extends ContinueBatchCommand {
  @Option(names = "--num-simulations", required = true, order = OWN_OPTIONS_FIRST, paramLabel = "M",
      description = "How many more groups to plan.")
  int numSimulations;

  @Override
  void start(RunningSession run, PrintWriter err) {
    Batch batch;
    try {
      batch = run.cohort().extend(id, numSimulations);
    } catch (ValidationException e) {
      throw UsageException.of(e, Map.of("num_simulations", "--num-simulations"));
    }
    List<Extension> extensions = batch.request().extensions();
    Extension added = extensions.get(extensions.size() - 1);
    err.println(run.modelNotice());
    err.println("Extending batch " + id + ": " + added.plannedGroups() + " new groups"
        + (added.plannedGroups() < numSimulations ? " (" + numSimulations + " asked for; no more exist)" : "")
        + ", simulations from number " + added.firstSequenceNumber() + "; Ctrl-C cancels.");
  }
}
