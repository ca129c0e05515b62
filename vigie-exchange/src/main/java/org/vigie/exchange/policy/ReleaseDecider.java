package org.vigie.exchange.policy;

import org.vigie.exchange.marking.Markings;
import org.vigie.exchange.partner.Partner;
import tools.jackson.databind.JsonNode;

/**
 * Decides whether one object may go to one partner: first the hard rules no policy can override,
 * then the node's {@link ReleasePolicy} (deny rules override allow rules; default deny).
 * See docs/EXCHANGE.md for the rules and their order.
 */
public interface ReleaseDecider
{
    ReleaseDecision decide(JsonNode object, Markings markings, Partner recipient, ReleaseContext context);

    ReleasePolicy policy();

    static ReleaseDecider of(ReleasePolicy policy)
    {
        return new PolicyReleaseDecider(policy);
    }
}
