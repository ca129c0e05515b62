package org.vigie.stix.validation;

/** The stable names of the rules {@link StixValidator} checks; clients may match on them. */
public final class Rules
{
    public static final String JSON_TYPE = "json-type";
    public static final String TYPE_FORMAT = "type-format";
    public static final String IDENTIFIER_FORMAT = "identifier-format";
    public static final String IDENTIFIER_TYPE_PREFIX = "identifier-type-prefix";
    public static final String TIMESTAMP_FORMAT = "timestamp-format";
    public static final String TIMESTAMP_PRECISION = "timestamp-precision";
    public static final String REQUIRED_PROPERTY = "required-property";
    public static final String MODIFIED_BEFORE_CREATED = "modified-before-created";
    public static final String PROPERTY_NAME = "property-name";
    public static final String PROPERTY_TYPE = "property-type";
    public static final String REFERENCE_TYPE = "reference-type";
    public static final String RELATIONSHIP_RULE = "relationship-rule";
    public static final String SIGHTING_RULE = "sighting-rule";
    public static final String SCO_IDENTIFIER = "sco-identifier";
    public static final String SPEC_VERSION = "spec-version";
    public static final String EMPTY_LIST = "empty-list";
    public static final String VALUE_RANGE = "value-range";
    public static final String ENUMERATION = "enumeration";
    public static final String TIME_ORDER = "time-order";
    public static final String MUTUALLY_EXCLUSIVE = "mutually-exclusive";
    public static final String PROPERTY_DEPENDENCY = "property-dependency";
    public static final String EXTERNAL_REFERENCE = "external-reference";
    public static final String GRANULAR_MARKING = "granular-marking";
    public static final String TLP_MARKING = "tlp-marking";
    public static final String DICTIONARY_KEY = "dictionary-key";
    public static final String BUNDLE_RULE = "bundle-rule";
    /** A warning, never a violation: a custom {@code *_ref}/{@code *_refs} property that holds no identifier. */
    public static final String CUSTOM_REFERENCE = "custom-reference";

    private Rules() {}
}
