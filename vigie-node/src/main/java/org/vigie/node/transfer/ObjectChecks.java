package org.vigie.node.transfer;

import org.vigie.stix.validation.StixValidator;
import org.vigie.stix.validation.Violation;

import java.util.ArrayList;
import java.util.List;

/** The checks the importer can apply. */
public final class ObjectChecks
{
    private ObjectChecks() {}

    /** Accepts every object whose header (id, type, spec_version, timestamps) can be read. */
    public static ObjectCheck headerOnly()
    {
        return object -> ObjectCheck.Findings.NONE;
    }

    /**
     * Every rule of the STIX 2.1 specification the validator knows. A violation inside a custom property
     * ({@code x_...}) is a warning, not an error: custom content is its producer's business, and consumers
     * that do not understand it ignore it, so real feeds (such as MITRE ATT&amp;CK's empty
     * {@code x_mitre_data_source_ref}) are kept whole.
     */
    public static ObjectCheck specification()
    {
        StixValidator validator = StixValidator.create();
        return object -> {
            List<Violation> violations = validator.validate(object);
            if (violations.isEmpty()) {
                return ObjectCheck.Findings.NONE;
            }
            List<String> errors = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (Violation violation : violations) {
                (isCustomProperty(violation.property()) ? warnings : errors).add(violation.toString());
            }
            return new ObjectCheck.Findings(errors, warnings);
        };
    }

    /** Every violation as an error, as {@code vigie validate} reports them. */
    public static ObjectCheck strictSpecification()
    {
        StixValidator validator = StixValidator.create();
        return object -> {
            List<Violation> violations = validator.validate(object);
            return violations.isEmpty() ? ObjectCheck.Findings.NONE : new ObjectCheck.Findings(violations.stream().map(Violation::toString).toList(), List.of());
        };
    }

    private static boolean isCustomProperty(String property)
    {
        return property.startsWith("x_");
    }
}
