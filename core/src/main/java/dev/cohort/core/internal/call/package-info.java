/**
 * Calling the model: {@code ModelCaller} sends one request through the shared rate limiter
 * ({@code SharedRateLimiter}, token buckets fed by the provider's headers) and retries what can
 * be retried ({@code RetryPolicy}). Used by the simulation engine; knows nothing of batches.
 */
@NullMarked
package dev.cohort.core.internal.call;

import org.jspecify.annotations.NullMarked;
