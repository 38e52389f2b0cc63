package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Reproducing a batch", command by command: run with the response cache, export the
 * entries the batch used, import them into a fresh store and replay the batch there; then its
 * manifest says it was replayed and {@code batches verify} finds it unchanged.
 */
class ReproducingABatchIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] REQUEST = {"--entities", "people.json", "--context", "A panel on drought",
      "--name", "Drought panel",
      "--interaction-size", "2", "--num-simulations", "4", "--n-turns", "2", "--simulation-rounds", "2",
      "--seed", "2026"};

  @TempDir
  Path dir;

  @Test
  void aBatchExportedWithItsCacheReplaysIdenticallyInAFreshStore() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result original = cli.run(with("run", "--db", "study.db", "--cache-mode", "read-write"));
    assertThat(original.exitCode()).as(original.toString()).isZero();
    assertThat(original.err()).contains("Response cache: read-write (in the --db database)");
    CohortCli.Result exported = cli.run("cache", "export", "--db", "study.db", "--batch", original.batchId(),
        "--output", "cache.jsonl.gz");
    assertThat(exported.exitCode()).as(exported.toString()).isZero();
    assertThat(exported.err()).contains("Wrote 8 cache entries");
    assertThat(Files.size(dir.resolve("cache.jsonl.gz"))).isPositive();

    CohortCli.Result imported = cli.run("cache", "import", "cache.jsonl.gz", "--db", "replay.db");
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    assertThat(imported.err()).contains("Imported 8 cache entries");
    CohortCli.Result replayed = cli.run(with("run", "--db", "replay.db", "--cache-mode", "replay"));
    assertThat(replayed.exitCode()).as(replayed.toString()).isZero();

    assertThat(transcripts(cli, "replay.db", replayed.batchId()))
        .isEqualTo(transcripts(cli, "study.db", original.batchId()));
    JsonNode manifest = JSON.readTree(cli.run("batches", "manifest", replayed.batchId(), "--db", "replay.db").out());
    assertThat(manifest.path("cache").path("replayed").asBoolean()).isTrue();
    assertThat(manifest.path("cache").path("hits").asLong()).isEqualTo(8);
    assertThat(manifest.path("store").path("kind").asText()).isEqualTo("sqlite");
    assertThat(manifest.path("request_sha256").asText())
        .isEqualTo(JSON.readTree(cli.run("export", original.batchId(), "--db", "study.db", "--format", "manifest",
            "--output", "-").out()).path("request_sha256").asText());
    CohortCli.Result verified = cli.run("batches", "verify", replayed.batchId(), "--db", "replay.db");
    assertThat(verified.exitCode()).as(verified.toString()).isZero();
    assertThat(verified.out()).contains("Transcripts:      4 checked, all unchanged", "is unchanged.");
  }

  @Test
  void replayWithoutTheEntriesFailsEverySimulationAndSaysNotInTheCache() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);
    CohortCli.Result replayed = cli.run(with("run", "--db", "empty.db", "--cache", "answers.db", "--cache-mode",
        "replay"));
    assertThat(replayed.exitCode()).isEqualTo(1);
    JsonNode shown = JSON.readTree(cli.run("batches", "show", replayed.batchId(), "--json", "--simulations",
        "--db", "empty.db").out());
    assertThat(shown.path("status").asText()).isEqualTo("failed");
    assertThat(shown.path("simulations").get(0).path("error").asText()).contains("not in the cache");
  }

  private static String[] with(String... head) {
    List<String> args = new ArrayList<>(List.of(head));
    args.addAll(List.of(REQUEST));
    return args.toArray(String[]::new);
  }

  private static List<String> transcripts(CohortCli cli, String db, String batchId) throws Exception {
    JsonNode shown = JSON.readTree(cli.run("batches", "show", batchId, "--json", "--simulations", "--db", db).out());
    List<String> out = new ArrayList<>();
    for (JsonNode simulation : shown.path("simulations")) {
      out.add(simulation.path("content").asText());
    }
    assertThat(out).hasSize(4).allSatisfy(content -> assertThat(content).isNotBlank());
    return out;
  }
}
