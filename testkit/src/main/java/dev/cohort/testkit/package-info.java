/**
 * Contract suites and fixtures for testing Cohort's ports. {@link
 * dev.cohort.testkit.RepositoryContractTest} is the executable form of the {@link
 * dev.cohort.core.port.RepositoryPort} contract: every repository adapter's test class extends it
 * and supplies a fresh store, so all adapters are interchangeable because the same tests say so.
 * {@link dev.cohort.testkit.LlmContractTest} does the same for {@link dev.cohort.core.port.LlmPort}
 * (usage, failure classes, cancellation by interrupt, thread safety), given models configured to
 * answer, to fail in each class and to be slow.
 * {@link dev.cohort.testkit.TestBatches} and {@link dev.cohort.testkit.Entities} build small,
 * valid batches, simulations, rounds and entities for any module's tests; {@link
 * dev.cohort.testkit.JobsKeptInProgress} is a model whose batch jobs never move.
 */
@NullMarked
package dev.cohort.testkit;

import org.jspecify.annotations.NullMarked;
