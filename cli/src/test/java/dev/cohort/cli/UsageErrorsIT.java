package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad flags, files and ids: exit code 2 and exactly one line on standard error that says what to fix. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageErrorsIT {
  private static final String[] RUN = {"run", "--num-simulations", "1"};

  @TempDir
  static Path dir;

  @BeforeAll
  void writeFiles() {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    Samples.write(dir, "broken.json", "{\"entities\": [ {\"id\": \"a\", ");
    Samples.write(dir, "typo.json", "[{\"id\": \"a\", \"name\": \"Ada\", \"age\": 30}, {\"id\": \"b\"}]");
  }

  Stream<Arguments> badUsage() {
    return Stream.of(
        Arguments.of(new String[] {"run", "--entities", "people.json", "--context", "x", "--interaction-size", "2",
            "--num-simulation", "1"}, "Unknown option: '--num-simulation'; did you mean --num-simulations?"),
        Arguments.of(new String[] {"run", "--entities", "people.json", "--context", "x", "--interaction-size", "2"},
            "Missing required option: '--num-simulations=N'"),
        Arguments.of(with("--entities", "people.json", "--context", "x", "--interaction-size", "2", "--n-turns", "two"), "Invalid value for option '--n-turns'"),
        Arguments.of(with("--entities", "missing.json", "--context", "x", "--interaction-size", "2"), "--entities: file 'missing.json' does not exist"),
        Arguments.of(with("--entities", "broken.json", "--context", "x", "--interaction-size", "2"), "--entities: file 'broken.json' is not valid JSON (line 1"),
        Arguments.of(with("--entities", "typo.json", "--context", "x", "--interaction-size", "2"), "[0].age: is not a known field"),
        Arguments.of(with("--entities", "people.json", "--context", "@nowhere.txt", "--interaction-size", "2"),
            "--context: file 'nowhere.txt' does not exist"),
        Arguments.of(with("--entities", "nobody,somebody", "--context", "x", "--interaction-size", "2"), "--entities: unknown entity ids: nobody, somebody"),
        Arguments.of(with("--entities", "people.json", "--context", "x", "--interaction-size", "5"),
            "--interaction-size: is 5 but only 4 entities were given"),
        Arguments.of(with("--entities", "people.json", "--context", "x", "--interaction-size", "2", "--export", "out.txt"),
            "--export: cannot tell the format of 'out.txt'"),
        Arguments.of(with("--entities", "people.json", "--context", "x", "--interaction-size", "2", "--db",
            "jdbc:mysql://localhost/cohort"), "--db: "),
        Arguments.of(new String[] {"export", "no-such-batch", "--format", "csv"}, "batch no-such-batch does not exist"),
        Arguments.of(new String[] {"export", "x", "--format", "xml"}, "'xml' is not a format; use one of json, csv"),
        Arguments.of(new String[] {"batches", "show", "no-such-batch"}, "batch no-such-batch does not exist"),
        Arguments.of(new String[] {"entities", "import", "broken.json"}, "file 'broken.json' is not valid JSON (line 1"),
        Arguments.of(new String[] {"frobnicate"}, "Unmatched argument at index 0: 'frobnicate'"));
  }

  @ParameterizedTest
  @MethodSource("badUsage")
  void badUsageExitsWithTwoAndOneClearLine(String[] args, String expected) {
    CohortCli.Result result = new CohortCli(dir).run(args);

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.errLines()).as(result.toString()).hasSize(1);
    assertThat(result.err()).contains(expected).doesNotContain("Exception", "\tat ");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void anEntityImportErrorHasOnePrefix() {
    CohortCli.Result result = new CohortCli(dir).run("entities", "import", "typo.json");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.errLines().get(0))
        .endsWith("file 'typo.json': [0].age: is not a known field; known fields are id, name, description, "
            + "attributes (put other facts under attributes); [1].name: is required")
        .doesNotContain("FILE");
  }

  @Test
  void verboseAddsTheStackTrace() {
    CohortCli.Result result = new CohortCli(dir).run(with("--entities", "missing.json", "--context", "x", "--interaction-size", "2", "--verbose"));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.errLines().get(0)).contains("--entities: file 'missing.json' does not exist");
    assertThat(result.err()).contains("UsageException", "\tat dev.cohort.cli.");
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    CohortCli.Result result = new CohortCli(dir).run("--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("run", "entities", "batches", "export", "serve", "worker",
        "130", "interrupted");
  }

  private static String[] with(String... more) {
    return Stream.concat(Stream.of(RUN), Stream.of(more)).toArray(String[]::new);
  }
}
