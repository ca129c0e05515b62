package org.vigie.exchange.policy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one partner gets: the released objects (references to withheld objects cut), the decision
 * for every offered object, and the cut references.
 *
 * @param objects released objects in the order offered, followed by the marking-definitions they
 * reference, sorted by id
 * @param decisions one per offered object that is not a marking-definition, in the order offered
 * @param withheldReferences sorted
 * @param handling the strictest handling among the released objects: highest TLP (e.g. {@code TLP:AMBER}),
 * every handling code ({@code H0}..{@code H3}), highest PAP (e.g. {@code PAP:RED}), in that order
 */
public record ReleasePlan(String partnerId, List<JsonNode> objects, List<ReleaseDecision> decisions, List<WithheldReference> withheldReferences, List<String> handling)
{
    public ReleasePlan
    {
        requireNonNull(partnerId, "partnerId is null");
        handling = List.copyOf(requireNonNull(handling, "handling is null"));
        objects = List.copyOf(requireNonNull(objects, "objects is null"));
        decisions = List.copyOf(requireNonNull(decisions, "decisions is null"));
        withheldReferences = List.copyOf(requireNonNull(withheldReferences, "withheldReferences is null"));
    }

    public List<String> releasedObjectIds()
    {
        return decisions.stream().filter(ReleaseDecision::released).map(ReleaseDecision::objectId).distinct().toList();
    }

    public List<ReleaseDecision> withheld()
    {
        return decisions.stream().filter(decision -> !decision.released()).toList();
    }

    public boolean isEmpty()
    {
        return decisions.stream().noneMatch(ReleaseDecision::released);
    }

    /** A STIX 2.1 bundle of {@link #objects()}. */
    public ObjectNode bundle(String bundleId)
    {
        ObjectNode bundle = JsonNodeFactory.instance.objectNode();
        bundle.put("type", "bundle");
        bundle.put("id", requireNonNull(bundleId, "bundleId is null"));
        ArrayNode array = bundle.putArray("objects");
        objects.forEach(array::add);
        return bundle;
    }
}
