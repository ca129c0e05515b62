package org.vigie.exchange.marking;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import tools.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

final class InMemoryMarkingResolver
        implements MarkingResolver
{
    private final Map<String, JsonNode> definitions = new HashMap<>();
    private final Map<String, String> origins;

    InMemoryMarkingResolver(Collection<JsonNode> markingDefinitions, Map<String, String> originPartnerByObjectId)
    {
        for (JsonNode definition : markingDefinitions) {
            JsonNode id = definition.get("id");
            if (id == null || !id.isString()) {
                throw new VigieException(ErrorCode.INVALID_STIX, "marking-definition without a string id: " + definition);
            }
            definitions.put(id.stringValue(), definition);
        }
        this.origins = Map.copyOf(originPartnerByObjectId);
    }

    @Override
    public Optional<JsonNode> markingDefinition(String markingId)
    {
        return Optional.ofNullable(definitions.get(markingId));
    }

    @Override
    public Optional<String> originPartner(String objectId)
    {
        return Optional.ofNullable(origins.get(objectId));
    }
}
