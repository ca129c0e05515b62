package org.vigie.stix;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;

/** The object type names STIX 2.1 defines, by category. */
public final class StixTypes
{
    /** STIX Domain Object types, in specification order. */
    public static final Set<String> SDO_TYPES = orderedSet(
            "attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident", "indicator",
            "infrastructure", "intrusion-set", "location", "malware", "malware-analysis", "note", "observed-data",
            "opinion", "report", "threat-actor", "tool", "vulnerability");

    /** STIX Relationship Object types. */
    public static final Set<String> SRO_TYPES = orderedSet("relationship", "sighting");

    /** STIX Cyber-observable Object types, in specification order. */
    public static final Set<String> SCO_TYPES = orderedSet(
            "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
            "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
            "user-account", "windows-registry-key", "x509-certificate");

    /** STIX Meta Object types. */
    public static final Set<String> META_TYPES = orderedSet("marking-definition", "language-content", "extension-definition");

    public static final String BUNDLE_TYPE = "bundle";

    private static final Map<String, ObjectCategory> CATEGORIES = categories();

    private StixTypes() {}

    /** The category of a type name; any type the specification does not define is CUSTOM. */
    public static ObjectCategory category(String type)
    {
        ObjectCategory category = CATEGORIES.get(type);
        return category == null ? ObjectCategory.CUSTOM : category;
    }

    /** The type part of an identifier {@code type--uuid}, or the whole text when it has no {@code --}. */
    public static String typeOfIdentifier(String identifier)
    {
        int separator = identifier.indexOf("--");
        return separator < 0 ? identifier : identifier.substring(0, separator);
    }

    private static Map<String, ObjectCategory> categories()
    {
        Map<String, ObjectCategory> categories = new HashMap<>();
        SDO_TYPES.forEach(type -> categories.put(type, ObjectCategory.SDO));
        SRO_TYPES.forEach(type -> categories.put(type, ObjectCategory.SRO));
        SCO_TYPES.forEach(type -> categories.put(type, ObjectCategory.SCO));
        META_TYPES.forEach(type -> categories.put(type, ObjectCategory.META));
        categories.put(BUNDLE_TYPE, ObjectCategory.BUNDLE);
        return Map.copyOf(categories);
    }

    private static Set<String> orderedSet(String... names)
    {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }
}
