package org.vigie.stix;

import tools.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * One object read from a STIX document: its parsed tree and its compact JSON text (property order
 * and every custom property kept). {@link BundleReader} gives the object's own text less the
 * whitespace between tokens, each token byte for byte as the producer wrote it.
 */
public record ParsedObject(JsonNode tree, String json)
{
    public ParsedObject
    {
        requireNonNull(tree, "tree is null");
        requireNonNull(json, "json is null");
    }

    /** The object's id, or "-" when it has none (so that error messages can always name something). */
    public String idOrDash()
    {
        JsonNode id = tree.get("id");
        return id != null && id.isString() ? id.stringValue() : "-";
    }
}
