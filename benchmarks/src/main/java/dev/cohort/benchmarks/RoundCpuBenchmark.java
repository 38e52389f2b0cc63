package dev.cohort.benchmarks;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.Sleeper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of one round outside the model: the engine ({@link SimulationEngine}, as {@code
 * Cohort} builds it, without a rate limit or response cache) builds the round's prompt, calls a
 * model that hands back a prepared four-turn JSON answer of about 600 characters at once, parses
 * it, validates it (speakers are participants, no turn repeats an earlier one) and records the
 * round in an in-memory list. One operation is one round of a one-round, four-turn simulation
 * between two participants; the score is microseconds per round.
 *
 * <p>Not included: claiming and leasing the simulation and the store's own write (see {@link
 * RunnerOverheadBenchmark} for the whole path, store included).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RoundCpuBenchmark {
  private static final int VARIANTS = 64;

  private final List<RoundResult> recorded = new ArrayList<>();
  private SimulationEngine engine = new SimulationEngine(
      new ModelCaller(request -> ChatResponse.of("", TokenUsage.ZERO), CallGate.OPEN,
          new RetryPolicy(1, () -> 0.5), Sleeper.SYSTEM), 0, Integer.MAX_VALUE);
  private BatchRequest request = BenchmarkBatches.request(BenchmarkBatches.poolFor(1), 1, 1);
  private String system = "";
  private Map<String, Entity> entities = Map.of();
  private Simulation simulation = simulation(List.of("a", "b"));
  private int next;

  /** Prepares the answers, the engine and the simulation once. */
  @Setup(Level.Trial)
  public void prepare() {
    List<Entity> pool = BenchmarkBatches.poolFor(1);
    Entity first = pool.get(0);
    Entity second = pool.get(1);
    String[] answers = new String[VARIANTS];
    for (int i = 0; i < VARIANTS; i++) {
      answers[i] = CannedAnswers.fourTurns(first, second, i);
    }
    TokenUsage usage = new TokenUsage(450, 160, 0, 1);
    engine = new SimulationEngine(
        new ModelCaller(chat -> ChatResponse.of(answers[next++ & (VARIANTS - 1)], usage), CallGate.OPEN,
            new RetryPolicy(1, () -> 0.5), Sleeper.SYSTEM),
        2, 12_000);
    request = BatchRequest.builder()
        .name("round-cpu")
        .context("A short panel discussion about public transport in a mid-sized city.")
        .entityIds(first.id(), second.id())
        .interactionSize(2)
        .numSimulations(1)
        .nTurns(4)
        .simulationRounds(1)
        .seed(7L)
        .build();
    system = SimulationEngine.systemMessage(request);
    entities = Map.of(first.id(), first, second.id(), second);
    simulation = simulation(List.of(first.id(), second.id()));
  }

  /** One round: prompt, canned call, parse, validate, record. */
  @Benchmark
  public SimulationEngine.Outcome round() throws InterruptedException {
    recorded.clear();
    SimulationEngine.Outcome outcome = engine.play(simulation, request, system, 7L, entities, recorded::add,
        turn -> true);
    if (!(outcome instanceof SimulationEngine.Completed completed) || completed.turns().size() != 4) {
      throw new IllegalStateException("the round did not complete with four turns: " + outcome);
    }
    return outcome;
  }

  private static Simulation simulation(List<String> ids) {
    return new Simulation("sim-1", "batch-1", 1, ids, ids, SimulationStatus.RUNNING, List.of(), null, 1,
        TokenUsage.ZERO, null, 0, Instant.EPOCH, Instant.EPOCH, null);
  }
}
