package org.vigie.stix;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * STIX timestamps: {@code YYYY-MM-DDTHH:mm:ss[.s+]Z}, always UTC (STIX 2.1 section 3.2).
 */
public final class Timestamps
{
    private static final Pattern FORM = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private Timestamps() {}

    /**
     * Parses a STIX timestamp, rejecting anything that is not of the exact STIX form
     * (no offsets other than Z, no lower-case separators, no missing seconds).
     */
    public static Instant parse(String text)
    {
        if (text == null || !FORM.matcher(text).matches()) {
            throw new VigieException(ErrorCode.INVALID_TIMESTAMP, "'" + text + "' is not a STIX timestamp of the form YYYY-MM-DDTHH:mm:ss[.s+]Z");
        }
        int dot = text.indexOf('.');
        String whole = dot < 0 ? text.substring(0, text.length() - 1) : text.substring(0, dot);
        try {
            Instant seconds = LocalDateTime.parse(whole, SECONDS).toInstant(ZoneOffset.UTC);
            if (dot < 0) {
                return seconds;
            }
            String fraction = text.substring(dot + 1, text.length() - 1);
            if (fraction.length() > 9) {
                // Instant holds nanoseconds; finer digits must be zero to be represented exactly.
                if (!fraction.substring(9).chars().allMatch(character -> character == '0')) {
                    throw new VigieException(ErrorCode.INVALID_TIMESTAMP, "'" + text + "' has more than nanosecond precision");
                }
                fraction = fraction.substring(0, 9);
            }
            long nanos = Long.parseLong((fraction + "000000000").substring(0, 9));
            return seconds.plusNanos(nanos);
        }
        catch (DateTimeException e) {
            throw new VigieException(ErrorCode.INVALID_TIMESTAMP, "'" + text + "' is not a valid date and time: " + e.getMessage(), e);
        }
    }

    /** Number of fractional-second digits written in a STIX timestamp text (0 when none). */
    public static int precisionDigits(String text)
    {
        int dot = text.indexOf('.');
        return dot < 0 ? 0 : text.length() - 1 - dot - 1;
    }

    /**
     * Formats with millisecond precision at least, and microsecond or nanosecond precision when the
     * instant has it, so that no information is lost and versions compare correctly as text of equal precision.
     */
    public static String format(Instant instant)
    {
        String seconds = SECONDS.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
        int nanos = instant.getNano();
        String fraction;
        if (nanos % 1_000_000 == 0) {
            fraction = String.format("%03d", nanos / 1_000_000);
        }
        else if (nanos % 1_000 == 0) {
            fraction = String.format("%06d", nanos / 1_000);
        }
        else {
            fraction = String.format("%09d", nanos);
        }
        return seconds + "." + fraction + "Z";
    }

    /** Formats with exactly microsecond precision, as TAXII does for date_added. */
    public static String formatMicros(Instant instant)
    {
        String seconds = SECONDS.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
        return seconds + "." + String.format("%06d", instant.getNano() / 1_000) + "Z";
    }
}
