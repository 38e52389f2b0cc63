package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.batch.ModelBreakdown;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.internal.codec.BatchJson;
import dev.cohort.core.port.HeldLease;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cohort batches list | show ID | delete ID | cancel ID | resume ID | retry-failed ID | coverage ID
 * | extend ID | manifest ID | verify ID}.
 */
@Command(name = "batches", usageHelpAutoWidth = true,
    description = "List, show, cancel, resume, retry and delete batches.",
    subcommands = {BatchesCommand.ListBatches.class, BatchesCommand.Show.class, BatchesCommand.Delete.class,
        BatchesCommand.Cancel.class, BatchesCommand.Resume.class, BatchesCommand.RetryFailed.class,
        CoverageCommand.class, ExtendCommand.class, ManifestCommand.class, VerifyCommand.class, HelpTopic.class})
final class BatchesCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "a subcommand is required: list, show, delete, cancel, resume, retry-failed, coverage, extend, manifest"
            + " or verify");
  }

  /** {@code batches list}. */
  @Command(name = "list", usageHelpAutoWidth = true, description = "List batches, newest first.")
  static final class ListBatches implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
        description = "Show at most N batches (default: ${DEFAULT-VALUE}).")
    int limit = 50;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the N newest batches.")
    int offset;

    @Option(names = "--json", description = "Print a JSON array of batch objects, as the REST API does.")
    boolean json;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new UsageException("--limit", "must be at least 1, was " + limit);
      }
      if (offset < 0) {
        throw new UsageException("--offset", "must not be negative, was " + offset);
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Session session = Session.forStore(store)) {
        List<Batch> batches = session.cohort().listBatches(offset, limit, false);
        if (json) {
          JsonPrinter.print(out, gen -> {
            gen.writeStartArray();
            for (Batch b : batches) {
              BatchJson.of(b).writeSummary(gen);
            }
            gen.writeEndArray();
          });
        } else if (batches.isEmpty()) {
          out.println("No batches in " + store.safeUrl() + "; start one with 'cohort run'.");
        } else {
          Table table = new Table("ID", "STATUS", "COMPLETED", "FAILED", "CREATED", "NAME");
          for (Batch b : batches) {
            BatchCounts c = b.counts();
            table.row(b.id(), b.status().wireName(), c.completed() + "/" + c.total(), Long.toString(c.failed()),
                BatchText.time(b.createdAt()), Formats.shorten(b.name(), 50));
          }
          table.print(out);
        }
        out.flush();
      }
      return ExitCode.OK;
    }
  }

  /** {@code batches show ID}. */
  @Command(name = "show", usageHelpAutoWidth = true,
      description = "Show a batch's settings, status, counts and tokens; with --simulations every transcript too.")
  static final class Show implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
    String id = "";

    @Option(names = "--simulations", description = "Also show each simulation: participants, status, error, transcript.")
    boolean simulations;

    @Option(names = "--json", description = "Print the batch as JSON (the export's shape with --simulations).")
    boolean json;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Session session = Session.forStore(store)) {
        Cohort cohort = session.cohort();
        Batch batch = cohort.getBatch(id);
        if (json) {
          BatchJson form = BatchJson.of(batch);
          JsonPrinter.print(out, gen -> {
            if (simulations) {
              form.writeDocument(gen, action -> cohort.forEachSimulation(id, action));
            } else {
              // A batch that names models carries the status route's by_model rows (one more read).
              List<ModelBreakdown> byModel = batch.request().modelFactor().isEmpty() ? List.of()
                  : cohort.modelBreakdown(batch.id());
              if (batch.request().execution() == Execution.BATCH_API) {
                form.writeSummary(gen, byModel, cohort.providerJobs(id));
              } else {
                form.writeSummary(gen, byModel);
              }
            }
          });
        } else {
          BatchText.details(out, batch);
          ModelBreakdownText.print(out, cohort, batch);
          ProviderJobsText.print(out, cohort, batch);
          if (simulations) {
            cohort.forEachSimulation(id, s -> BatchText.simulation(out, s, batch.entities()));
          }
        }
        out.flush();
      }
      return ExitCode.OK;
    }
  }

  /** {@code batches delete ID}. */
  @Command(name = "delete", usageHelpAutoWidth = true, description = "Delete a batch and all its simulations.")
  static final class Delete implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
    String id = "";

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      try (Session session = Session.forStore(store)) {
        if (!session.cohort().deleteBatch(id)) {
          throw new NotFoundException("batch", id);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Deleted batch " + id);
        out.flush();
      }
      return ExitCode.OK;
    }
  }

  /** {@code batches cancel ID}. */
  @Command(name = "cancel", usageHelpAutoWidth = true,
      description = {"Cancel a batch wherever it runs; 'batches resume' continues it.",
          "No new model calls are made; unfinished simulations are marked cancelled."})
  static final class Cancel implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
    String id = "";

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
      try (Session session = Session.forStore(store)) {
        Cohort cohort = session.cohort();
        BatchStatus before = cohort.getBatch(id).status();
        Batch batch = cohort.cancel(id);
        PrintWriter out = spec.commandLine().getOut();
        if (before.isTerminal()) {
          out.println("Batch " + id + " had already ended (" + before.wireName() + "); nothing to cancel.");
        } else {
          out.println("Cancelled batch " + id + ": " + batch.counts().completed() + " completed, "
              + batch.counts().cancelled() + " cancelled. Resume with: cohort batches resume " + id + store.hintFlag());
        }
        out.flush();
      }
      return ExitCode.OK;
    }
  }

  /** {@code batches resume ID}. */
  @Command(name = "resume", sortOptions = false, usageHelpAutoWidth = true,
      description = {"Run what is unfinished of a batch here, with progress and a summary.",
          "For a batch cancelled, interrupted or left by a crash; completed simulations are kept."})
  static final class Resume extends ContinueBatchCommand {
    @Mixin
    BudgetOptions budget = new BudgetOptions();

    @Override
    void start(RunningSession run, PrintWriter err) {
      Cohort cohort = run.cohort();
      Batch before = cohort.getBatch(id);
      // Read before resuming: afterwards this process's own leases would be among them.
      List<HeldLease> held = run.session().repository().findLiveLeases(id);
      Batch batch = budget.given() ? cohort.resume(id, budget.over(before.request())) : cohort.resume(id);
      err.println(run.modelNotice());
      long unfinished = before.counts().unfinished() + before.counts().cancelled();
      if (unfinished > 0) {
        err.println("Resuming batch " + id + ": " + unfinished + " of " + batch.counts().total()
            + " simulations to run; Ctrl-C cancels again.");
      } else if (before.counts().failed() > 0) {
        err.println("Batch " + id + " has nothing left to run; to run its " + before.counts().failed()
            + " failed simulations again: cohort batches retry-failed " + id + store.hintFlag());
      } else {
        err.println("Batch " + id + " has nothing left to run.");
      }
      LeaseWait.describe(held).forEach(err::println);
    }
  }

  /** {@code batches retry-failed ID}. */
  @Command(name = "retry-failed", sortOptions = false, usageHelpAutoWidth = true,
      description = {"Run the failed simulations of a batch again here, with progress and a summary.",
          "Each keeps its error in its attempt_history; completed simulations are kept as they are."})
  static final class RetryFailed extends ContinueBatchCommand {
    @Override
    void start(RunningSession run, PrintWriter err) {
      Cohort cohort = run.cohort();
      long failed = cohort.getBatch(id).counts().failed();
      Batch batch = cohort.retryFailed(id);
      err.println(run.modelNotice());
      err.println(failed == 0 ? "Batch " + id + " has no failed simulations."
          : "Retrying batch " + id + ": " + failed + " failed of " + batch.counts().total()
              + " simulations to run again; Ctrl-C cancels.");
    }
  }
}
