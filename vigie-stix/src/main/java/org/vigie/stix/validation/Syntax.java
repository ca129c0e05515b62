package org.vigie.stix.validation;

import org.vigie.stix.Timestamps;

import java.time.Instant;

/** Hand-written checks of STIX lexical forms; no regular expressions, as they run on every imported object. */
final class Syntax
{
    // Every identifier holds 32 hex digits: a table lookup rather than three range tests each.
    private static final boolean[] HEX = new boolean[128];

    static {
        for (char character = '0'; character <= '9'; character++) {
            HEX[character] = true;
        }
        for (char character = 'a'; character <= 'f'; character++) {
            HEX[character] = true;
            HEX[Character.toUpperCase(character)] = true;
        }
    }

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

    /** An identifier {@code type--uuid} whose UUID is an RFC 9562 (formerly 4122) UUID: versions 1 to 8, variant 10. */
    static boolean isIdentifier(String text)
    {
        int separator = text.indexOf("--");
        return separator > 0
                && isTypeName(text, 0, separator)
                && isRfcUuid(text, separator + 2);
    }

    static boolean isRfcUuid(String text, int start)
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
        // Versions 6 to 8 (time-ordered v6 and v7, custom v8) are RFC 9562's; STIX only asks for an RFC UUID.
        return version >= '1' && version <= '8' && "89abAB".indexOf(variant) >= 0;
    }

    static boolean isHex(char character)
    {
        return character < 128 && HEX[character];
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
        return Timestamps.tryParse(text).orElse(null);
    }

    /** Number of fraction digits of a timestamp text already known to be well formed. */
    static int fractionDigits(String text)
    {
        return text.length() == 20 ? 0 : text.length() - 21;
    }
}
