package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study-design flags of {@code cohort run} and {@code cohort batches coverage | extend}. */
class DesignCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String PANEL = """
      [{"id": "a1", "name": "Ann", "attributes": {"party": "Green", "role": "moderator"}},
       {"id": "a2", "name": "Bob", "attributes": {"party": "Green", "role": "member"}},
       {"id": "b1", "name": "Cai", "attributes": {"party": "Labour", "role": "member"}},
       {"id": "b2", "name": "Dee", "attributes": {"party": "Labour", "role": "moderator"}},
       {"id": "c1", "name": "Eve", "attributes": {"party": "Liberal", "role": "member"}},
       {"id": "c2", "name": "Fay", "attributes": {"party": "Liberal", "role": "member"}}]
      """;

  @TempDir
  Path dir;

  @Test
  void aBalancedConstrainedPilotShowsItsCoverageAndGrows() throws Exception {
    Samples.write(dir, "panel.json", PANEL);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result run = cli.run("run", "--entities", "panel.json", "--context", "A debate", "--interaction-size", "2",
        "--num-simulations", "4", "--design", "balanced", "--distinct-by", "party", "--require",
        "role=moderator:1:1", "--speaking-order", "rotate", "--seed", "5", "--progress", "none");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    String id = run.batchId();

    CohortCli.Result text = cli.run("batches", "coverage", id);
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out()).contains("Coverage of batch " + id + ": 4 simulations", "Groups by party:",
        "Groups by role:", "member + moderator: 4");
    JsonNode coverage = JSON.readTree(cli.run("batches", "coverage", id, "--json").out());
    assertThat(coverage.get("simulations").asInt()).isEqualTo(4);

    CohortCli.Result extended = cli.run("batches", "extend", id, "--num-simulations", "10", "--progress", "none");
    assertThat(extended.exitCode()).as(extended.toString()).isZero();
    // Moderators a1 (Green) and b2 (Labour), each with a member of another party: 3 + 3 groups, less a1-b2's none.
    assertThat(extended.err()).contains("Extending batch " + id + ": 2 new groups (10 asked for; no more exist)");
    JsonNode batch = JSON.readTree(cli.run("batches", "show", id, "--json").out());
    assertThat(batch.get("design").get("type").asText()).isEqualTo("balanced");
    assertThat(batch.get("constraints").get("distinct_by").get(0).asText()).isEqualTo("party");
    assertThat(batch.get("speaking_order").asText()).isEqualTo("rotate");
    assertThat(batch.get("extensions").get(0).get("planned_groups").asInt()).isEqualTo(2);
    assertThat(batch.get("planned_simulations").asInt()).isEqualTo(6);
  }

  @Test
  void explicitGroupsComeFromACsvOrJsonFileAndNeedNoNumSimulations() throws Exception {
    Samples.write(dir, "panel.json", PANEL);
    Samples.write(dir, "groups.csv", "a1,b1\nc1,a2\n");
    Samples.write(dir, "groups.json", "[[\"a1\", \"b1\", \"c1\"]]");
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result csv = cli.run("run", "--entities", "panel.json", "--context", "A debate", "--interaction-size", "2",
        "--groups", "groups.csv", "--speaking-order", "fixed", "--progress", "none");
    assertThat(csv.exitCode()).as(csv.toString()).isZero();
    JsonNode batch = JSON.readTree(cli.run("batches", "show", csv.batchId(), "--json", "--simulations").out());
    assertThat(batch.get("num_simulations").asInt()).isEqualTo(2);
    assertThat(batch.get("simulations").get(1).get("speaking_order").toString()).isEqualTo("[\"c1\",\"a2\"]");

    CohortCli.Result json = cli.run("run", "--entities", "panel.json", "--context", "A debate", "--interaction-size", "2",
        "--groups", "groups.json", "--progress", "none");
    assertThat(json.exitCode()).isNotZero();
    assertThat(json.err()).contains("--groups: group 1: has 3 members but interaction_size is 2");

    CohortCli.Result badRequire = cli.run("run", "--entities", "panel.json", "--context", "A debate",
        "--interaction-size", "2", "--num-simulations", "2", "--require", "role", "--progress", "none");
    assertThat(badRequire.exitCode()).isNotZero();
    assertThat(badRequire.err()).contains("--require: 'role' is not ATTR=VALUE[:MIN[:MAX]]");
  }
}
