package org.vigie.console;

import org.vigie.stix.markings.TlpMarkings;
import org.vigie.taxii.auth.AuthenticatedUser;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Applies the users' {@link Clearance}s to objects' markings, the same way in every screen: search,
 * object view, graph (objects and the relationships linking them), live feed, sharing and detection.
 * An object the user is not cleared for is treated exactly as one that does not exist. TLP comes from
 * the TLP 2.0 (and STIX TLP 1.0) marking ids or from a readable marking-definition with a TLP
 * extension; handling codes from readable marking-definitions of the Vigie handling extension. A
 * marking-definition the user cannot read adds no restriction it would have to know about.
 */
final class MarkingAccess
{
    private final SearchIndex index;
    private final ConsoleConfig config;

    MarkingAccess(SearchIndex index, ConsoleConfig config)
    {
        this.index = requireNonNull(index, "index is null");
        this.config = requireNonNull(config, "config is null");
    }

    Clearance clearance(AuthenticatedUser user)
    {
        return config.clearanceOf(user);
    }

    boolean permits(AuthenticatedUser user, IndexEntry entry, Collection<String> readable)
    {
        return permits(clearance(user), entry.markingRefs(), readable);
    }

    boolean permits(AuthenticatedUser user, JsonNode tree, Collection<String> readable)
    {
        return permits(clearance(user), markingRefs(tree), readable);
    }

    /** For an object carrying these marking refs (e.g. a marking set shared by many objects, checked once). */
    boolean permits(AuthenticatedUser user, List<String> markingRefs, Collection<String> readable)
    {
        return permits(clearance(user), markingRefs, readable);
    }

    private boolean permits(Clearance clearance, List<String> markingRefs, Collection<String> readable)
    {
        if (clearance.isUnrestricted() || markingRefs.isEmpty()) {
            return true;
        }
        Optional<TlpMarkings.Tlp> highest = Optional.empty();
        List<String> codes = new ArrayList<>();
        for (String reference : markingRefs) {
            Optional<TlpMarkings.Tlp> tlp = TlpMarkings.fromMarkingId(reference);
            if (tlp.isEmpty()) {
                Optional<IndexEntry> definition = index.definition(reference, readable);
                if (definition.isPresent()) {
                    tlp = level(definition.get().markingProperties().get("tlp"));
                    Optional.ofNullable(definition.get().markingProperties().get("handling_code")).ifPresent(codes::add);
                }
            }
            if (tlp.isPresent() && (highest.isEmpty() || tlp.get().compareTo(highest.get()) > 0)) {
                highest = tlp;
            }
        }
        return clearance.permits(highest, codes);
    }

    static List<String> markingRefs(JsonNode tree)
    {
        List<String> references = new ArrayList<>();
        JsonNode markings = tree.get("object_marking_refs");
        if (markings != null && markings.isArray()) {
            for (JsonNode marking : markings) {
                if (marking.isString()) {
                    references.add(marking.stringValue());
                }
            }
        }
        return references;
    }

    private static Optional<TlpMarkings.Tlp> level(String text)
    {
        if (text == null) {
            return Optional.empty();
        }
        for (TlpMarkings.Tlp tlp : TlpMarkings.Tlp.values()) {
            if (tlp.level().equalsIgnoreCase(text)) {
                return Optional.of(tlp);
            }
        }
        return Optional.empty();
    }
}
