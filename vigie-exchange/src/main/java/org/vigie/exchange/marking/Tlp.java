package org.vigie.exchange.marking;

import org.vigie.stix.json.StixJson;
import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Traffic Light Protocol 2.0 levels, from least to most restrictive (the declaration order is used to
 * combine several markings: the most restrictive wins).
 */
public enum Tlp
{
    CLEAR, GREEN, AMBER, AMBER_STRICT, RED;

    /** The OASIS extension-definition under which TLP 2.0 marking-definitions carry {@code tlp_2_0}. */
    public static final String TLP_2_EXTENSION_ID = TlpMarkings.TLP_2_EXTENSION_DEFINITION_ID;

    // Ids and published objects come from vigie-stix; this enum adds the ordering release needs.
    private TlpMarkings.Tlp published()
    {
        return TlpMarkings.Tlp.valueOf(name());
    }

    /** The TLP 2.0 value as written in {@code tlp_2_0}, e.g. {@code amber+strict}. */
    public String label()
    {
        return published().level();
    }

    /** The OASIS TLP 2.0 marking-definition id. */
    public String markingId()
    {
        return published().id();
    }

    /** The STIX 2.1 predefined TLP 1.0 marking-definition id mapped to this level, if there is one (WHITE maps to CLEAR). */
    public Optional<String> tlp1MarkingId()
    {
        return published().version1Id();
    }

    public boolean atMost(Tlp other)
    {
        return compareTo(other) <= 0;
    }

    public String displayName()
    {
        return "TLP:" + label().toUpperCase(Locale.ROOT);
    }

    /** The level of a well-known TLP 1.0 or 2.0 marking-definition id. */
    public static Optional<Tlp> fromMarkingId(String markingId)
    {
        return TlpMarkings.fromMarkingId(markingId).map(tlp -> valueOf(tlp.name()));
    }

    /**
     * The published marking-definition object of a well-known TLP id (TLP 2.0 objects from OASIS,
     * TLP 1.0 objects as STIX 2.1 predefines them), so that it can travel with the objects it marks.
     */
    public static Optional<JsonNode> publishedDefinition(String markingId)
    {
        for (Tlp tlp : values()) {
            if (tlp.markingId().equals(markingId)) {
                return Optional.of(tlp.published().tree());
            }
        }
        if (TlpMarkings.isVersion1MarkingId(markingId)) {
            for (String color : List.of("white", "green", "amber", "red")) {
                if (TlpMarkings.version1MarkingId(color).orElseThrow().equals(markingId)) {
                    return TlpMarkings.version1Json(color).map(StixJson::parse);
                }
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
            if (tlp.label().equals(value)) {
                return Optional.of(tlp);
            }
        }
        return Optional.empty();
    }
}
