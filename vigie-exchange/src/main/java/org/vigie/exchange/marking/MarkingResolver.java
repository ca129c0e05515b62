package org.vigie.exchange.marking;

import tools.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Markings#of} needs beyond the object itself: marking-definition objects by id, and
 * the partner an object was received from (its origin, which decides re-release). Backed by the
 * store in the node; {@link #of} builds an in-memory one.
 */
public interface MarkingResolver
{
    /** The marking-definition object with this id, if this node knows it. */
    Optional<JsonNode> markingDefinition(String markingId);

    /** The id of the partner this object was received from; empty for objects produced by this node. */
    Optional<String> originPartner(String objectId);

    /** An immutable resolver over these marking definitions and origins (object id to partner id). */
    static MarkingResolver of(Collection<JsonNode> markingDefinitions, Map<String, String> originPartnerByObjectId)
    {
        return new InMemoryMarkingResolver(markingDefinitions, originPartnerByObjectId);
    }
}
