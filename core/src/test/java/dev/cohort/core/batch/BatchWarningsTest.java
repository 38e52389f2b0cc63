package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A batch warns about what its design makes happen but the user may not expect; it never refuses. */
class BatchWarningsTest {
  @ParameterizedTest(name = "k={0}, n_turns={1}, rounds={2}: {3} silent")
  @CsvSource({"3, 1, 1, 2", "4, 1, 3, 1", "5, 2, 2, 1"})
  void warnsWhenSomeParticipantsNeverSpeak(int k, int nTurns, int rounds, int silent) {
    Batch batch = batch(k, nTurns, rounds);

    assertThat(batch.warnings()).singleElement().asString()
        .contains("n_turns " + nTurns + " times simulation_rounds " + rounds + " gives " + nTurns * rounds
            + " turns but interaction_size is " + k, silent + (silent == 1 ? " participant" : " participants"),
            "never speak");
  }

  @ParameterizedTest(name = "k={0}, n_turns={1}, rounds={2}")
  @CsvSource({"1, 1, 1", "2, 2, 1", "3, 1, 3", "2, 5, 2"})
  void everyoneSpeaksNoWarning(int k, int nTurns, int rounds) {
    assertThat(batch(k, nTurns, rounds).warnings()).isEmpty();
  }

  private static Batch batch(int k, int nTurns, int rounds) {
    BatchRequest request = BatchRequest.builder().name("n").context("c")
        .entityIds(List.of("a", "b", "c", "d", "e")).interactionSize(k).numSimulations(1).nTurns(nTurns)
        .simulationRounds(rounds).seed(1L).build();
    return new Batch("b", BatchStatus.PENDING, request, 1, 1, List.of(), Instant.EPOCH, null, null, null,
        BatchCounts.EMPTY, TokenUsage.ZERO, List.of());
  }
}
