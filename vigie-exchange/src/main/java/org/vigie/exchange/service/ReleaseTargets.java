package org.vigie.exchange.service;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Who a release is offered to: partners by id and trust groups by id (every member). */
public record ReleaseTargets(List<String> partnerIds, List<String> groupIds)
{
    public ReleaseTargets
    {
        partnerIds = List.copyOf(requireNonNull(partnerIds, "partnerIds is null"));
        groupIds = List.copyOf(requireNonNull(groupIds, "groupIds is null"));
    }

    public static ReleaseTargets partners(String... partnerIds)
    {
        return new ReleaseTargets(List.of(partnerIds), List.of());
    }

    public static ReleaseTargets groups(String... groupIds)
    {
        return new ReleaseTargets(List.of(), List.of(groupIds));
    }
}
