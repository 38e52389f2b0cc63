/**
 * Internal: the claim-based runner that executes batches (claims, leases, heartbeats, settling
 * each simulation's result). Not API; may change in any release.
 */
@NullMarked
package dev.cohort.core.internal.execution;

import org.jspecify.annotations.NullMarked;
