/**
 * Choosing which entities meet: {@link dev.cohort.core.sampling.CombinationSampler} counts the
 * k-subsets of a pool exactly and draws N distinct ones uniformly and reproducibly from a seed,
 * without ever enumerating all C(n,k) of them.
 */
@NullMarked
package dev.cohort.core.sampling;

import org.jspecify.annotations.NullMarked;
