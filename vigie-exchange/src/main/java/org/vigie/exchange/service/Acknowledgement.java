package org.vigie.exchange.service;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Whether one partner applied and acknowledged a recall. */
public record Acknowledgement(String partnerId, String envelopeId, OutboxState state, Optional<String> lastError)
{
    public Acknowledgement
    {
        requireNonNull(partnerId, "partnerId is null");
        requireNonNull(envelopeId, "envelopeId is null");
        requireNonNull(state, "state is null");
        requireNonNull(lastError, "lastError is null");
    }

    public boolean acknowledged()
    {
        return state == OutboxState.STORED;
    }
}
