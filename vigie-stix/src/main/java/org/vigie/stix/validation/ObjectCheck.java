package org.vigie.stix.validation;

import tools.jackson.databind.JsonNode;

/** A rule of one type that involves more than one property (for example, one of two must be present). */
@FunctionalInterface
interface ObjectCheck
{
    void check(JsonNode object, Context context);
}
