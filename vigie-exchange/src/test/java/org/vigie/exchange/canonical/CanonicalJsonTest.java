package org.vigie.exchange.canonical;

import org.junit.jupiter.api.Test;
import org.vigie.stix.json.StixJson;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalJsonTest
{
    @Test
    void sortsPropertiesByUtf16CodeUnitsAndDropsWhitespace()
    {
        // RFC 8785 section 3.2.3 ordering example: code units, not code points (the emoji sorts before U+FB33).
        String input = "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", "
                + "\"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\", \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";

        String canonical = CanonicalJson.canonicalString(StixJson.parse(input));

        assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void escapesOnlyWhatJsonStringifyEscapes()
    {
        String canonical = CanonicalJson.canonicalString(StixJson.parse("[\"\\u0001\\b\\f\\n\\r\\t\\\"\\\\/\\u00e9\"]"));

        assertThat(canonical).isEqualTo("[\"\\u0001\\b\\f\\n\\r\\t\\\"\\\\/\u00e9\"]");
    }

    @Test
    void writesNumbersAsEcmaScriptDoes()
    {
        // Values from RFC 8785 appendix B.
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(0)).isEqualTo("0");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(-0.0)).isEqualTo("0");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(1e21)).isEqualTo("1e+21");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(1e20)).isEqualTo("100000000000000000000");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(9007199254740991d)).isEqualTo("9007199254740991");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(-9007199254740991d)).isEqualTo("-9007199254740991");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(1e-7)).isEqualTo("1e-7");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(0.000001)).isEqualTo("0.000001");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(333333333.3333333)).isEqualTo("333333333.3333333");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(5e-324)).isEqualTo("5e-324");
        assertThat(org.vigie.stix.json.CanonicalJson.formatDouble(1.7976931348623157e308)).isEqualTo("1.7976931348623157e+308");
        assertThat(CanonicalJson.canonicalString(StixJson.parse("{\"a\":[1.50, 10, -2.5e3, true, null]}"))).isEqualTo("{\"a\":[1.5,10,-2500,true,null]}");
    }

    @Test
    void equalTreesHashEquallyWhateverTheirPropertyOrder()
    {
        assertThat(CanonicalJson.sha256Hex(StixJson.parse("{\"b\":1,\"a\":{\"y\":2,\"x\":[3]}}")))
                .isEqualTo(CanonicalJson.sha256Hex(StixJson.parse("{ \"a\" : {\"x\":[3], \"y\":2}, \"b\" : 1 }")))
                .hasSize(64);
    }
}
