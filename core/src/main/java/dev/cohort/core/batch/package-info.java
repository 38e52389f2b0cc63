/**
 * The domain model: {@link dev.cohort.core.batch.Entity entities} (personas), the
 * {@link dev.cohort.core.batch.BatchRequest request} that starts a batch, the
 * {@link dev.cohort.core.batch.Batch batch} with its aggregated
 * {@link dev.cohort.core.batch.BatchStatus status}, and each
 * {@link dev.cohort.core.batch.Simulation simulation} with its
 * {@link dev.cohort.core.batch.Turn turns}. All types are immutable values.
 */
@NullMarked
package dev.cohort.core.batch;

import org.jspecify.annotations.NullMarked;
