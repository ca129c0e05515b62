package org.vigie.exchange.service;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One delivery round: envelopes attempted, acknowledged as stored, and failed (to be retried), and
 * the partners whose outbox is now waiting for its next attempt.
 */
public record DeliveryReport(int attempted, int stored, int failed, List<String> waitingPartnerIds)
{
    public DeliveryReport
    {
        waitingPartnerIds = List.copyOf(requireNonNull(waitingPartnerIds, "waitingPartnerIds is null"));
    }
}
