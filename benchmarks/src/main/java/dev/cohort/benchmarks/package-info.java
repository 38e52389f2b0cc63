/**
 * Benchmarks of Cohort, run from the shaded {@code benchmarks.jar} and never as part of a build:
 * JMH benchmarks of the {@link dev.cohort.core.sampling.CombinationSampler} ({@link
 * dev.cohort.benchmarks.SamplerBenchmark}) and of the runner's own cost per simulation ({@link
 * dev.cohort.benchmarks.RunnerOverheadBenchmark}), {@link dev.cohort.benchmarks.SamplerTiming}
 * for whole-process timing against the Python reference, and {@link
 * dev.cohort.benchmarks.MakespanHarness}, which compares a latency-bound batch's makespan with the
 * ideal one. BENCHMARKS.md at the repository root says how to run each and what was measured.
 *
 * <p>They use Cohort's public API only, as a user's program would (so they measure what users
 * get); the module's {@code ArchitectureTest} fails if one reaches into {@code
 * dev.cohort.core.internal}.
 */
@NullMarked
package dev.cohort.benchmarks;

import org.jspecify.annotations.NullMarked;
