package org.vigie.pattern;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** A constant of a comparison: every literal type of STIX patterning, and the set of an IN comparison. */
public sealed interface Constant
{
    /** The constant written back in pattern syntax. */
    String toPatternText();

    record StringConstant(String value)
            implements Constant
    {
        public StringConstant
        {
            requireNonNull(value, "value is null");
        }

        @Override
        public String toPatternText()
        {
            return quote(value);
        }
    }

    record IntegerConstant(BigInteger value)
            implements Constant
    {
        public IntegerConstant
        {
            requireNonNull(value, "value is null");
        }

        @Override
        public String toPatternText()
        {
            return value.toString();
        }
    }

    record FloatConstant(BigDecimal value)
            implements Constant
    {
        public FloatConstant
        {
            requireNonNull(value, "value is null");
        }

        @Override
        public String toPatternText()
        {
            String text = value.toPlainString();
            return text.contains(".") ? text : text + ".0";
        }
    }

    record BooleanConstant(boolean value)
            implements Constant
    {
        @Override
        public String toPatternText()
        {
            return Boolean.toString(value);
        }
    }

    /** A timestamp t'...'; {@code text} keeps the written precision. */
    record TimestampConstant(Instant value, String text)
            implements Constant
    {
        public TimestampConstant
        {
            requireNonNull(value, "value is null");
            requireNonNull(text, "text is null");
        }

        @Override
        public String toPatternText()
        {
            return "t'" + text + "'";
        }
    }

    /** Bytes written as b'base64' or h'hex'; both compare against base64 binary properties. */
    record BinaryConstant(byte[] bytes, boolean writtenAsHex)
            implements Constant
    {
        public BinaryConstant
        {
            bytes = requireNonNull(bytes, "bytes is null").clone();
        }

        @Override
        public byte[] bytes()
        {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object other)
        {
            return other instanceof BinaryConstant that && Arrays.equals(bytes, that.bytes) && writtenAsHex == that.writtenAsHex;
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(bytes) * 31 + Boolean.hashCode(writtenAsHex);
        }

        @Override
        public String toString()
        {
            return "BinaryConstant[" + toPatternText() + "]";
        }

        @Override
        public String toPatternText()
        {
            return writtenAsHex ? "h'" + HexFormat.of().formatHex(bytes) + "'" : "b'" + Base64.getEncoder().encodeToString(bytes) + "'";
        }
    }

    /** The right-hand side of IN: possibly empty, elements of one type. */
    record SetConstant(List<Constant> elements)
            implements Constant
    {
        public SetConstant
        {
            elements = List.copyOf(requireNonNull(elements, "elements is null"));
        }

        @Override
        public String toPatternText()
        {
            StringBuilder text = new StringBuilder("(");
            for (int i = 0; i < elements.size(); i++) {
                if (i > 0) {
                    text.append(", ");
                }
                text.append(elements.get(i).toPatternText());
            }
            return text.append(')').toString();
        }
    }

    /** Quotes a string as a pattern string literal, escaping only quote and backslash. */
    static String quote(String value)
    {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
