package org.vigie.stix;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * STIX timestamps: {@code YYYY-MM-DDTHH:mm:ss[.s+]Z}, always UTC (STIX 2.1 section 3.2).
 *
 * <p>Parsing and formatting are hand-written for the fixed STIX form, without java.time's general
 * formatters or regular expressions: the importer and the store run them for every object.
 */
public final class Timestamps
{
    // Only for years a STIX timestamp cannot hold (before 0000 or after 9999), which format still writes as java.time does.
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final int SECONDS_PER_DAY = 86_400;
    // Days from 0000-01-01 to 1970-01-01 in the proleptic Gregorian calendar.
    private static final long DAYS_0000_TO_1970 = 719_528;
    private static final long DAYS_PER_CYCLE = 146_097;
    private static final long FIRST_FOUR_DIGIT_SECOND = -62_167_219_200L;
    private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

    private Timestamps() {}

    /**
     * Parses a STIX timestamp, rejecting anything that is not of the exact STIX form
     * (no offsets other than Z, no lower-case separators, no missing seconds) or not a real date
     * and time. A leap second ({@code :60}) is read as the last nanosecond of its minute. Digits
     * finer than a nanosecond must be zero, as an {@link Instant} could not hold them.
     */
    public static Instant parse(String text)
    {
        Instant instant = text == null ? null : parseTruncating(text);
        if (instant == null) {
            if (text == null || !hasForm(text)) {
                throw new VigieException(ErrorCode.INVALID_TIMESTAMP, "'" + text + "' is not a STIX timestamp of the form YYYY-MM-DDTHH:mm:ss[.s+]Z");
            }
            throw new VigieException(ErrorCode.INVALID_TIMESTAMP, "'" + text + "' is not a valid date and time");
        }
        for (int i = 29; i < text.length() - 1; i++) {
            if (text.charAt(i) != '0') {
                throw new VigieException(ErrorCode.INVALID_TIMESTAMP, "'" + text + "' has more than nanosecond precision");
            }
        }
        return instant;
    }

    /**
     * The instant of a STIX timestamp, or empty when the text is not of the STIX form or not a real
     * date and time; never throws. Unlike {@link #parse}, digits finer than a nanosecond are accepted
     * and dropped (STIX allows any precision; this is for checking a timestamp and ordering by it).
     */
    public static Optional<Instant> tryParse(String text)
    {
        return text == null ? Optional.empty() : Optional.ofNullable(parseTruncating(text));
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
        int nanos = instant.getNano();
        if (nanos % 1_000_000 == 0) {
            return format(instant, nanos / 1_000_000, 3);
        }
        if (nanos % 1_000 == 0) {
            return format(instant, nanos / 1_000, 6);
        }
        return format(instant, nanos, 9);
    }

    /** Formats with exactly microsecond precision, as TAXII does for date_added. */
    public static String formatMicros(Instant instant)
    {
        return format(instant, instant.getNano() / 1_000, 6);
    }

