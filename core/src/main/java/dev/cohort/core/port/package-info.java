/**
 * The ports Cohort's core drives: {@link dev.cohort.core.port.LlmPort} (a language model that
 * answers one chat request at a time), {@link dev.cohort.core.port.RepositoryPort} (where
 * entities, batches and simulations are stored and claimed by workers, made of three roles:
 * {@link dev.cohort.core.port.EntityStore}, {@link dev.cohort.core.port.BatchStore} and {@link
 * dev.cohort.core.port.WorkQueue}) and {@link dev.cohort.core.port.ProgressListener} (events as a
 * batch runs), plus the injected time sources {@link dev.cohort.core.port.Ticker} and {@link
 * dev.cohort.core.port.Sleeper}. Adapter modules implement them; the {@code cohort-testkit}
 * contract suites say what every implementation must do.
 */
@NullMarked
package dev.cohort.core.port;

import org.jspecify.annotations.NullMarked;
