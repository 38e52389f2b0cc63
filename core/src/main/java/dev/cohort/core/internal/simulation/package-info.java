/**
 * Internal: the scripted simulation engine. It builds each round's prompt (shared instructions and
 * context first, then the participants, then the transcript, so providers can cache the prefix),
 * parses the model's JSON turns with fallbacks, re-asks a bounded number of times when an answer
 * is unusable, and renders the transcript. Not API; may change in any release.
 */
@NullMarked
package dev.cohort.core.internal.simulation;

import org.jspecify.annotations.NullMarked;
