package dev.cohort.core.port;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The provider's view of its rate limits after a call (OpenAI's {@code x-ratelimit-*} headers).
 * A null field was not reported.
 *
 * @param limitRequests requests allowed per window
 * @param remainingRequests requests left in the window
 * @param resetRequests time until the request window resets
 * @param limitTokens tokens allowed per window
 * @param remainingTokens tokens left in the window
 * @param resetTokens time until the token window resets
 */
public record RateLimits(
    @Nullable Long limitRequests,
    @Nullable Long remainingRequests,
    @Nullable Duration resetRequests,
    @Nullable Long limitTokens,
    @Nullable Long remainingTokens,
    @Nullable Duration resetTokens) {}
