package org.vigie.stix.json;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration used to read STIX: floating-point numbers are kept as exact decimals
 * (so that no digit of a producer's number is lost when an object is stored and served again), and
 * duplicate property names are rejected (a parser would otherwise silently drop one of them).
 */
public final class StixJson
{
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    // Reads one value out of a longer stream (the objects of a bundle), so content after it is expected.
    private static final ObjectReader VALUE_READER = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StixJson() {}

    /** Reads the value at the parser's current token into a tree, leaving the parser after it. */
    public static JsonNode readValue(JsonParser parser)
    {
        return VALUE_READER.readTree(parser);
    }

    /** The shared, thread-safe mapper with the STIX reading configuration. */
    public static JsonMapper mapper()
    {
        return MAPPER;
    }

    /** Parses JSON text into a tree; malformed text fails with INVALID_JSON naming line and column. */
    public static JsonNode parse(String json)
    {
        try {
            return MAPPER.readTree(json);
        }
        catch (JacksonException e) {
            throw invalidJson(e);
        }
    }

    /** The compact JSON text of a tree, keeping its property order. */
    public static String compact(JsonNode node)
    {
        try {
            return MAPPER.writeValueAsString(node);
        }
        catch (JacksonException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "cannot write JSON tree: " + e.getOriginalMessage(), e);
        }
    }

    /** Converts a Jackson failure into the error Vigie reports, naming where in the text it happened. */
    public static VigieException invalidJson(JacksonException e)
    {
        TokenStreamLocation location = e.getLocation();
        String where = location == null || location == TokenStreamLocation.NA
                ? "at an unknown position"
                : "at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new VigieException(ErrorCode.INVALID_JSON, "malformed JSON " + where + ": " + e.getOriginalMessage(), e);
    }
}
