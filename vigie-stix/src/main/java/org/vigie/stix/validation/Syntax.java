package org.vigie.stix.validation;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Hand-written checks of STIX lexical forms; no regular expressions, as they run on every imported object. */
final class Syntax
{
    private Syntax() {}

    /** A type name: 3 to 250 characters of a-z, 0-9 and hyphen, with no "--" (which separates an identifier's parts). */
    static boolean isTypeName(String text, int start, int end)
    {
        int length = end - start;
        if (length < 3 || length > 250) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char character = text.charAt(i);
            boolean allowed = (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') || character == '-';
            if (!allowed || (character == '-' && i + 1 < end && text.charAt(i + 1) == '-')) {
                return false;
            }
        }
        return true;
    }

    /** An identifier {@code type--uuid} whose UUID is an RFC 4122 UUID (versions 1 to 5, variant 10). */
    static boolean isIdentifier(String text)
    {
        int separator = text.indexOf("--");
        return separator > 0
                && isTypeName(text, 0, separator)
                && isRfc4122Uuid(text, separator + 2);
    }

    static boolean isRfc4122Uuid(String text, int start)
    {
        if (text.length() - start != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char character = text.charAt(start + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (character != '-') {
                    return false;
                }
            }
            else if (!isHex(character)) {
                return false;
            }
        }
        char version = text.charAt(start + 14);
        char variant = text.charAt(start + 19);
        return version >= '1' && version <= '5' && "89abAB".indexOf(variant) >= 0;
    }

    static boolean isHex(char character)
    {
        return (character >= '0' && character <= '9') || (character >= 'a' && character <= 'f') || (character >= 'A' && character <= 'F');
    }

    /** A custom property name: 3 to 250 characters of a-z, A-Z, 0-9 and underscore. */
    static boolean isPropertyName(String name)
    {
        if (name.length() < 3 || name.length() > 250) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char character = name.charAt(i);
            boolean allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z')
                    || (character >= '0' && character <= '9') || character == '_';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** A dictionary key: at most 250 ASCII characters of a-z, A-Z, 0-9, underscore and hyphen. */
    static boolean isDictionaryKey(String key)
    {
        if (key.isEmpty() || key.length() > 250) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char character = key.charAt(i);
            boolean allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z')
                    || (character >= '0' && character <= '9') || character == '_' || character == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code YYYY-MM-DDTHH:mm:ss[.s+]Z}; null when the text is not of that form or not a real
     * date and time. A leap second (60) is accepted and read as the last instant of its minute.
     */
    static Instant timestamp(String text)
    {
        int length = text.length();
        if (length < 20 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.' || length == 21) {
                return null;
            }
            for (int i = 20; i < length - 1; i++) {
                char character = text.charAt(i);
                if (character < '0' || character > '9') {
                    return null;
                }
                if (i < 29) {
                    nanos = nanos * 10 + (character - '0');
                }
            }
            for (int i = Math.min(length - 1, 29); i < 29; i++) {
                nanos *= 10;
            }
        }
        else if (text.charAt(19) != 'Z') {
            return null;
        }
        boolean leapSecond = second == 60;
        try {
            Instant instant = LocalDateTime.of(year, month, day, hour, minute, leapSecond ? 59 : second, nanos).toInstant(ZoneOffset.UTC);
            return leapSecond ? instant.plusNanos(999_999_999L - nanos) : instant;
        }
        catch (DateTimeException e) {
            return null;
        }
    }

    /** Number of fraction digits of a timestamp text already known to be well formed. */
    static int fractionDigits(String text)
    {
        return text.length() == 20 ? 0 : text.length() - 21;
    }

    private static int digits(String text, int start, int end)
    {
        int value = 0;
        for (int i = start; i < end; i++) {
            char character = text.charAt(i);
            if (character < '0' || character > '9') {
                return -1;
            }
            value = value * 10 + (character - '0');
        }
        return value;
    }
}
