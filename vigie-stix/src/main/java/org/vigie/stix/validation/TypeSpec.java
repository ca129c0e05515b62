package org.vigie.stix.validation;

import org.vigie.stix.ObjectCategory;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** The table entry of one object type: required properties, known properties, and multi-property checks. */
record TypeSpec(String type, ObjectCategory category, List<String> required, Map<String, PropertySpec> properties, List<ObjectCheck> checks)
{
    TypeSpec
    {
        requireNonNull(type, "type is null");
        requireNonNull(category, "category is null");
        required = List.copyOf(requireNonNull(required, "required is null"));
        properties = Map.copyOf(requireNonNull(properties, "properties is null"));
        checks = List.copyOf(requireNonNull(checks, "checks is null"));
    }
}
