/**
 * Provenance: the batch manifest ({@code ManifestBuilder}, from what was stored and what providers
 * returned), the seals recorded when a batch is created and the check of stored data against them
 * ({@code Seals}, {@code BatchVerifier}), and moving response-cache entries in and out as JSON Lines
 * ({@code CacheTransfer}). The {@code Cohort} facade is the only user.
 */
@NullMarked
package dev.cohort.core.internal.provenance;

import org.jspecify.annotations.NullMarked;
