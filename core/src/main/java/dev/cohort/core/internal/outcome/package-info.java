/**
 * Internal: outcome extraction. Once a simulation's dialogue is complete, one model call asks for
 * every declared outcome at once, with a strict JSON schema built from the declaration ({@link
 * dev.cohort.core.internal.outcome.OutcomeSchema}); the answer is checked against the declaration
 * and the simulation's participants ({@link dev.cohort.core.internal.outcome.OutcomeAnswer}) and
 * asked for again a bounded number of times when it does not fit. {@link
 * dev.cohort.core.internal.outcome.OutcomeAsk} asks it one call at a time, for the direct {@link
 * dev.cohort.core.internal.outcome.OutcomeExtractor} and for the batch API's jobs alike. Not API;
 * may change in any release.
 */
@NullMarked
package dev.cohort.core.internal.outcome;

import org.jspecify.annotations.NullMarked;
