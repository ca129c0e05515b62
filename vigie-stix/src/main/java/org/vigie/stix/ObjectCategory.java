package org.vigie.stix;

/** The kinds of top-level STIX 2.1 objects, as the specification groups them. */
public enum ObjectCategory
{
    /** STIX Domain Object. */
    SDO,
    /** STIX Relationship Object (relationship, sighting). */
    SRO,
    /** STIX Cyber-observable Object. */
    SCO,
    /** STIX Meta Object: marking-definition, language-content, extension-definition. */
    META,
    /** The bundle wrapper. */
    BUNDLE,
    /** Any other type: a custom object (or an object defined by an extension-definition). */
    CUSTOM
}
