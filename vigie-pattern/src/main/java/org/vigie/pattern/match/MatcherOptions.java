package org.vigie.pattern.match;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Limits of the state kept for stateful indicators (FOLLOWEDBY, AND between observations, WITHIN,
 * REPEATS): at most {@code maximumObservationsPerIndicator} observations each, kept for the
 * indicator's largest WITHIN window, or {@code defaultRetention} when it has none.
 */
public record MatcherOptions(int maximumObservationsPerIndicator, Duration defaultRetention)
{
    public static final MatcherOptions DEFAULT = new MatcherOptions(32, Duration.ofHours(24));

    public MatcherOptions
    {
        requireNonNull(defaultRetention, "defaultRetention is null");
        if (maximumObservationsPerIndicator < 1) {
            throw new IllegalArgumentException("maximumObservationsPerIndicator must be at least 1");
        }
        if (defaultRetention.isNegative() || defaultRetention.isZero()) {
            throw new IllegalArgumentException("defaultRetention must be positive");
        }
    }
}
