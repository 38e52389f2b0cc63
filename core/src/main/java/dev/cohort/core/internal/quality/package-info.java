/**
 * Internal: the quality checks that flag a finished simulation without calling a model. Each
 * detector is a small class with one stated rule (phrase patterns for persona breaks and refusals,
 * word 3-gram overlap for repetition, stop-word profiles and scripts for the language, the answers
 * cut off at the token limit); {@link dev.cohort.core.internal.quality.SimulationFlagger} runs them
 * all on one simulation, and {@link dev.cohort.core.internal.quality.DuplicateTranscripts} finds
 * near-identical transcripts across a whole batch with MinHash and locality-sensitive hashing, so a
 * batch of 100,000 simulations is never compared pair by pair. Not API; may change in any release.
 */
@NullMarked
package dev.cohort.core.internal.quality;

import org.jspecify.annotations.NullMarked;
