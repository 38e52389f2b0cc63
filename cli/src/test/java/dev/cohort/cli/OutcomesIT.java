package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --outcomes FILE}, {@code outcomes extract} and the participant table, through the real jar. */
class OutcomesIT {
  @TempDir
  Path dir;

  @Test
  void runExtractsTheDeclaredOutcomesAndOutcomesExtractAddsOneWithoutSimulatingAgain() throws IOException {
    CohortCli cli = new CohortCli(dir);
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    Samples.write(dir, "outcomes.json", """
        [{"name": "agreed", "type": "boolean", "question": "Did they agree?"},
         {"name": "stance", "type": "enum", "values": ["for", "against"], "per": "participant",
          "question": "Final stance?"}]""");
    Samples.write(dir, "more.json", """
        {"outcomes": [{"name": "warmth", "type": "integer", "min": 1, "max": 5, "per": "participant",
                       "question": "How warm was this participant?"}]}""");

    CohortCli.Result run = cli.run("run", "--entities", "people.json", "--context", "A panel on climate change",
        "--interaction-size", "2", "--num-simulations", "3", "--n-turns", "2", "--outcomes", "outcomes.json",
        "--export", "batch-participants.csv");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> table = Files.readAllLines(dir.resolve("batch-participants.csv"));
    assertThat(table.get(0)).isEqualTo("simulation_id,sequence_number,status,entity_id,entity_name,attr.age,"
        + "attr.occupation,attr.tags,outcome.stance,turns,words,spoke_first,model");
    assertThat(table).hasSize(1 + 3 * 2);

    CohortCli.Result extract = cli.run("outcomes", "extract", run.batchId(), "--outcomes", "more.json");
    assertThat(extract.exitCode()).as(extract.toString()).isZero();
    assertThat(extract.err()).contains("Extracting 1 outcome from 3 completed of 3 simulations");

    CohortCli.Result export = cli.run("export", run.batchId(), "--format", "participants-csv", "--output",
        "again.csv");
    assertThat(export.exitCode()).as(export.toString()).isZero();
    List<String> again = Files.readAllLines(dir.resolve("again.csv"));
    assertThat(again.get(0)).contains("outcome.stance,outcome.warmth,");
    assertThat(again.subList(1, again.size())).allSatisfy(line -> assertThat(line).matches(".*,(for|against),[1-5],.*"));
  }

  @Test
  void anInvalidOutcomeFileIsAUsageErrorNamingTheFlagTheFileAndTheField() throws IOException {
    CohortCli cli = new CohortCli(dir);
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    Samples.write(dir, "bad.json", "[{\"name\": \"not an id\", \"type\": \"number\", \"question\": \"q\", \"min\": 5, \"max\": 1}]");

    CohortCli.Result run = cli.run("run", "--entities", "people.json", "--context", "c", "--interaction-size", "2",
        "--num-simulations", "1", "--outcomes", "bad.json");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("--outcomes: file 'bad.json': outcomes[0].name: must be an identifier",
        "outcomes[0].max: is 1.0, less than min 5.0");
  }
}
