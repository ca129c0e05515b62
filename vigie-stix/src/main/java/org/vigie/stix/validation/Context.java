package org.vigie.stix.validation;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Collects the violations of one object while it is validated. Not thread-safe: one per validation. */
final class Context
{
    private final List<Violation> violations;
    private final String objectId;
    private final String type;

    Context(List<Violation> violations, String objectId, String type)
    {
        this.violations = requireNonNull(violations, "violations is null");
        this.objectId = requireNonNull(objectId, "objectId is null");
        this.type = requireNonNull(type, "type is null");
    }

    String objectId()
    {
        return objectId;
    }

    String type()
    {
        return type;
    }

    void add(String property, String rule, String message)
    {
        violations.add(new Violation(objectId, property, rule, message));
    }

    void require(JsonNode object, String property, String why)
    {
        if (!object.has(property)) {
            add(property, Rules.REQUIRED_PROPERTY, "property '" + property + "' is required for " + type + " " + why);
        }
    }

    /** The instant of a timestamp property, or null when absent or malformed (malformed ones are reported elsewhere). */
    static Instant timestamp(JsonNode object, String property)
    {
        JsonNode value = object.get(property);
        return value != null && value.isString() ? Syntax.timestamp(value.stringValue()) : null;
    }

    static List<Violation> newList()
    {
        return new ArrayList<>(0);
    }
}
