package org.vigie.stix;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One STIX object as stored and served: the header properties every layer needs, and the object's
 * JSON text exactly as accepted (custom properties and extensions included, never re-ordered or dropped).
 *
 * <p>This value does not validate the object against the specification; use the validator of this
 * module for that. It only guarantees the header is present and well-formed.
 */
public record StixObject(String id, String type, String specVersion, Optional<Instant> created, Optional<Instant> modified, String json)
{
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public StixObject
    {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(specVersion, "specVersion is null");
        requireNonNull(created, "created is null");
        requireNonNull(modified, "modified is null");
        requireNonNull(json, "json is null");
    }

    /**
     * The version of this object as TAXII defines it: {@code modified}, else {@code created}
     * (objects with neither, such as most SCOs, have one unversioned version).
     */
    public Optional<Instant> version()
    {
        return modified.isPresent() ? modified : created;
    }

    /** Reads the header of one object from its JSON text. */
    public static StixObject fromJson(String json)
    {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        }
        catch (JacksonException e) {
            throw new VigieException(ErrorCode.INVALID_JSON, "STIX object is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromTree(node, json);
    }

    /** Reads the header of one object from an already parsed tree; {@code json} is its text. */
    public static StixObject fromTree(JsonNode node, String json)
    {
        if (node == null || !node.isObject()) {
            throw new VigieException(ErrorCode.INVALID_STIX, "a STIX object must be a JSON object");
        }
        String id = text(node, "id", "(no id)");
        String type = text(node, "type", id);
        // STIX 2.0 objects have no spec_version; TAXII 2.1 treats them as 2.0.
        String specVersion = node.has("spec_version") ? text(node, "spec_version", id) : "2.0";
        return new StixObject(id, type, specVersion, timestamp(node, "created", id), timestamp(node, "modified", id), json);
    }

    /** Parses {@link #json()} into a tree; each call parses anew. */
    public JsonNode tree()
    {
        return MAPPER.readTree(json);
    }

    private static String text(JsonNode node, String property, String objectId)
    {
        JsonNode value = node.get(property);
        if (value == null || !value.isString()) {
            throw new VigieException(ErrorCode.INVALID_STIX, objectId + ": property '" + property + "' is required and must be a string");
        }
        return value.asString();
    }

    private static Optional<Instant> timestamp(JsonNode node, String property, String objectId)
    {
        JsonNode value = node.get(property);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw new VigieException(ErrorCode.INVALID_TIMESTAMP, objectId + ": property '" + property + "' must be a timestamp string");
        }
        try {
            return Optional.of(Timestamps.parse(value.asString()));
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_TIMESTAMP, objectId + ": property '" + property + "': " + e.getMessage(), e);
        }
    }
}
