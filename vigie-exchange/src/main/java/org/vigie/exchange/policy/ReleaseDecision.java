package org.vigie.exchange.policy;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The decision for one object and one partner, with the rule that decided it (if a rule did) and a
 * sentence an operator can read.
 */
public record ReleaseDecision(String objectId, String partnerId, DecisionReason reason, Optional<String> ruleName, String explanation)
{
    public ReleaseDecision
    {
        requireNonNull(objectId, "objectId is null");
        requireNonNull(partnerId, "partnerId is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(ruleName, "ruleName is null");
        requireNonNull(explanation, "explanation is null");
    }

    public boolean released()
    {
        return reason.released();
    }
}
