package org.vigie.exchange.marking;

import java.util.Locale;
import java.util.Optional;

/**
 * Traffic Light Protocol 2.0 levels, from least to most restrictive (the declaration order is used to
 * combine several markings: the most restrictive wins).
 */
public enum Tlp
{
    CLEAR("clear", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"),
    GREEN("green", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"),
    AMBER("amber", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"),
    AMBER_STRICT("amber+strict", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", null),
    RED("red", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed");

    /** The OASIS extension-definition under which TLP 2.0 marking-definitions carry {@code tlp_2_0}. */
    public static final String TLP_2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    // Interim: vigie-stix is adding org.vigie.stix.markings.TlpMarkings with the same identifiers.
    private final String label;
    private final String markingId;
    private final String tlp1MarkingId;

    Tlp(String label, String markingId, String tlp1MarkingId)
    {
        this.label = label;
        this.markingId = markingId;
        this.tlp1MarkingId = tlp1MarkingId;
    }

    /** The TLP 2.0 value as written in {@code tlp_2_0}, e.g. {@code amber+strict}. */
    public String label()
    {
        return label;
    }

    /** The OASIS TLP 2.0 marking-definition id. */
    public String markingId()
    {
        return markingId;
    }

    /** The STIX 2.1 predefined TLP 1.0 marking-definition id mapped to this level, if there is one (WHITE maps to CLEAR). */
    public Optional<String> tlp1MarkingId()
    {
        return Optional.ofNullable(tlp1MarkingId);
    }

    public boolean atMost(Tlp other)
    {
        return compareTo(other) <= 0;
    }

    public String displayName()
    {
        return "TLP:" + label.toUpperCase(Locale.ROOT);
    }

    /** The level of a well-known TLP 1.0 or 2.0 marking-definition id. */
    public static Optional<Tlp> fromMarkingId(String markingId)
    {
        for (Tlp tlp : values()) {
            if (tlp.markingId.equals(markingId) || markingId.equals(tlp.tlp1MarkingId)) {
                return Optional.of(tlp);
            }
        }
        return Optional.empty();
    }

    /** Parses a TLP 2.0 label, or a TLP 1.0 one (white maps to CLEAR), case-insensitively, with or without a {@code TLP:} prefix. */
    public static Optional<Tlp> fromLabel(String text)
    {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("tlp:")) {
            value = value.substring(4);
        }
        if (value.equals("white")) {
            return Optional.of(CLEAR);
        }
        if (value.equals("amber_strict")) {
            return Optional.of(AMBER_STRICT);
        }
        for (Tlp tlp : values()) {
            if (tlp.label.equals(value)) {
                return Optional.of(tlp);
            }
        }
        return Optional.empty();
    }
}
