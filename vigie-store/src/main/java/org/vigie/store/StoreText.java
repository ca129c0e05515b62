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
        // Hand-formatted: this runs three times per stored object, and DateTimeFormatter showed in imports.
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(30);
        pad(text, time.getYear(), 4).append('-');
        pad(text, time.getMonthValue(), 2).append('-');
        pad(text, time.getDayOfMonth(), 2).append('T');
        pad(text, time.getHour(), 2).append(':');
        pad(text, time.getMinute(), 2).append(':');
        pad(text, time.getSecond(), 2).append('.');
        return pad(text, instant.getNano(), 9).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder text, int value, int digits)
    {
        String number = Integer.toString(value);
        for (int index = number.length(); index < digits; index++) {
            text.append('0');
        }
        return text.append(number);
    }

    static Instant parseInstantKey(String text)
    {
        return Instant.parse(text);
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
