package dev.cohort.core.internal.codec;

import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.RepositoryPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Streams simulations, from the repository or any other source, into a writer that may fail with
 * an {@link IOException}, which {@link RepositoryPort#forEachSimulation}'s plain consumer cannot
 * declare.
 */
public final class SimulationStream {
  /** Receives one simulation and writes it. */
  @FunctionalInterface
  public interface Sink {
    /** Writes {@code simulation}. */
    void accept(Simulation simulation) throws IOException;
  }

  private SimulationStream() {}

  /** Hands every simulation of the batch to {@code sink} in sequence order, rethrowing its I/O errors. */
  public static void forEach(RepositoryPort repository, String batchId, Sink sink) throws IOException {
    forEach(action -> repository.forEachSimulation(batchId, action), sink);
  }

  /**
   * Hands every simulation {@code source} produces to {@code sink}, rethrowing the sink's I/O
   * errors; an error of the source itself passes through unchanged.
   */
  public static void forEach(Consumer<Consumer<Simulation>> source, Sink sink) throws IOException {
    try {
      source.accept(simulation -> {
        try {
          sink.accept(simulation);
        } catch (IOException e) {
          throw new SinkFailure(e);
        }
      });
    } catch (SinkFailure failure) {
      throw failure.getCause();
    }
  }

  /** Carries the sink's own I/O error through the repository, apart from any error of the repository. */
  private static final class SinkFailure extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    SinkFailure(IOException cause) {
      super(cause);
    }
  }
}
