package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort run --mode roleplay --visibility …}. */
class RoleplayRunIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void runInRoleplayModeStoresAndShowsTheModeAndItsVisibility() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result result = cli.run("run", "--entities", "people.json", "--context", "A debate about the bridge",
        "--interaction-size", "3", "--num-simulations", "2", "--n-turns", "3", "--simulation-rounds", "2",
        "--mode", "roleplay", "--visibility", "full", "--progress", "none");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Simulations: 2 of 2 completed");
    JsonNode stored = JSON.readTree(cli.run("batches", "show", result.batchId(), "--json").out());
    assertThat(stored.get("mode").asText()).isEqualTo("roleplay");
    assertThat(stored.get("visibility").asText()).isEqualTo("full");
    assertThat(cli.run("batches", "show", result.batchId()).out()).contains("Mode: roleplay  Visibility: full");
  }

  @Test
  void anUnknownModeIsAUsageErrorNamingTheChoices() {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);

    CohortCli.Result result = new CohortCli(dir).run("run", "--entities", "people.json", "--context", "x",
        "--interaction-size", "2", "--num-simulations", "1", "--mode", "improv");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("'improv' is not a mode; use one of scripted, roleplay");
  }
}
