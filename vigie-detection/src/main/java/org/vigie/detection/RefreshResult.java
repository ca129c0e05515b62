package org.vigie.detection;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a refresh did: indicator versions read from the store and what the matcher made of them
 * (added, replaced, revoked, ignored as not newer, invalid), expired indicators dropped, and indicators removed
 * because versions of them were deleted from the store ({@code removed}; one with a version left is then added again).
 * {@code errors} names each invalid indicator and why.
 */
public record RefreshResult(int read, int added, int replaced, int revoked, int ignored, int invalid, int expired, int removed, List<String> errors)
{
    public static final RefreshResult NOTHING = new RefreshResult(0, 0, 0, 0, 0, 0, 0, 0, List.of());

    public RefreshResult
    {
        errors = List.copyOf(requireNonNull(errors, "errors is null"));
    }

    public RefreshResult plus(RefreshResult other)
    {
        List<String> allErrors = new java.util.ArrayList<>(errors);
        allErrors.addAll(other.errors);
        return new RefreshResult(
                read + other.read,
                added + other.added,
                replaced + other.replaced,
                revoked + other.revoked,
                ignored + other.ignored,
                invalid + other.invalid,
                expired + other.expired,
                removed + other.removed,
                allErrors);
    }
}
