package org.vigie.exchange.policy;

import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.Markings;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.Partner;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

final class PolicyReleaseDecider
        implements ReleaseDecider
{
    private final ReleasePolicy policy;

    PolicyReleaseDecider(ReleasePolicy policy)
    {
        this.policy = requireNonNull(policy, "policy is null");
    }

    @Override
    public ReleasePolicy policy()
    {
        return policy;
    }

    @Override
    public ReleaseDecision decide(JsonNode object, Markings markings, Partner recipient, ReleaseContext context)
    {
        String objectId = object.path("id").asString("(no id)");
        String partnerId = recipient.id();
        if (!markings.unresolvedMarkingIds().isEmpty()) {
            return withhold(objectId, partnerId, DecisionReason.UNRESOLVED_MARKING, "marked with unknown marking-definition(s) " + markings.unresolvedMarkingIds());
        }
        if (markings.isExpiredAt(context.now())) {
            return withhold(objectId, partnerId, DecisionReason.EXPIRED, "marking expired at " + markings.expires().orElseThrow());
        }
        if (markings.originPartner().isPresent() && !markings.originPartner().get().equals(partnerId)) {
            Optional<String> restriction = thirdPartyRestriction(markings);
            if (restriction.isPresent()) {
                return withhold(objectId, partnerId, DecisionReason.RECEIVED_NOT_FOR_THIRD_PARTY,
                        "received from partner " + markings.originPartner().get() + " under " + restriction.get() + ": never forwarded to a third party");
            }
        }
        if (markings.tlp().equals(Optional.of(Tlp.RED)) && markings.recipients().isEmpty()) {
            return withhold(objectId, partnerId, DecisionReason.RED_WITHOUT_NAMED_RECIPIENTS, "TLP:RED without named recipients goes to nobody");
        }
        if (markings.recipients().isPresent() && !markings.recipients().get().contains(recipient.identityId())) {
            return withhold(objectId, partnerId, DecisionReason.NOT_A_NAMED_RECIPIENT,
                    "partner identity " + recipient.identityId() + " is not among the named recipients");
        }
        String type = object.path("type").asString("");
        List<String> labels = labels(object);
        ReleaseRule allowing = null;
        for (ReleaseRule rule : policy.rules()) {
            if (!rule.appliesTo(recipient, context.recipientGroupIds()) || !rule.selects(type, labels, context.collectionId(), markings)) {
                continue;
            }
            switch (rule.effect()) {
                case DENY -> {
                    return new ReleaseDecision(objectId, partnerId, DecisionReason.DENIED_BY_RULE, Optional.of(rule.name()), "denied by rule '" + rule.name() + "'");
                }
                case ALLOW -> {
                    if (allowing == null) {
                        allowing = rule;
                    }
                }
            }
        }
        if (allowing == null) {
            return withhold(objectId, partnerId, DecisionReason.NO_RULE_ALLOWS, "no rule of policy '" + policy.name() + "' allows it (default deny)");
        }
        return new ReleaseDecision(objectId, partnerId, DecisionReason.ALLOWED_BY_RULE, Optional.of(allowing.name()), "allowed by rule '" + allowing.name() + "'");
    }

    /** What forbids forwarding a received object to anyone but its origin, if anything. */
    private static Optional<String> thirdPartyRestriction(Markings markings)
    {
        List<String> reasons = new ArrayList<>();
        if (markings.tlp().isPresent()) {
            Tlp tlp = markings.tlp().get();
            switch (tlp) {
                case CLEAR, GREEN -> { }
                // AMBER may be shared within the recipient's organisation and its clients; other
                // services are neither, so received AMBER is treated like AMBER+STRICT.
                case AMBER, AMBER_STRICT, RED -> reasons.add(tlp.displayName());
            }
        }
        for (HandlingCode code : HandlingCode.values()) {
            switch (code) {
                case H0, H1 -> { }
                // H3 conditions are free text a machine cannot check: forwarding needs a person.
                case H2, H3 -> {
                    if (markings.hasHandling(code)) {
                        reasons.add(code.name());
                    }
                }
            }
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", reasons));
    }

    static List<String> labels(JsonNode object)
    {
        JsonNode labels = object.get("labels");
        if (labels == null || !labels.isArray()) {
            return List.of();
        }
        List<String> result = new ArrayList<>(labels.size());
        for (JsonNode label : labels.values()) {
            if (label.isString()) {
                result.add(label.stringValue());
            }
        }
        return result;
    }

    private static ReleaseDecision withhold(String objectId, String partnerId, DecisionReason reason, String explanation)
    {
        return new ReleaseDecision(objectId, partnerId, reason, Optional.empty(), explanation);
    }
}
