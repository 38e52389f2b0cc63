package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SimulationStreamTest {
  private static final List<Simulation> SIMULATIONS = List.of(simulation(1), simulation(2), simulation(3));

  @Test
  void handsEverySimulationToTheSinkInOrder() throws IOException {
    List<Integer> seen = new ArrayList<>();
    SimulationStream.forEach(SIMULATIONS::forEach, s -> seen.add(s.sequenceNumber()));

    assertThat(seen).containsExactly(1, 2, 3);
  }

  @Test
  void sinkFailureIsRethrownAsTheSinksOwnIOExceptionAndStopsTheStream() {
    IOException diskFull = new IOException("disk full");
    List<Integer> seen = new ArrayList<>();

    assertThatThrownBy(() -> SimulationStream.forEach(SIMULATIONS::forEach, s -> {
      seen.add(s.sequenceNumber());
      if (s.sequenceNumber() == 2) {
        throw diskFull;
      }
    })).isSameAs(diskFull);
    assertThat(seen).containsExactly(1, 2);
  }

  @Test
  void sourceFailurePassesThroughUnchangedEvenWhenItIsAnUncheckedIOException() {
    UncheckedIOException lostConnection = new UncheckedIOException(new IOException("connection reset"));
    Consumer<Consumer<Simulation>> failingSource = action -> {
      throw lostConnection;
    };

    assertThatThrownBy(() -> SimulationStream.forEach(failingSource, s -> {})).isSameAs(lostConnection);
  }

  private static Simulation simulation(int sequence) {
    return new Simulation("s" + sequence, "b", sequence, List.of("e1"), List.of("e1"), SimulationStatus.PENDING,
        List.of(), null, 0, TokenUsage.ZERO, null, 1, Instant.EPOCH, null, null);
  }
}
