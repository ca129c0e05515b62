package org.vigie.exchange.canonical;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation of a Jackson tree: properties sorted by
 * their UTF-16 code units, no whitespace, strings escaped as ECMAScript {@code JSON.stringify} does,
 * numbers written as ECMAScript writes IEEE 754 doubles.
 *
 * <p>Interim copy: vigie-stix is adding {@code org.vigie.stix.json.CanonicalJson}; once it is
 * installed this class should delegate to it. Numbers are written in the shortest form that reads
 * back as the same double (searched digit by digit, since Java 17's {@code Double.toString} is not
 * always shortest).
 */
public final class CanonicalJson
{
    private static final HexFormat HEX = HexFormat.of();

    private CanonicalJson() {}

    public static byte[] canonicalBytes(JsonNode node)
    {
        return canonicalString(node).getBytes(StandardCharsets.UTF_8);
    }

    public static String canonicalString(JsonNode node)
    {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString();
    }

    /** Lower-case hex SHA-256 of the canonical bytes. */
    public static String sha256Hex(JsonNode node)
    {
        return HEX.formatHex(sha256(canonicalBytes(node)));
    }

    public static byte[] sha256(byte[] bytes)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (NoSuchAlgorithmException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "SHA-256 is not available in this JVM", e);
        }
    }

    private static void write(JsonNode node, StringBuilder out)
    {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        }
        else if (node.isBoolean()) {
            out.append(node.booleanValue() ? "true" : "false");
        }
        else if (node.isString()) {
            writeString(node.stringValue(), out);
        }
        else if (node.isNumber()) {
            out.append(number(node));
        }
        else if (node.isArray()) {
            out.append('[');
            boolean first = true;
            for (JsonNode element : node.values()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(element, out);
            }
            out.append(']');
        }
        else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
            // String.compareTo compares UTF-16 code units, which is exactly the order RFC 8785 asks for.
            entries.sort(Map.Entry.comparingByKey());
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> entry : entries) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(entry.getKey(), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        }
        else {
            throw new VigieException(ErrorCode.INVALID_JSON, "cannot canonicalise JSON node of type " + node.getNodeType());
        }
    }

    private static void writeString(String value, StringBuilder out)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String number(JsonNode node)
    {
        double value = node.doubleValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new VigieException(ErrorCode.INVALID_JSON, "JSON number " + node + " cannot be canonicalised: not a finite IEEE 754 double");
        }
        return formatDouble(value);
    }

    /**
     * The shortest decimal that reads back as this double, nearest to it among equally short ones.
     * Java 17's Double.toString is not always shortest (4.9E-324 for 5e-324), hence the search.
     */
    private static BigDecimal shortest(double positive)
    {
        if (positive == Math.rint(positive) && positive < 0x1p53) {
            return new BigDecimal((long) positive).stripTrailingZeros();
        }
        BigDecimal exact = new BigDecimal(positive);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == positive) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** ECMAScript Number::toString for a finite double. */
    static String formatDouble(double value)
    {
        if (value == 0) {
            return "0";
        }
        String sign = value < 0 ? "-" : "";
        BigDecimal decimal = shortest(Math.abs(value));
        String digits = decimal.unscaledValue().toString();
        int k = digits.length();
        // value = 0.digits * 10^n
        int n = k - decimal.scale();
        StringBuilder out = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
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
}
