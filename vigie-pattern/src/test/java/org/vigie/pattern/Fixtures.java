package org.vigie.pattern;

import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Builds observed-data objects and their SCOs for tests. */
public final class Fixtures
{
    private Fixtures() {}

    /** An observed-data (2.1 form, object_refs) at one instant, followed by its SCOs; SCO JSON without id gets one. */
    public static List<JsonNode> observedData(String id, String time, long numberObserved, String... scos)
    {
        return observedData(id, time, time, numberObserved, scos);
    }

    public static List<JsonNode> observedData(String id, String first, String last, long numberObserved, String... scos)
    {
        List<JsonNode> result = new ArrayList<>();
        ObjectNode observed = StixJson.mapper().createObjectNode();
        observed.put("type", "observed-data");
        observed.put("spec_version", "2.1");
        observed.put("id", id);
        observed.put("created", first);
        observed.put("modified", first);
        observed.put("first_observed", first);
        observed.put("last_observed", last);
        observed.put("number_observed", numberObserved);
        ArrayNode references = observed.putArray("object_refs");
        result.add(observed);
        int index = 0;
        for (String sco : scos) {
            ObjectNode object = (ObjectNode) StixJson.parse(sco);
            if (!object.has("id")) {
                object.put("id", object.get("type").stringValue() + "--" + java.util.UUID.nameUUIDFromBytes((id + "/" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            index++;
            // Objects only referenced by others (marked "referenced": true) are not in object_refs.
            if (object.path("referenced").asBoolean(false)) {
                object.remove("referenced");
            }
            else {
                references.add(object.get("id").stringValue());
            }
            result.add(object);
        }
        return result;
    }

    public static Observation observation(String time, String... scos)
    {
        return Observation.fromObjects(observedData("observed-data--00000000-0000-4000-8000-000000000001", time, 1, scos)).get(0);
    }

    public static boolean matches(String pattern, Observation observation)
    {
        return !CompiledPattern.parse(pattern).evaluate(List.of(observation)).isEmpty();
    }
}
