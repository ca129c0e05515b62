package org.vigie.exchange.testing;

import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** STIX objects for exchange tests. */
public final class TestObjects
{
    public static final Instant CREATED = Instant.parse("2026-04-01T09:00:00Z");

    private TestObjects() {}

    public static String id(String type, int number)
    {
        return type + "--" + UUID.nameUUIDFromBytes((type + number).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An indicator marked with a TLP level and any further marking-definition ids. */
    public static ObjectNode indicator(int number, Tlp tlp, String... moreMarkingIds)
    {
        return indicator(number, "2026-04-01T09:00:00.000Z", tlp, moreMarkingIds);
    }

    public static ObjectNode indicator(int number, String modified, Tlp tlp, String... moreMarkingIds)
    {
        ObjectNode indicator = (ObjectNode) StixJson.parse("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id("indicator", number) + "\","
                + "\"created\":\"2026-04-01T09:00:00.000Z\",\"modified\":\"" + modified + "\",\"name\":\"indicator " + number + "\","
                + "\"pattern\":\"[ipv4-addr:value = '198.51.100." + (number % 250) + "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-04-01T09:00:00Z\"}");
        ArrayNode markings = indicator.putArray("object_marking_refs");
        markings.add(tlp.markingId());
        for (String markingId : moreMarkingIds) {
            markings.add(markingId);
        }
        return indicator;
    }

    /** A Vigie handling marking-definition. */
    public static ObjectNode marking(VigieMarking marking)
    {
        return marking.toMarkingDefinition(CREATED, "identity--8b12fb2d-36af-4aba-aca1-fc903b2ee50e");
    }

    public static ObjectNode sighting(int number, String sightedId)
    {
        return (ObjectNode) StixJson.parse("{\"type\":\"sighting\",\"spec_version\":\"2.1\",\"id\":\"" + id("sighting", number) + "\","
                + "\"created\":\"2026-04-02T09:00:00.000Z\",\"modified\":\"2026-04-02T09:00:00.000Z\",\"count\":3,"
                + "\"sighting_of_ref\":\"" + sightedId + "\",\"object_marking_refs\":[\"" + Tlp.AMBER.markingId() + "\"]}");
    }

    public static String idOf(JsonNode object)
    {
        return object.path("id").asString("");
    }

    public static List<String> ids(List<? extends JsonNode> objects)
    {
        return objects.stream().map(TestObjects::idOf).toList();
    }
}
