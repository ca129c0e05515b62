package org.vigie.taxii.client;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How often and how patiently idempotent requests (GET, DELETE) are retried after a connection failure
 * or an answer 429, 502, 503 or 504. The wait doubles after each attempt, from {@code initialBackoff}
 * up to {@code maxBackoff}; a server's {@code Retry-After} in seconds is honoured up to {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff)
{
    public RetryPolicy
    {
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initialBackoff <= maxBackoff, were " + initialBackoff + " and " + maxBackoff);
        }
    }

    /** Four attempts, waiting 250 ms, 500 ms, then 1 s. */
    public static RetryPolicy defaults()
    {
        return new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    public static RetryPolicy none()
    {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The wait before attempt {@code attempt + 1}, after attempt {@code attempt} (1-based) failed. */
    public Duration backoff(int attempt)
    {
        Duration wait = initialBackoff;
        for (int index = 1; index < attempt && wait.compareTo(maxBackoff) < 0; index++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
