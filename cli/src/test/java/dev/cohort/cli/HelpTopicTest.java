package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code help} reaches a nested command's flags from the top and from inside a group alike. */
class HelpTopicTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "help batches resume, batches resume --help",
    "batches help resume, batches resume --help",
    "help entities import, entities import --help",
    "entities help import, entities import --help",
    "help run, run --help",
    "help batches, batches --help"
  })
  void helpShowsTheSameFlagsAsTheCommandsOwnHelp(String helpForm, String flagForm) {
    CohortCli.Result viaHelp = InProcess.run(helpForm.split(" "));
    CohortCli.Result viaFlag = InProcess.run(flagForm.split(" "));

    assertThat(viaFlag.exitCode()).as(viaFlag.toString()).isZero();
    assertThat(viaHelp.exitCode()).as(viaHelp.toString()).isZero();
    assertThat(viaHelp.out()).isEqualTo(viaFlag.out()).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"help batches resume", "batches help resume"})
  void resumesHelpListsItsFlags(String helpForm) {
    CohortCli.Result result = InProcess.run(helpForm.split(" "));

    assertThat(result.out()).contains("Usage: cohort batches resume", "--export", "--concurrency", "BATCH_ID");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"help batches resum", "batches help nosuch"})
  void anUnknownCommandIsAUsageError(String helpForm) {
    CohortCli.Result result = InProcess.run(helpForm.split(" "));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("unknown command");
  }
}
