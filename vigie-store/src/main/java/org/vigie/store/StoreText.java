package org.vigie.store;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/**
 * Encodings shared by every store implementation, so that they agree exactly: version keys, microsecond
 * dates added and paging cursors.
 */
final class StoreText
{
    /** The version key of an object without modified or created; sorts before every timestamp. */
    static final String UNVERSIONED = "";

    private static final String CURSOR_PREFIX = "vigie-cursor-1:";

    private StoreText() {}

    /**
     * Fixed-width text of an instant with nanosecond digits: its lexicographic order is its time order
     * (years 0000 to 9999, which is all STIX timestamps allow).
     */
    static String instantKey(Instant instant)
    {
        // Hand-formatted into one byte array: this runs for every stored object, and DateTimeFormatter, then
        // StringBuilder padding, showed in import profiles.
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (time.getYear() < 0 || time.getYear() > 9999) {
            return outOfRangeInstantKey(time, instant.getNano());
        }
        byte[] text = new byte[30];
        digits(text, 0, time.getYear(), 4);
        text[4] = '-';
        digits(text, 5, time.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, time.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, time.getHour(), 2);
        text[13] = ':';
        digits(text, 14, time.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, time.getSecond(), 2);
        text[19] = '.';
        digits(text, 20, instant.getNano(), 9);
        text[29] = 'Z';
        return new String(text, StandardCharsets.US_ASCII);
    }

    // The former formatting, kept for years outside 0000 to 9999 (which STIX timestamps never have).
    private static String outOfRangeInstantKey(LocalDateTime time, int nano)
    {
        StringBuilder text = new StringBuilder(32);
        pad(text, time.getYear(), 4).append('-');
        pad(text, time.getMonthValue(), 2).append('-');
        pad(text, time.getDayOfMonth(), 2).append('T');
        pad(text, time.getHour(), 2).append(':');
        pad(text, time.getMinute(), 2).append(':');
        pad(text, time.getSecond(), 2).append('.');
        return pad(text, nano, 9).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder text, int value, int digits)
    {
        String number = Integer.toString(value);
        for (int index = number.length(); index < digits; index++) {
            text.append('0');
        }
        return text.append(number);
    }

    // Writes value as exactly count decimal digits, zero-padded; value is never negative here, and never wider.
    private static void digits(byte[] text, int offset, int value, int count)
    {
        for (int index = offset + count - 1; index >= offset; index--) {
            text[index] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    static Instant parseInstantKey(String text)
    {
        // Keys are written by instantKey, fixed width: read the digits directly. Instant.parse (a
        // DateTimeFormatter) cost about a microsecond per timestamp, two per object of every page served.
        if (text.length() == 30 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':' && text.charAt(19) == '.' && text.charAt(29) == 'Z') {
            int year = number(text, 0, 4);
            int month = number(text, 5, 7);
            int day = number(text, 8, 10);
            int hour = number(text, 11, 13);
            int minute = number(text, 14, 16);
            int second = number(text, 17, 19);
            int nano = number(text, 20, 29);
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && nano >= 0) {
                if (day <= 28 || day <= java.time.YearMonth.of(year, month).lengthOfMonth()) {
                    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
                    return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second, nano);
                }
            }
        }
        // Anything else takes the strict parser, which also reports what is wrong.
        return Instant.parse(text);
    }

    // The decimal value of text[from, to), or -1 if a character is not a digit.
    private static int number(String text, int from, int to)
    {
        int value = 0;
        for (int index = from; index < to; index++) {
            char character = text.charAt(index);
            if (character < '0' || character > '9') {
                return -1;
            }
            value = value * 10 + (character - '0');
        }
        return value;
    }

    static String versionKey(Optional<Instant> version)
    {
        return version.map(StoreText::instantKey).orElse(UNVERSIONED);
    }

    /** The inverse of {@link #versionKey}. */
    static Optional<Instant> versionOfKey(String versionKey)
    {
        return versionKey.equals(UNVERSIONED) ? Optional.empty() : Optional.of(parseInstantKey(versionKey));
    }

    static long toMicros(Instant instant)
    {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    static Instant fromMicros(long micros)
    {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** The lowest date added a query may return, in micros, excluded: the later of added_after and the cursor. */
    static long lowerBoundMicros(ObjectQuery query)
    {
        long bound = Long.MIN_VALUE;
        if (query.addedAfter().isPresent()) {
            // added_after is exclusive; dates added are whole microseconds, so a finer instant rounds down.
            bound = toMicros(query.addedAfter().get());
        }
        if (query.next().isPresent()) {
            bound = Math.max(bound, decodeCursor(query.next().get()));
        }
        return bound;
    }

    static String encodeCursor(Instant lastDateAdded)
    {
        String text = CURSOR_PREFIX + toMicros(lastDateAdded);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor)
    {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX)) {
                return Long.parseLong(text.substring(CURSOR_PREFIX.length()));
            }
        }
        catch (IllegalArgumentException e) {
            // falls through to the error below: a NumberFormatException is an IllegalArgumentException
        }
        throw new VigieException(ErrorCode.INVALID_ARGUMENT, "next: '" + cursor + "' is not a paging cursor issued by this store");
    }
}
