/**
 * Internal: the claim-based runner that executes batches, the retry policy and the gate every
 * model call passes. Not API; may change in any release.
 */
@NullMarked
package dev.cohort.core.internal.execution;

import org.jspecify.annotations.NullMarked;
