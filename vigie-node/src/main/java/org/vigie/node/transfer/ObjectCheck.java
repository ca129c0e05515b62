package org.vigie.node.transfer;

import tools.jackson.databind.JsonNode;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Decides whether one object may be stored; the importer rejects an object with every error returned. */
@FunctionalInterface
public interface ObjectCheck
{
    /**
     * The findings about one object, one line each. {@code errors} make the importer reject the object;
     * {@code warnings} are reported but the object is stored.
     */
    record Findings(List<String> errors, List<String> warnings)
    {
        public static final Findings NONE = new Findings(List.of(), List.of());

        public Findings
        {
            errors = List.copyOf(requireNonNull(errors, "errors is null"));
            warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        }
    }

    Findings check(JsonNode object);
}
