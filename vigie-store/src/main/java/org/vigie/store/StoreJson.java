package org.vigie.store;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The JSON text of list-valued columns (media types, rights, status details), in list order. */
final class StoreJson
{
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StoreJson() {}

    static String strings(List<String> values)
    {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return MAPPER.writeValueAsString(array);
    }

    static List<String> parseStrings(String text)
    {
        List<String> values = new ArrayList<>();
        for (JsonNode node : MAPPER.readTree(text)) {
            values.add(node.asString());
        }
        return List.copyOf(values);
    }

    static String details(List<TaxiiStatus.Detail> details)
    {
        ArrayNode array = MAPPER.createArrayNode();
        for (TaxiiStatus.Detail detail : details) {
            ObjectNode node = array.addObject();
            node.put("id", detail.id());
            detail.version().ifPresent(version -> node.put("version", version));
            detail.message().ifPresent(message -> node.put("message", message));
        }
        return MAPPER.writeValueAsString(array);
    }

    static List<TaxiiStatus.Detail> parseDetails(String text)
    {
        List<TaxiiStatus.Detail> details = new ArrayList<>();
        for (JsonNode node : MAPPER.readTree(text)) {
            details.add(new TaxiiStatus.Detail(
                    node.get("id").asString(),
                    Optional.ofNullable(node.get("version")).map(JsonNode::asString),
                    Optional.ofNullable(node.get("message")).map(JsonNode::asString)));
        }
        return List.copyOf(details);
    }
}
