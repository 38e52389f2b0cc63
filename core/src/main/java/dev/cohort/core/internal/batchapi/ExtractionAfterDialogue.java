package dev.cohort.core.internal.batchapi;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.outcome.OutcomeAsk;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What follows a simulation's last round (or turn) in a batch API run of one batch: its outcome
 * extraction, when the batch declares outcomes the simulation lacks, asked in the next job.
 *
 * @param batch the batch being run
 * @param entities its entities by id
 * @param maxReasks how many times an extraction answer that does not fit is asked for again
 * @param jobs the providers' batch APIs here, which know the registry's names
 */
record ExtractionAfterDialogue(Batch batch, Map<String, Entity> entities, int maxReasks, BatchJobPorts jobs) {
  /** The extraction {@code simulation}, whose whole transcript is {@code turns}, still needs; null for none. */
  @Nullable OutcomeAsk of(Simulation simulation, List<Turn> turns) {
    return OutcomeAsk.afterDialogue(simulation, batch.request(), batch.seed(), entities, turns, maxReasks,
        jobs::isRegistryName);
  }
}
