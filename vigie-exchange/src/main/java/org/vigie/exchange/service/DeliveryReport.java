package org.vigie.exchange.service;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One delivery round: envelopes attempted, acknowledged as stored, and failed (to be retried), the
 * partners whose outbox is now waiting for its next attempt, and the partners whose round stopped at
 * the batch size with envelopes possibly still due (a scheduler should run the next round at once).
 */
public record DeliveryReport(int attempted, int stored, int failed, List<String> waitingPartnerIds, List<String> behindPartnerIds)
{
    public DeliveryReport
    {
        waitingPartnerIds = List.copyOf(requireNonNull(waitingPartnerIds, "waitingPartnerIds is null"));
        behindPartnerIds = List.copyOf(requireNonNull(behindPartnerIds, "behindPartnerIds is null"));
    }

    public DeliveryReport(int attempted, int stored, int failed, List<String> waitingPartnerIds)
    {
        this(attempted, stored, failed, waitingPartnerIds, List.of());
    }
}
