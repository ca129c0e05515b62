package org.vigie.exchange.service;

import org.vigie.exchange.policy.ReleaseDecision;
import org.vigie.exchange.policy.WithheldReference;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What one partner gets from one release: the decision (with its explanation) for every offered
 * object, the cut references, and the queued envelope if anything was released. {@code recallEnvelopeId}
 * is set when the release withheld a new version of an object the partner had received, so the
 * partner is told to remove it.
 */
public record PartnerRelease(
        String partnerId,
        Optional<String> envelopeId,
        OptionalLong sequence,
        List<ReleaseDecision> decisions,
        List<WithheldReference> withheldReferences,
        Optional<String> recallEnvelopeId)
{
    public PartnerRelease
    {
        requireNonNull(partnerId, "partnerId is null");
        requireNonNull(envelopeId, "envelopeId is null");
        requireNonNull(sequence, "sequence is null");
        decisions = List.copyOf(requireNonNull(decisions, "decisions is null"));
        withheldReferences = List.copyOf(requireNonNull(withheldReferences, "withheldReferences is null"));
        requireNonNull(recallEnvelopeId, "recallEnvelopeId is null");
    }

    public List<String> releasedObjectIds()
    {
        return decisions.stream().filter(ReleaseDecision::released).map(ReleaseDecision::objectId).distinct().toList();
    }
}
