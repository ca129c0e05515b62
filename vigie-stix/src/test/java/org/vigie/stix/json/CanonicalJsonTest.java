package org.vigie.stix.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalJsonTest
{
    // RFC 8785 appendix B: IEEE 754 bit patterns and their ECMAScript serialisation.
    @ParameterizedTest
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2"})
    void numbersOfRfc8785(String bits, String expected)
    {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        assertThat(CanonicalJson.formatDouble(value)).isEqualTo(expected);
        // The same through a parsed tree (exact decimals read from text).
        assertThat(CanonicalJson.canonicalize(StixJson.parse("[" + expected + "]"))).isEqualTo("[" + expected + "]");
    }

    @Test
    void exampleOfRfc8785Section322()
    {
        String input = "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
                + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\", \"literals\": [null, true, false]}";
        assertThat(CanonicalJson.canonicalize(StixJson.parse(input))).isEqualTo(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void sortingOfRfc8785Section323()
    {
        String input = "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\","
                + " \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\", \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
        String canonical = CanonicalJson.canonicalize(StixJson.parse(input));
        assertThat(canonical).startsWith("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":");
        assertThat(canonical.indexOf("Euro Sign")).isLessThan(canonical.indexOf("Emoji")).isLessThan(canonical.indexOf("Hebrew"));
        assertThat(CanonicalJson.canonicalBytes(StixJson.parse(input))).isEqualTo(canonical.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void randomDoublesAreShortestAndReadBack()
    {
        Random random = new Random(8785);
        for (int i = 0; i < 5_000; i++) {
            double value = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            String text = CanonicalJson.formatDouble(value);
            assertThat(Double.parseDouble(text)).as("read back of %s", text).isEqualTo(value == 0 ? 0.0 : value);
            // No decimal with fewer significant digits reads back as the same double.
            String digits = new BigDecimal(text).stripTrailingZeros().unscaledValue().abs().toString();
            if (digits.length() > 1) {
                BigDecimal shorter = new BigDecimal(value).round(new MathContext(digits.length() - 1, RoundingMode.HALF_EVEN));
                assertThat(shorter.doubleValue()).as("shorter form of %s", text).isNotEqualTo(value);
            }
        }
    }

    @Test
    void unpairedSurrogateCannotBeEncoded()
    {
        assertThatThrownBy(() -> CanonicalJson.canonicalBytes(StixJson.parse("[\"\\ud800\"]")))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON));
    }
}