    private static String format(Instant instant, int fraction, int digits)
    {
        long epochSecond = instant.getEpochSecond();
        if (epochSecond < FIRST_FOUR_DIGIT_SECOND || epochSecond > LAST_FOUR_DIGIT_SECOND) {
            String seconds = SECONDS.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
            StringBuilder text = new StringBuilder(seconds).append('.');
            String digitsText = Integer.toString(fraction);
            text.append("0".repeat(digits - digitsText.length())).append(digitsText);
            return text.append('Z').toString();
        }
        long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        // Civil date from days, as java.time.LocalDate.ofEpochDay computes it (March-based years).
        long zeroDay = epochDay + DAYS_0000_TO_1970 - 60;
        long adjust = 0;
        if (zeroDay < 0) {
            // January and February of year 0: shift by whole 400-year cycles to keep the division non-negative.
            long adjustCycles = (zeroDay + 1) / DAYS_PER_CYCLE - 1;
            adjust = adjustCycles * 400;
            zeroDay -= adjustCycles * DAYS_PER_CYCLE;
        }
        long yearEstimate = (400 * zeroDay + 591) / DAYS_PER_CYCLE;
        long dayOfYearEstimate = zeroDay - (365 * yearEstimate + yearEstimate / 4 - yearEstimate / 100 + yearEstimate / 400);
        if (dayOfYearEstimate < 0) {
            yearEstimate--;
            dayOfYearEstimate = zeroDay - (365 * yearEstimate + yearEstimate / 4 - yearEstimate / 100 + yearEstimate / 400);
        }
        int marchDayOfYear = (int) dayOfYearEstimate;
        int marchMonth = (marchDayOfYear * 5 + 2) / 153;
        int month = (marchMonth + 2) % 12 + 1;
        int day = marchDayOfYear - (marchMonth * 306 + 5) / 10 + 1;
        int year = (int) (yearEstimate + adjust + marchMonth / 10);

        byte[] bytes = new byte[21 + digits];
        write(bytes, 0, year, 4);
        bytes[4] = '-';
        write(bytes, 5, month, 2);
        bytes[7] = '-';
        write(bytes, 8, day, 2);
        bytes[10] = 'T';
        write(bytes, 11, secondOfDay / 3600, 2);
        bytes[13] = ':';
        write(bytes, 14, secondOfDay / 60 % 60, 2);
        bytes[16] = ':';
        write(bytes, 17, secondOfDay % 60, 2);
        bytes[19] = '.';
        write(bytes, 20, fraction, digits);
        bytes[20 + digits] = 'Z';
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void write(byte[] bytes, int offset, int value, int digits)
    {
        for (int i = offset + digits - 1; i >= offset; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The instant of a STIX timestamp with digits finer than a nanosecond dropped, or null when it is not one. */
    private static Instant parseTruncating(String text)
    {
        int length = text.length();
        if (length < 20 || length == 21 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int century = twoDigits(text, 0);
        int yearOfCentury = twoDigits(text, 2);
        int month = twoDigits(text, 5);
        int day = twoDigits(text, 8);
        int hour = twoDigits(text, 11);
        int minute = twoDigits(text, 14);
        int second = twoDigits(text, 17);
        // Any field that is not two digits is -1, so one test catches them all.
        if ((century | yearOfCentury | month | day | hour | minute | second) < 0) {
            return null;
        }
        int year = century * 100 + yearOfCentury;
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            for (int i = 20; i < length - 1; i++) {
                int digit = text.charAt(i) - '0';
                if (digit < 0 || digit > 9) {
                    return null;
                }
                if (i < 29) {
                    nanos = nanos * 10 + digit;
                }
            }
            for (int i = length - 1; i < 29; i++) {
                nanos *= 10;
            }
        }
        long epochSecond = epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + Math.min(second, 59);
        // A leap second has no instant of its own: it is read as the last one of its minute.
        return Instant.ofEpochSecond(epochSecond, second == 60 ? 999_999_999 : nanos);
    }

    /** The two-digit number at an index, or -1 when either character is not an ASCII digit. */
    private static int twoDigits(String text, int index)
    {
        int tens = text.charAt(index) - '0';
        int ones = text.charAt(index + 1) - '0';
        return (tens | ones) >= 0 && tens <= 9 && ones <= 9 ? tens * 10 + ones : -1;
    }

    /** Whether the text is {@code YYYY-MM-DDTHH:mm:ss[.s+]Z} lexically, whatever the field values (for error messages only). */
    private static boolean hasForm(String text)
    {
        int length = text.length();
        if (length < 20 || length == 21 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || (length > 20 && text.charAt(19) != '.')) {
            return false;
        }
        for (int i = 0; i < length - 1; i++) {
            if (i == 4 || i == 7 || i == 10 || i == 13 || i == 16 || i == 19) {
                continue;
            }
            char character = text.charAt(i);
            if (character < '0' || character > '9') {
                return false;
            }
        }
        return true;
    }

    private static int daysInMonth(int year, int month)
    {
        return switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeapYear(int year)
    {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since 1970-01-01 of a date in years 0 to 9999, as java.time.LocalDate.toEpochDay computes it. */
    private static long epochDay(int year, int month, int day)
    {
        long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!isLeapYear(year)) {
                total--;
            }
        }
        return total - DAYS_0000_TO_1970;
    }
}
