package org.vigie.console;

import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns an object's {@code object_marking_refs} into the badges the console draws: the TLP level
 * (TLP 2.0 and the STIX TLP 1.0 ids), and the Vigie handling extension's handling code, PAP and
 * evaluation code when the marking-definition is known to the index.
 */
final class MarkingBadges
{
    // docs/EXCHANGE.md: the Vigie handling extension-definition; fixed forever, partners key on it.
    static final String VIGIE_EXTENSION_ID = "extension-definition--c4441615-5ef7-4008-a6c6-c84b86926fd7";

    private MarkingBadges() {}

    /** The properties of a marking-definition the badges show: tlp, handling_code, handling_condition, pap, evaluation. */
    static Map<String, String> definitionProperties(JsonNode definition)
    {
        Map<String, String> properties = new TreeMap<>();
        JsonNode extensions = definition.get("extensions");
        if (extensions != null && extensions.isObject()) {
            JsonNode tlp = extensions.get(TlpMarkings.TLP_2_EXTENSION_DEFINITION_ID);
            if (tlp != null && tlp.get("tlp_2_0") != null && tlp.get("tlp_2_0").isString()) {
                properties.put("tlp", tlp.get("tlp_2_0").stringValue());
            }
            JsonNode vigie = extensions.get(VIGIE_EXTENSION_ID);
            if (vigie != null && vigie.isObject()) {
                for (String property : List.of("handling_code", "handling_condition", "pap", "evaluation")) {
                    JsonNode value = vigie.get(property);
                    if (value != null && value.isString()) {
                        properties.put(property, value.stringValue());
                    }
                }
            }
        }
        JsonNode definitionBody = definition.get("definition");
        if (definitionBody != null && definitionBody.get("tlp") != null && definitionBody.get("tlp").isString()) {
            String color = definitionBody.get("tlp").stringValue();
            properties.put("tlp", color.equals("white") ? "clear" : color);
        }
        return properties;
    }

    /** Badges for marking references; {@code definitions} finds a readable marking-definition by id. */
    static ArrayNode badges(List<String> markingRefs, Function<String, Optional<IndexEntry>> definitions)
    {
        ArrayNode badges = ConsoleJson.MAPPER.createArrayNode();
        for (String reference : markingRefs) {
            Optional<TlpMarkings.Tlp> tlp = TlpMarkings.fromMarkingId(reference);
            if (tlp.isPresent()) {
                badge(badges, "tlp", tlp.get().level(), reference);
                continue;
            }
            Optional<IndexEntry> definition = definitions.apply(reference);
            if (definition.isEmpty() || definition.get().markingProperties().isEmpty()) {
                badge(badges, "marking", "unresolved", reference);
                continue;
            }
            Map<String, String> properties = definition.get().markingProperties();
            if (properties.containsKey("tlp")) {
                badge(badges, "tlp", properties.get("tlp"), reference);
            }
            if (properties.containsKey("handling_code")) {
                ObjectNode handling = badge(badges, "handling", properties.get("handling_code"), reference);
                if (properties.containsKey("handling_condition")) {
                    handling.put("detail", properties.get("handling_condition"));
                }
            }
            if (properties.containsKey("pap")) {
                badge(badges, "pap", properties.get("pap"), reference);
            }
            if (properties.containsKey("evaluation")) {
                badge(badges, "evaluation", properties.get("evaluation"), reference);
            }
        }
        return badges;
    }

    private static ObjectNode badge(ArrayNode badges, String kind, String value, String reference)
    {
        ObjectNode badge = badges.addObject();
        badge.put("kind", kind);
        badge.put("value", value);
        badge.put("marking_ref", reference);
        return badge;
    }
}
