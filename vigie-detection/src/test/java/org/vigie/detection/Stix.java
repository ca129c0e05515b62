package org.vigie.detection;

import org.vigie.stix.ScoIdentifiers;
import org.vigie.stix.StixObject;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** STIX 2.1 objects for detection tests: indicators, IPv4 and domain observables, observed-data and bundles. */
final class Stix
{
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private Stix() {}

    static String newId(String type)
    {
        return type + "--" + UUID.randomUUID();
    }

    static ObjectNode indicator(String id, String pattern, Instant modified)
    {
        ObjectNode indicator = StixJson.mapper().createObjectNode();
        indicator.put("type", "indicator");
        indicator.put("spec_version", "2.1");
        indicator.put("id", id);
        indicator.put("created", Timestamps.format(CREATED));
        indicator.put("modified", Timestamps.format(modified));
        indicator.put("pattern", pattern);
        indicator.put("pattern_type", "stix");
        indicator.put("valid_from", Timestamps.format(CREATED));
        return indicator;
    }

    static ObjectNode revoked(ObjectNode indicator, Instant modified)
    {
        ObjectNode copy = indicator.deepCopy();
        copy.put("modified", Timestamps.format(modified));
        copy.put("revoked", true);
        return copy;
    }

    static ObjectNode validUntil(ObjectNode indicator, Instant until)
    {
        ObjectNode copy = indicator.deepCopy();
        copy.put("valid_until", Timestamps.format(until));
        return copy;
    }

    static StixObject stixObject(JsonNode object)
    {
        return StixObject.fromTree(object, StixJson.compact(object));
    }

    static List<StixObject> stixObjects(JsonNode... objects)
    {
        List<StixObject> result = new ArrayList<>();
        for (JsonNode object : objects) {
            result.add(stixObject(object));
        }
        return result;
    }

    static ObjectNode ipv4(String address)
    {
        return sco("ipv4-addr", address);
    }

    static ObjectNode domain(String name)
    {
        return sco("domain-name", name);
    }

    private static ObjectNode sco(String type, String value)
    {
        ObjectNode sco = StixJson.mapper().createObjectNode();
        sco.put("type", type);
        sco.put("spec_version", "2.1");
        sco.put("value", value);
        sco.put("id", ScoIdentifiers.deterministicId(sco).orElseThrow());
        // The id was computed without itself; put it first for readability.
        ObjectNode ordered = StixJson.mapper().createObjectNode();
        ordered.put("type", type);
        ordered.put("spec_version", "2.1");
        ordered.put("id", sco.get("id").stringValue());
        ordered.put("value", value);
        return ordered;
    }

    static ObjectNode observedData(Instant observed, JsonNode... scos)
    {
        ObjectNode observedData = StixJson.mapper().createObjectNode();
        observedData.put("type", "observed-data");
        observedData.put("spec_version", "2.1");
        observedData.put("id", newId("observed-data"));
        observedData.put("created", Timestamps.format(observed));
        observedData.put("modified", Timestamps.format(observed));
        observedData.put("first_observed", Timestamps.format(observed));
        observedData.put("last_observed", Timestamps.format(observed));
        observedData.put("number_observed", 1);
        var references = observedData.putArray("object_refs");
        for (JsonNode sco : scos) {
            references.add(sco.get("id").stringValue());
        }
        return observedData;
    }

    static ObjectNode bundle(List<? extends JsonNode> objects)
    {
        ObjectNode bundle = StixJson.mapper().createObjectNode();
        bundle.put("type", "bundle");
        bundle.put("id", newId("bundle"));
        var array = bundle.putArray("objects");
        objects.forEach(array::add);
        return bundle;
    }

    /** One observation of one observable: the observed-data followed by the observable, as a request sends them. */
    static List<JsonNode> observation(Instant observed, ObjectNode sco)
    {
        return List.of(observedData(observed, sco), sco);
    }

    static Optional<JsonNode> find(List<JsonNode> objects, String id)
    {
        return objects.stream().filter(object -> object.path("id").asString("").equals(id)).findFirst();
    }
}
