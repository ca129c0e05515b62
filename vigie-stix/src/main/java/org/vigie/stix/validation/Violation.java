package org.vigie.stix.validation;

import static java.util.Objects.requireNonNull;

/**
 * One broken rule of the STIX 2.1 specification.
 *
 * @param objectId the id of the object at fault, or "-" when it has none
 * @param property the property at fault (a dotted path for nested ones), or "-" for the object as a whole
 * @param rule a stable kebab-case rule name (see {@link Rules})
 * @param message what is wrong and why, for an operator
 */
public record Violation(String objectId, String property, String rule, String message)
{
    public Violation
    {
        requireNonNull(objectId, "objectId is null");
        requireNonNull(property, "property is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString()
    {
        return objectId + ": " + property + ": " + rule + ": " + message;
    }
}
