package org.vigie.exchange.service;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Whether one partner applied and acknowledged an envelope about an object: a recall, or (in
 * {@link ExchangeService#propagationStatus}) the new version sent in its place.
 */
public record Acknowledgement(String partnerId, EnvelopeKind kind, String envelopeId, OutboxState state, Optional<String> lastError)
{
    public Acknowledgement
    {
        requireNonNull(partnerId, "partnerId is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(envelopeId, "envelopeId is null");
        requireNonNull(state, "state is null");
        requireNonNull(lastError, "lastError is null");
    }

    public boolean acknowledged()
    {
        return state == OutboxState.STORED;
    }
}
