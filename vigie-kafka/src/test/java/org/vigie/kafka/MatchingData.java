package org.vigie.kafka;

import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Indicators and observations for matching tests: indicator {@code i} matches IPv4 address {@code 10.<i>}
 * (two octets from i); observation {@code j} carries one ipv4-addr, matching indicator {@code j % indicators}
 * exactly when {@code matches(j)}, else an address in 192.168/16 that no indicator names.
 */
final class MatchingData
{
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant OBSERVED = Instant.parse("2026-05-31T12:00:00Z");

    private MatchingData() {}

    static String indicatorId(int index)
    {
        return "indicator--" + new UUID(0x1d1cL << 48 | index, 0x8000_0000_0000_0000L | index);
    }

    static String observedDataId(int index)
    {
        return "observed-data--" + new UUID(0x0b5eL << 48 | index, 0x8000_0000_0000_0000L | index);
    }

    static String addressId(int index)
    {
        return "ipv4-addr--" + new UUID(0xadd7L << 48 | index, 0x8000_0000_0000_0000L | index);
    }

    static String indicatorAddress(int index)
    {
        return "10.0." + (index / 250) + "." + (index % 250 + 1);
    }

    static StixObject indicator(int index, Instant modified)
    {
        return StixObject.fromJson("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + indicatorId(index) + "\""
                + ",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"" + modified + "\""
                + ",\"pattern\":\"[ipv4-addr:value = '" + indicatorAddress(index) + "']\",\"pattern_type\":\"stix\""
                + ",\"valid_from\":\"2026-01-01T00:00:00Z\"}");
    }

    static StixObject indicator(int index)
    {
        return indicator(index, Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** One in {@code every} observations matches. */
    static boolean matches(int observation, int every)
    {
        return observation % every == 0;
    }

    /** The observed-data and its address for observation {@code index}. */
    static List<JsonNode> observation(int index, String address)
    {
        JsonNode observedData = StixJson.parse("{\"type\":\"observed-data\",\"spec_version\":\"2.1\",\"id\":\"" + observedDataId(index) + "\""
                + ",\"created\":\"2026-05-31T12:00:00.000Z\",\"modified\":\"2026-05-31T12:00:00.000Z\""
                + ",\"first_observed\":\"" + OBSERVED + "\",\"last_observed\":\"" + OBSERVED + "\",\"number_observed\":1"
                + ",\"object_refs\":[\"" + addressId(index) + "\"]}");
        JsonNode address0 = StixJson.parse("{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"" + addressId(index) + "\",\"value\":\"" + address + "\"}");
        return List.of(observedData, address0);
    }

    /** Observation {@code index} of a stream over {@code indicators} indicators where one in {@code every} matches. */
    static List<JsonNode> observation(int index, int indicators, int every)
    {
        String address = matches(index, every)
                ? indicatorAddress(index % indicators)
                : "192.168." + (index / 250 % 250) + "." + (index % 250 + 1);
        return observation(index, address);
    }
}
