package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.ModelBreakdown;
import java.io.PrintWriter;

/**
 * The per-model lines of {@code batches show} for a batch that names models: each model's counts,
 * tokens and cost, one line each, so a comparison's arms can be read side by side.
 */
final class ModelBreakdownText {
  private ModelBreakdownText() {}

  /** Prints {@code By model:} and a line per model; nothing for a batch that names no models. */
  static void print(PrintWriter out, Cohort cohort, Batch batch) {
    if (batch.request().modelFactor().isEmpty()) {
      return;
    }
    out.println("By model (" + batch.request().modelAssignment().wireName() + "):");
    for (ModelBreakdown row : cohort.modelBreakdown(batch.id())) {
      BatchCounts c = row.counts();
      out.println("  " + row.model() + ": " + c.total() + " simulations, " + c.completed() + " completed, "
          + c.failed() + " failed, " + c.unfinished() + " unfinished; tokens " + BatchText.tokens(row.usage())
          + "; cost " + (row.costUsd() == null ? "unknown (no price; see --prices)" : Formats.usd(row.costUsd())));
    }
    out.flush();
  }
}
