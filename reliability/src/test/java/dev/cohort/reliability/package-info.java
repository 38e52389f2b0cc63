/**
 * Cohort's reliability suite: tests that inject the faults real deployments meet (misbehaving
 * models, killed worker processes, database outages, racing cancels and deletes, heavy load,
 * hostile input) into the real adapters and check that every result is stored exactly once and
 * that no secret leaks. {@code RELIABILITY.md} at the repository root maps each guarantee to the
 * test here that proves it; tests tagged {@code reliability-long} are the long variants, run with
 * {@code -Preliability-long}.
 */
@NullMarked
package dev.cohort.reliability;

import org.jspecify.annotations.NullMarked;
