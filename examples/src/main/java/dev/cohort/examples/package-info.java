/**
 * Runnable examples: {@link dev.cohort.examples.Quickstart} runs the original system's documented
 * batch in memory against the offline simulated model.
 */
@NullMarked
package dev.cohort.examples;

import org.jspecify.annotations.NullMarked;
