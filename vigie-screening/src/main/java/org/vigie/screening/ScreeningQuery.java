package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What to screen: a name with optional aliases, and optional qualifiers (birth date, nationality,
 * entity type). Results below {@code threshold} are dropped; at most {@code limit} are returned.
 */
public record ScreeningQuery(
        String name,
        List<String> aliases,
        Optional<LocalDate> birthDate,
        Optional<String> nationality,
        Optional<EntityType> type,
        double threshold,
        int limit)
{
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAXIMUM_LIMIT = 1000;

    public ScreeningQuery
    {
        requireNonNull(name, "name is null");
        aliases = List.copyOf(requireNonNull(aliases, "aliases is null"));
        requireNonNull(birthDate, "birthDate is null");
        requireNonNull(nationality, "nationality is null");
        requireNonNull(type, "type is null");
        if (name.isBlank()) {
            throw new VigieException(ErrorCode.INVALID_SCREENING_QUERY, "screening query name is empty");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new VigieException(ErrorCode.INVALID_SCREENING_QUERY, "screening threshold " + threshold + " is outside [0, 1]");
        }
        if (limit < 1 || limit > MAXIMUM_LIMIT) {
            throw new VigieException(ErrorCode.INVALID_SCREENING_QUERY, "screening limit " + limit + " is outside [1, " + MAXIMUM_LIMIT + "]");
        }
    }

    /** A name-only query at the recommended threshold. */
    public static ScreeningQuery of(String name)
    {
        return new ScreeningQuery(name, List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Screener.RECOMMENDED_THRESHOLD, DEFAULT_LIMIT);
    }

    public ScreeningQuery withThreshold(double newThreshold)
    {
        return new ScreeningQuery(name, aliases, birthDate, nationality, type, newThreshold, limit);
    }

    public ScreeningQuery withLimit(int newLimit)
    {
        return new ScreeningQuery(name, aliases, birthDate, nationality, type, threshold, newLimit);
    }

    public ScreeningQuery withBirthDate(LocalDate date)
    {
        return new ScreeningQuery(name, aliases, Optional.of(date), nationality, type, threshold, limit);
    }

    public ScreeningQuery withNationality(String country)
    {
        return new ScreeningQuery(name, aliases, birthDate, Optional.of(country), type, threshold, limit);
    }

    public ScreeningQuery withType(EntityType entityType)
    {
        return new ScreeningQuery(name, aliases, birthDate, nationality, Optional.of(entityType), threshold, limit);
    }
}
