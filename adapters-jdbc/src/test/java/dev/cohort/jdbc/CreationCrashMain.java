package dev.cohort.jdbc;

import dev.cohort.core.batch.Simulation;
import java.util.Iterator;
import java.util.List;

/**
 * The process of {@link CreationCrashTest}: starts creating a batch of {@value #SIMULATIONS}
 * simulations on the given database and halts the JVM, as a crash or a kill would, while the
 * simulation numbered {@value #HALT_AT} is being read: two chunks are stored by then.
 *
 * <p>Argument: the JDBC URL.
 */
public final class CreationCrashMain {
  static final String BATCH_ID = "half";
  static final int SIMULATIONS = 5_000;
  static final int HALT_AT = 2_500;
  static final int EXIT_CODE = 37;

  private CreationCrashMain() {}

  /** Never returns: halts mid-creation. */
  public static void main(String[] args) {
    JdbcRepository repo = JdbcRepository.builder().url(args[0]).build();
    repo.saveEntities(Fixture.ENTITIES);
    List<Simulation> simulations = Fixture.simulations(BATCH_ID, SIMULATIONS);
    Iterator<Simulation> source = new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < simulations.size();
      }

      @Override
      public Simulation next() {
        if (next + 1 == HALT_AT) {
          Runtime.getRuntime().halt(EXIT_CODE);
        }
        return simulations.get(next++);
      }
    };
    repo.createBatch(Fixture.batch(BATCH_ID, SIMULATIONS), source);
    throw new AssertionError("the creation should have been cut short");
  }
}
