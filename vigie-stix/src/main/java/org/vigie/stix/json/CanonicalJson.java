package org.vigie.stix.json;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme of RFC 8785: object properties sorted by the UTF-16 code units of
 * their names, numbers written as ECMAScript writes an IEEE 754 double, strings with the minimal
 * escaping, no whitespace. Used for deterministic SCO identifiers and for signed content.
 */
public final class CanonicalJson
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    // Integers of at most this magnitude are exact doubles and print without going through BigDecimal.
    private static final long EXACT_INTEGER_LIMIT = 1L << 53;

    private CanonicalJson() {}

    /** The canonical text of a JSON tree. */
    public static String canonicalize(JsonNode node)
    {
        StringBuilder out = new StringBuilder(128);
        write(node, out);
        return out.toString();
    }

    /** The canonical text of a JSON tree, UTF-8 encoded (rejects strings holding unpaired surrogates). */
    public static byte[] canonicalBytes(JsonNode node)
    {
        String text = canonicalize(node);
        for (int i = 0; i < text.length(); i++) {
            char character = text.charAt(i);
            if (Character.isHighSurrogate(character) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            }
            else if (Character.isSurrogate(character)) {
                throw new VigieException(ErrorCode.INVALID_JSON, "cannot canonicalize JSON: a string holds an unpaired UTF-16 surrogate at character " + i);
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder out)
    {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonNode element : node) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(element, out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.stringValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            case BINARY, POJO, MISSING -> throw new VigieException(ErrorCode.INVALID_JSON, "cannot canonicalize a JSON node of type " + node.getNodeType());
        }
    }

    private static void writeObject(JsonNode node, StringBuilder out)
    {
        List<Map.Entry<String, JsonNode>> properties = new ArrayList<>(node.properties());
        // String.compareTo compares UTF-16 code units, exactly the order RFC 8785 requires.
        properties.sort(Map.Entry.comparingByKey());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> property : properties) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(property.getKey(), out);
            out.append(':');
            write(property.getValue(), out);
        }
        out.append('}');
    }

    /** Writes a JSON string with RFC 8785's escaping: only quote, backslash and control characters. */
    public static void writeString(String value, StringBuilder out)
    {
        out.append('"');
        // Most strings need no escaping: copy the run before the first character that does in one go.
        int plain = 0;
        while (plain < value.length() && value.charAt(plain) >= 0x20 && value.charAt(plain) != '"' && value.charAt(plain) != '\\') {
            plain++;
        }
        out.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char character = value.charAt(i);
            switch (character) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (character < 0x20) {
                        out.append("\\u00").append(HEX[character >> 4]).append(HEX[character & 0xF]);
                    }
                    else {
                        out.append(character);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void writeNumber(JsonNode node, StringBuilder out)
    {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            long value = node.longValue();
            if (Math.abs(value) <= EXACT_INTEGER_LIMIT) {
                out.append(value);
                return;
            }
        }
        double value = node.isBigDecimal() || node.isBigInteger() ? node.decimalValue().doubleValue() : node.doubleValue();
        out.append(formatDouble(value));
    }

    /**
     * Formats a double as ECMAScript's Number.prototype.toString does (ECMA-262 section 7.1.12.1):
     * the shortest decimal digits that read back as the same double, then plain or exponent notation.
     */
    public static String formatDouble(double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new VigieException(ErrorCode.INVALID_JSON, "cannot canonicalize the number " + value + ": JSON has no NaN or infinity");
        }
        if (value == 0) {
            return "0";
        }
        if (value < 0) {
            return "-" + formatDouble(-value);
        }
        BigDecimal shortest = shortestDecimal(value);
        String digits = shortest.unscaledValue().toString();
        // Strip trailing zeros of the digit string; they belong to the exponent.
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        int k = end;
        digits = digits.substring(0, k);
        // value = 0.d1d2...dk * 10^n, so n is the position of the decimal point.
        int n = shortest.precision() - shortest.scale();
        StringBuilder out = new StringBuilder(24);
        if (k <= n && n <= 21) {
            out.append(digits);
            out.append("0".repeat(n - k));
        }
        else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        }
        else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        }
        else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }

    // Java 17's Double.toString is not always the shortest round-trip form, so search the precision.
    private static BigDecimal shortestDecimal(double value)
    {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == value) {
                return candidate;
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }
}
