package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --db} errors say what the command line supports, not what only the Java API can set. */
class StoreOptionsTest {
  @Test
  void aDatabaseCohortDoesNotSpeakNamesTheUrlsTheCliSupportsWithoutThePassword() {
    CohortCli.Result result = InProcess.run("batches", "list", "--db", "jdbc:mysql://localhost/cohort?user=u&password=secret");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(result.errLines()).singleElement().asString()
        .startsWith("cohort batches list: --db: ")
        .contains("jdbc:mysql://localhost/cohort?user=u&password=***", "jdbc:sqlite:FILE", "jdbc:postgresql:", "jdbc:h2:")
        .doesNotContain("dialect(", "secret");
  }
}
