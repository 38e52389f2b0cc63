/**
 * Adapters that keep everything in the JVM: {@link dev.cohort.inmemory.InMemoryRepository}, a
 * thread-safe {@link dev.cohort.core.port.RepositoryPort} for tests, benchmarks and short-lived
 * runs, and {@link dev.cohort.inmemory.SimulatedLlm}, an offline, deterministic {@link
 * dev.cohort.core.port.LlmPort} with configurable latency and failure injection that writes
 * plausible dialogue without a network or an API key. Everything else in the package is private
 * to it.
 */
@NullMarked
package dev.cohort.inmemory;

import org.jspecify.annotations.NullMarked;
