package org.vigie.kafka;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.Observation;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of an observation record: a JSON array whose first element is the observed-data and the others
 * the objects it references (directly or through their own references), so that a worker can resolve it alone.
 */
final class ObservationRecords
{
    private ObservationRecords() {}

    static String encode(JsonNode observedData, List<JsonNode> objects)
    {
        if (!"observed-data".equals(observedData.path("type").asString(null)) || !observedData.path("id").isString()) {
            throw new VigieException(ErrorCode.INVALID_STIX, "observation log: expected an observed-data object with an id, got type " + observedData.path("type"));
        }
        ArrayNode array = StixJson.mapper().createArrayNode();
        array.add(observedData);
        objects.forEach(array::add);
        return StixJson.compact(array);
    }

    /** The objects of {@code objects} that {@code observedData} reaches through its {@code *_ref(s)} properties. */
    static List<JsonNode> reachable(JsonNode observedData, Map<String, JsonNode> objects)
    {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.add(observedData);
        while (!pending.isEmpty()) {
            List<String> references = new ArrayList<>();
            collectReferences(pending.removeFirst(), references);
            for (String reference : references) {
                JsonNode object = objects.get(reference);
                if (object != null && !found.containsKey(reference) && object != observedData) {
                    found.put(reference, object);
                    pending.add(object);
                }
            }
        }
        return List.copyOf(found.values());
    }

    private static void collectReferences(JsonNode node, List<String> references)
    {
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            JsonNode value = property.getValue();
            if (name.endsWith("_ref") && value.isString()) {
                references.add(value.stringValue());
            }
            else if (name.endsWith("_refs") && value.isArray()) {
                value.forEach(element -> {
                    if (element.isString()) {
                        references.add(element.stringValue());
                    }
                });
            }
            else if (value.isObject()) {
                // Extensions and embedded dictionaries hold references too (e.g. network-traffic extensions).
                collectReferences(value, references);
            }
        }
    }

    /** Resolves a record's observed-data against the objects that travel with it. */
    static Observation decode(String topic, int partition, long offset, String value)
    {
        JsonNode array;
        try {
            array = StixJson.parse(value == null ? "null" : value);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_JSON, "kafka topic " + topic + " partition " + partition + " offset " + offset + ": not an observation record: " + e.getMessage(), e);
        }
        if (!array.isArray() || array.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_STIX, "kafka topic " + topic + " partition " + partition + " offset " + offset + ": not an observation record: expected a non-empty JSON array");
        }
        Map<String, JsonNode> byId = new HashMap<>();
        for (int index = 1; index < array.size(); index++) {
            JsonNode object = array.get(index);
            if (object.path("id").isString()) {
                byId.put(object.get("id").stringValue(), object);
            }
        }
        return Observation.of(array.get(0), byId);
    }
}
