package org.vigie.stix.validation;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * Checks STIX 2.1 objects and bundles against the MUST rules of the specification: identifiers,
 * timestamps, required properties, property names and types, reference target types, relationship
 * and sighting rules, and deterministic SCO identifiers. Open vocabularies (SHOULD) are not enforced;
 * custom objects, custom properties and extensions are accepted when their names follow the rules.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface StixValidator
{
    /** The validator with every rule this module knows. */
    static StixValidator create()
    {
        return new TableValidator();
    }

    /** The violations of one object (a bundle given here is validated as a bundle); empty when valid. */
    List<Violation> validate(JsonNode object);

    /** The violations of a bundle's own rules and of each object it holds; empty when valid. */
    List<Violation> validateBundle(JsonNode bundle);

    /**
     * Findings that are not violations, for a producer to hear about: custom (non-specification)
     * properties named {@code *_ref} or {@code *_refs} whose values are not identifiers, under rule
     * {@link Rules#CUSTOM_REFERENCE}. A bundle given here is checked object by object. Empty by default.
     */
    default List<Violation> warnings(JsonNode object)
    {
        return List.of();
    }
}
