package org.vigie.exchange.policy;

import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;

import java.time.InstantSource;
import java.util.List;

/**
 * Turns a set of offered objects into what each partner may receive: every object decided by the
 * {@link ReleaseDecider}, then references to withheld objects cut. Rules (docs/EXCHANGE.md):
 * <ul>
 * <li>A reference ({@code *_ref}, {@code *_refs}, at any depth) is kept only if its target is released
 * in the same plan; otherwise it is cut and reported. References to marking-definitions are never
 * cut: the definitions travel with the objects.</li>
 * <li>An object whose required references would all be cut is itself withheld, and this cascades:
 * a relationship whose source or target is withheld, a sighting whose {@code sighting_of_ref} is,
 * a language-content whose {@code object_ref} is, a report, grouping, note, opinion or observed-data
 * whose {@code object_refs} would become empty, a network-traffic left with neither
 * {@code src_ref} nor {@code dst_ref}.</li>
 * <li>Marking-definitions offered are not decided: they are included when a released object
 * references them (also resolved through the {@link MarkingResolver}).</li>
 * </ul>
 * Markings and references of each object are read once per call, whatever the number of partners.
 */
public interface ReleasePlanner
{
    ReleasePlan plan(List<ReleaseItem> items, Partner recipient);

    /** One plan per recipient, in the recipients' order. */
    List<ReleasePlan> plan(List<ReleaseItem> items, List<Partner> recipients);

    static ReleasePlanner create(ReleaseDecider decider, PartnerRegistry registry, MarkingResolver resolver, InstantSource clock)
    {
        return new DefaultReleasePlanner(decider, registry, resolver, clock);
    }
}
