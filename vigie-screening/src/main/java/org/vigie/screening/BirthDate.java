package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.LocalDate;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A listed birth date: an exact day when known, otherwise a year or a range of years. For an
 * EXACT or APPROXIMATELY date, fromYear equals toYear.
 */
public record BirthDate(BirthDateType type, Optional<LocalDate> day, int fromYear, int toYear)
{
    public BirthDate
    {
        requireNonNull(type, "type is null");
        requireNonNull(day, "day is null");
        if (fromYear > toYear) {
            throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "birth date range " + fromYear + "-" + toYear + " ends before it starts");
        }
        if (day.isPresent() && (day.get().getYear() != fromYear || fromYear != toYear)) {
            throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "birth date " + day.get() + " disagrees with years " + fromYear + "-" + toYear);
        }
    }

    public static BirthDate ofDay(BirthDateType type, LocalDate day)
    {
        return new BirthDate(type, Optional.of(day), day.getYear(), day.getYear());
    }

    public static BirthDate ofYear(BirthDateType type, int year)
    {
        return new BirthDate(type, Optional.empty(), year, year);
    }

    public static BirthDate between(int fromYear, int toYear)
    {
        return new BirthDate(BirthDateType.BETWEEN, Optional.empty(), fromYear, toYear);
    }

    /** How many years the given date lies outside this one (0 when compatible); approximate dates tolerate one year. */
    public int yearsApart(LocalDate date)
    {
        int tolerance = switch (type) {
            case EXACT, BETWEEN -> 0;
            case APPROXIMATELY -> 1;
        };
        int year = date.getYear();
        if (day.isPresent() && type == BirthDateType.EXACT) {
            return day.get().equals(date) ? 0 : Math.max(1, Math.abs(year - fromYear));
        }
        if (year < fromYear - tolerance) {
            return fromYear - tolerance - year;
        }
        if (year > toYear + tolerance) {
            return year - toYear - tolerance;
        }
        return 0;
    }

    /** The date as the list states it: 1963-04-11, 1963, circa 1963 or 1958-1960. */
    public String text()
    {
        String base = day.map(LocalDate::toString).orElse(fromYear == toYear ? Integer.toString(fromYear) : fromYear + "-" + toYear);
        return switch (type) {
            case EXACT, BETWEEN -> base;
            case APPROXIMATELY -> "circa " + base;
        };
    }
}
