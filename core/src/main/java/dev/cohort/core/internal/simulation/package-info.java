/**
 * Internal: the simulation engine, in both modes. Scripted mode builds each round's prompt (shared
 * instructions and context first, then the participants, then the transcript, so providers can
 * cache the prefix); role-play builds each turn's prompt for its speaker alone (shared
 * instructions and context, then the public transcript, then the speaker's own view last). Both
 * parse the model's JSON with fallbacks, re-ask a bounded number of times when an answer is
 * unusable, and record each round (scripted) or turn (role-play) as it completes. Not API; may
 * change in any release.
 */
@NullMarked
package dev.cohort.core.internal.simulation;

import org.jspecify.annotations.NullMarked;
