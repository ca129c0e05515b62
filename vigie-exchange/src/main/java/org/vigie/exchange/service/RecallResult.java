package org.vigie.exchange.service;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a recall did: the partners a recall envelope was queued to, and the holders it could not go to because they
 * are no longer registered (each recorded in the ledger). Both sorted.
 */
public record RecallResult(List<String> recalledPartnerIds, List<String> skippedPartnerIds)
{
    public RecallResult
    {
        recalledPartnerIds = List.copyOf(requireNonNull(recalledPartnerIds, "recalledPartnerIds is null"));
        skippedPartnerIds = List.copyOf(requireNonNull(skippedPartnerIds, "skippedPartnerIds is null"));
    }
}
