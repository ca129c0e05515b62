package org.vigie.stix.markings;

import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The Traffic Light Protocol marking definitions: TLP 2.0 as OASIS publishes them (marking
 * definitions carrying the TLP 2.0 extension {@value #TLP_2_EXTENSION_DEFINITION_ID}) and the four
 * TLP 1.0 marking definitions predefined by STIX 2.1 section 7.2.1.4.
 */
public final class TlpMarkings
{
    /** The OASIS extension-definition that TLP 2.0 marking definitions carry. */
    public static final String TLP_2_EXTENSION_DEFINITION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    // STIX 2.1 section 7.2.1.4: the predefined TLP 1.0 marking definitions.
    private static final Map<String, String> VERSION_1_IDS = Map.of(
            "white", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
            "green", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
            "amber", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
            "red", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed");

    /** A TLP 2.0 level, most open first. */
    public enum Tlp
    {
        CLEAR("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear", "white"),
        GREEN("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green", "green"),
        AMBER("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber", "amber"),
        AMBER_STRICT("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict", null),
        RED("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red", "red");

        private final String id;
        private final String level;
        private final String version1Color;
        private final String json;

        Tlp(String id, String level, String version1Color)
        {
            this.id = requireNonNull(id, "id is null");
            this.level = requireNonNull(level, "level is null");
            this.version1Color = version1Color;
            // Property order as OASIS publishes these objects.
            this.json = "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\","
                    + "\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:" + level.toUpperCase(java.util.Locale.ROOT) + "\","
                    + "\"extensions\":{\"" + TLP_2_EXTENSION_DEFINITION_ID + "\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"" + level + "\"}}}";
        }

        /** The marking-definition id OASIS assigned to this level. */
        public String id()
        {
            return id;
        }

        /** The TLP 2.0 level name as the extension writes it (clear, green, amber, amber+strict, red). */
        public String level()
        {
            return level;
        }

        /** The full marking-definition object, compact JSON. */
        public String json()
        {
            return json;
        }

        /** The marking-definition object as a tree (a fresh copy each call). */
        public JsonNode tree()
        {
            return StixJson.parse(json);
        }

        /** The id of the TLP 1.0 marking definition of the same meaning, when there is one (none for AMBER+STRICT). */
        public Optional<String> version1Id()
        {
            return version1Color == null ? Optional.empty() : Optional.of(VERSION_1_IDS.get(version1Color));
        }

        /** The level of a TLP 2.0 or TLP 1.0 marking-definition id (TLP 1.0 WHITE reads as CLEAR). */
        public static Optional<Tlp> fromMarkingId(String markingId)
        {
            return TlpMarkings.fromMarkingId(markingId);
        }
    }

    private TlpMarkings() {}

    /**
     * The TLP level a marking-definition id stands for: the five TLP 2.0 ids, and the four TLP 1.0
     * ids of STIX 2.1 (white is read as CLEAR, its TLP 2.0 successor). Empty for any other id.
     */
    public static Optional<Tlp> fromMarkingId(String markingId)
    {
        if (markingId == null) {
            return Optional.empty();
        }
        for (Tlp tlp : Tlp.values()) {
            if (tlp.id.equals(markingId) || tlp.version1Id().map(markingId::equals).orElse(false)) {
                return Optional.of(tlp);
            }
        }
        return Optional.empty();
    }

    /** Whether an id is one of the four TLP 1.0 marking definitions predefined by STIX 2.1. */
    public static boolean isVersion1MarkingId(String markingId)
    {
        return VERSION_1_IDS.containsValue(markingId);
    }

    /** The predefined TLP 1.0 marking-definition id of a color (white, green, amber, red). */
    public static Optional<String> version1MarkingId(String color)
    {
        return Optional.ofNullable(VERSION_1_IDS.get(color));
    }

    /** The predefined TLP 1.0 marking-definition object of a color, compact JSON, as STIX 2.1 section 7.2.1.4 gives it. */
    public static Optional<String> version1Json(String color)
    {
        return version1MarkingId(color).map(id -> "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\","
                + "\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"tlp\",\"name\":\"TLP:" + color.toUpperCase(java.util.Locale.ROOT) + "\","
                + "\"definition\":{\"tlp\":\"" + color + "\"}}");
    }
}
