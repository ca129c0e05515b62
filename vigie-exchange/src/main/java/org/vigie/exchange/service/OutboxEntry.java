package org.vigie.exchange.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One envelope queued for one partner.
 *
 * @param objectIds the objects released (or recalled) by this envelope
 * @param receipt the partner's last receipt, if it answered with one
 */
public record OutboxEntry(
        String partnerId,
        long sequence,
        String envelopeId,
        EnvelopeKind kind,
        List<String> objectIds,
        OutboxState state,
        int attempts,
        Instant nextAttempt,
        Instant created,
        Optional<String> lastError,
        Optional<Receipt> receipt)
{
    public OutboxEntry
    {
        requireNonNull(partnerId, "partnerId is null");
        requireNonNull(envelopeId, "envelopeId is null");
        requireNonNull(kind, "kind is null");
        objectIds = List.copyOf(requireNonNull(objectIds, "objectIds is null"));
        requireNonNull(state, "state is null");
        requireNonNull(nextAttempt, "nextAttempt is null");
        requireNonNull(created, "created is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(receipt, "receipt is null");
    }
}
