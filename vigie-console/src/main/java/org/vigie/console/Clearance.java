package org.vigie.console;

import org.vigie.stix.markings.TlpMarkings;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What markings a console user is cleared to see: the most restrictive TLP level, and the handling
 * codes (the Vigie handling extension's {@code handling_code}, e.g. H0 to H3) of which an object may
 * carry any, or every code. An object is visible when its highest TLP level is at most {@code maximum}
 * and each of its handling codes is allowed; an object without TLP marking counts as TLP:CLEAR.
 *
 * @param handlingCodes the allowed codes, sorted; empty when {@code allHandlingCodes} or when no coded object may be seen
 */
public record Clearance(TlpMarkings.Tlp maximum, boolean allHandlingCodes, List<String> handlingCodes)
{
    public Clearance
    {
        requireNonNull(maximum, "maximum is null");
        handlingCodes = List.copyOf(new TreeSet<>(requireNonNull(handlingCodes, "handlingCodes is null")));
        if (allHandlingCodes && !handlingCodes.isEmpty()) {
            throw new IllegalArgumentException("a clearance for every handling code lists none, was given " + handlingCodes);
        }
    }

    /** Everything (administrators). */
    public static Clearance unrestricted()
    {
        return new Clearance(TlpMarkings.Tlp.RED, true, List.of());
    }

    /** Up to {@code maximum}, with every handling code. */
    public static Clearance upTo(TlpMarkings.Tlp maximum)
    {
        return new Clearance(maximum, true, List.of());
    }

    public Clearance withHandlingCodes(List<String> codes)
    {
        return new Clearance(maximum, false, codes);
    }

    boolean permits(Optional<TlpMarkings.Tlp> tlp, List<String> codes)
    {
        if (tlp.isPresent() && tlp.get().compareTo(maximum) > 0) {
            return false;
        }
        return allHandlingCodes || handlingCodes.containsAll(codes);
    }

    boolean isUnrestricted()
    {
        return maximum == TlpMarkings.Tlp.RED && allHandlingCodes;
    }
}
