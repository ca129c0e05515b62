package org.vigie.exchange.policy;

import tools.jackson.databind.JsonNode;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One object offered for release, with the collection it is released from (rules may select on it). */
public record ReleaseItem(JsonNode object, Optional<String> collectionId)
{
    public ReleaseItem
    {
        requireNonNull(object, "object is null");
        requireNonNull(collectionId, "collectionId is null");
    }

    public static ReleaseItem of(JsonNode object, String collectionId)
    {
        return new ReleaseItem(object, Optional.of(collectionId));
    }

    public String id()
    {
        return object.path("id").asString("");
    }
}
