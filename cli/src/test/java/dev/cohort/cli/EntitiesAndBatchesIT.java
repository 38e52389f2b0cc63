package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code entities import/list/show/delete} and {@code batches list/show/cancel/delete}, on one SQLite file. */
class EntitiesAndBatchesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void entitiesCanBeImportedListedShownAndDeleted() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result imported = cli.run("entities", "import", "people.json", "--db", "people.db");
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    assertThat(imported.out()).contains("Imported 4 entities into jdbc:sqlite:people.db");

    CohortCli.Result list = cli.run("entities", "list", "--db", "people.db");
    assertThat(list.out().lines()).hasSize(1 + 4);
    assertThat(list.out()).contains("entity-id-1", "Maya Chen", "Climate scientist");

    CohortCli.Result asJson = cli.run("entities", "list", "--json", "--db", "people.db");
    Samples.write(dir, "backup.json", asJson.out());
    assertThat(cli.run("entities", "import", "backup.json", "--db", "people.db").out())
        .contains("Imported 4 entities (4 replaced)");

    JsonNode shown = JSON.readTree(cli.run("entities", "show", "entity-id-4", "--db", "people.db").out());
    assertThat(shown.get("name").asText()).isEqualTo("Luis Ortega");
    assertThat(shown.get("attributes").get("tags").get(0).asText()).isEqualTo("drought");

    CohortCli.Result deleted = cli.run("entities", "delete", "entity-id-4", "--db", "people.db");
    assertThat(deleted.exitCode()).isZero();
    assertThat(deleted.out()).contains("Deleted entity entity-id-4");
    CohortCli.Result gone = cli.run("entities", "show", "entity-id-4", "--db", "people.db");
    assertThat(gone.exitCode()).isEqualTo(2);
    assertThat(gone.err()).contains("entity entity-id-4 does not exist");
  }

  @Test
  void batchesCanBeListedShownCancelledAndDeleted() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);
    String done = cli.run("run", "--entities", "people.json", "--context", "A short chat",
        "--interaction-size", "2", "--num-simulations", "2", "--name", "Finished batch").batchId();
    String waiting = cli.run("run", "--entities", "people.json", "--context", "A long chat",
        "--interaction-size", "2", "--num-simulations", "4", "--name", "Waiting batch", "--detach",
        "--simulated-latency", "5s").batchId();

    CohortCli.Result list = cli.run("batches", "list");
    assertThat(list.out()).contains(done, "completed", "2/2", "Finished batch", waiting, "Waiting batch");
    assertThat(list.out().indexOf(waiting)).as("newest first").isLessThan(list.out().indexOf(done));

    CohortCli.Result show = cli.run("batches", "show", done, "--simulations");
    assertThat(show.out()).contains("Name: Finished batch", "Status: completed", "Context: A short chat",
        "#1  dyadic  completed", "#2  dyadic  completed");

    CohortCli.Result cancel = cli.run("batches", "cancel", waiting);
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).contains("Cancelled batch " + waiting, "4 cancelled");
    JsonNode cancelled = JSON.readTree(cli.run("batches", "show", waiting, "--json").out());
    assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");

    CohortCli.Result delete = cli.run("batches", "delete", waiting);
    assertThat(delete.out()).contains("Deleted batch " + waiting);
    assertThat(cli.run("batches", "list").out()).doesNotContain(waiting).contains(done);
    assertThat(cli.run("batches", "delete", waiting).exitCode()).isEqualTo(2);
  }
}
