/**
 * Execution {@code batch_api}: a batch's rounds sent as provider batch jobs instead of one call at
 * a time. {@code RoundJobCoordinator} holds every runnable simulation of a batch under a lease,
 * puts the next round of each into jobs ({@code JobSplitter} keeps each within the provider's
 * limits), polls them, and stores their answers through the same {@code ScriptedRound} the direct
 * engine uses, so prompts, parsing and re-asks are the same; {@code CustomIds} names every request
 * by simulation, round, re-ask and try. Only the holder of the batch's {@code CoordinatorLease}
 * coordinates it, so two processes never submit one round twice.
 */
@NullMarked
package dev.cohort.core.internal.batchapi;

import org.jspecify.annotations.NullMarked;
