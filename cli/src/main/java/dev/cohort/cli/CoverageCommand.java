package dev.cohort.cli;

import dev.cohort.core.batch.Coverage;
import dev.cohort.core.internal.codec.CoverageJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code batches coverage ID [--json]}: how the batch's plan covers its pool. */
@Command(name = "coverage", usageHelpAutoWidth = true,
    description = {"Show how a batch's planned simulations cover its pool: appearances and first speakers per "
        + "entity, pair co-occurrence, and the composition of groups by the constraints' attributes.",
        "Computed from the plan, so it is there before anything runs."})
final class CoverageCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
  String id = "";

  @Option(names = "--attribute", paramLabel = "ATTR",
      description = "Show the composition of groups by ATTR (repeatable; default: the constraints' attributes).")
  @Nullable List<String> attributes;

  @Option(names = "--json", description = "Print the coverage as JSON, as the REST API does.")
  boolean json;

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Session session = Session.forStore(store)) {
      Coverage coverage = session.cohort().coverage(id, attributes);
      if (json) {
        JsonPrinter.print(out, gen -> CoverageJson.write(gen, coverage));
      } else {
        print(out, "Coverage of batch " + id, coverage);
      }
      out.flush();
    }
    return ExitCode.OK;
  }

  /** The coverage as text: summary lines, compositions, then one row per entity. */
  static void print(PrintWriter out, String title, Coverage coverage) {
    out.println(title + ": " + coverage.simulations() + " simulations");
    Coverage.Spread a = coverage.appearances();
    out.println("Appearances per entity: min " + a.min() + ", max " + a.max() + ", mean " + decimal(a.mean())
        + " (range " + a.range() + ")");
    Coverage.PairCoverage p = coverage.pairs();
    out.println("Pairs: " + p.possible() + " possible, " + p.covered() + " covered; co-occurrence min " + p.min()
        + ", mean " + decimal(p.mean()) + ", max " + p.max() + " (range " + p.range() + ")");
    for (Map.Entry<String, Map<String, Long>> attribute : coverage.composition().entrySet()) {
      out.println("Groups by " + attribute.getKey() + ":");
      attribute.getValue().forEach((values, count) -> out.println("  " + values + ": " + count));
    }
    Table table = new Table("ENTITY", "APPEARANCES", "SPOKE FIRST");
    for (Coverage.EntityCoverage e : coverage.entities()) {
      table.row(e.entityId(), Long.toString(e.appearances()), Long.toString(e.spokeFirst()));
    }
    table.print(out);
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
