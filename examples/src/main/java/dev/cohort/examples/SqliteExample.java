package dev.cohort.examples;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a batch on a SQLite file with the offline model, then opens the file again to show that
 * everything was stored: the batch, its simulations and a CSV export (written to a temporary
 * folder, whose path it prints). The file is {@code cohort.db}
 * in the working directory (the command line's default, so {@code bin/cohort batches list} shows the
 * batch afterwards) unless a path is given as the first argument.
 *
 * <pre>
 * ./mvnw -q -pl examples -am install -DskipTests exec:java -Dexec.mainClass=dev.cohort.examples.SqliteExample
 * </pre>
 */
public final class SqliteExample {
  private SqliteExample() {}

  /** Runs the example; the first argument, if any, is the SQLite file to use. */
  public static void main(String[] args) {
    Path file = Path.of(args.length > 0 ? args[0] : "cohort.db");
    String batchId;
    try (JdbcRepository repository = JdbcRepository.sqlite(file);
        Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).build()) {
      cohort.saveEntities(SamplePanel.entities());
      Batch batch = cohort.run(SamplePanel.request("Climate panel on SQLite", 5));
      batchId = batch.id();
      System.out.println("Batch simulation ID: " + batchId);
      System.out.println("Ran " + batch.counts().completed() + " of " + batch.counts().total()
          + " simulations; stored in " + file.toAbsolutePath());
    }

    // A new repository on the same file, as a later process (or Python, R, DuckDB) would open it.
    // The export goes to a temporary folder: beside the database it would land in the repository root.
    Path csv;
    try {
      csv = Files.createTempDirectory("cohort-example-").resolve("batch-" + batchId + ".csv");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (JdbcRepository repository = JdbcRepository.sqlite(file);
        Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).build();
        OutputStream out = Files.newOutputStream(csv)) {
      Batch stored = cohort.getBatch(batchId);
      System.out.println("Reopened: \"" + stored.name() + "\" is " + stored.status().wireName() + ", "
          + stored.usage().totalTokens() + " tokens");
      cohort.forEachSimulation(batchId, s -> System.out.println("  #" + s.sequenceNumber() + " "
          + String.join(" & ", s.entityIds()) + ": " + s.turns().size() + " turns"));
      cohort.export(batchId, ExportFormat.CSV, out);
      System.out.println("Exported CSV to " + csv.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
