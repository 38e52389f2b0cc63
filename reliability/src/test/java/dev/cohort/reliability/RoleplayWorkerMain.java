package dev.cohort.reliability;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.Visibility;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.testkit.Entities;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker process of {@link RoleplayCrashTest}: {@link WorkerMain}'s life (create or resume,
 * print the batch id, run, print {@value WorkerMain#DONE}), for a role-play batch, with a slow
 * simulated model whose every answer is logged by (simulation, turn) in a {@link TurnLog}.
 *
 * <p>Arguments: JDBC URL, {@code create} or a batch id, turn log file, worker id.
 */
public final class RoleplayWorkerMain {
  static final int SIMULATIONS = 30;
  static final int ROUNDS = 3;
  static final int TURNS = 2;
  static final int TOTAL_TURNS = SIMULATIONS * ROUNDS * TURNS;

  private RoleplayWorkerMain() {}

  /** Runs the batch until it ends, or until killed. */
  public static void main(String[] args) {
    TurnLog llm = new TurnLog(
        SimulatedLlm.builder().seed(5).latency(Duration.ofMillis(40), Duration.ofMillis(120)).build(), Path.of(args[2]));
    try (JdbcRepository repository = JdbcRepository.builder().url(args[0]).build();
        Cohort cohort = Cohort.builder().llm(llm).repository(repository).workerId(args[3])
            .maxInFlight(WorkerMain.IN_FLIGHT).leaseDuration(WorkerMain.LEASE).pollInterval(Duration.ofMillis(50))
            .build()) {
      WorkerMain.runToEnd(cohort, args[1], RoleplayWorkerMain::request);
    }
  }

  static BatchRequest request() {
    return BatchRequest.builder()
        .name("role-play crash test")
        .context("A committee decides where the new school should be built.")
        .entityIds(Entities.generated(10).stream().map(e -> e.id()).toList())
        .interactionSize(4)
        .numSimulations(SIMULATIONS)
        .nTurns(TURNS)
        .simulationRounds(ROUNDS)
        .seed(11L)
        .mode(SimulationMode.ROLEPLAY)
        .visibility(Visibility.NAMES)
        .build();
  }
}
