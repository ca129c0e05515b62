package org.vigie.exchange.service;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The outcome of one release, per partner, sorted by partner id. */
public record ReleaseResult(List<PartnerRelease> partners)
{
    public ReleaseResult
    {
        partners = List.copyOf(requireNonNull(partners, "partners is null"));
    }

    public Optional<PartnerRelease> partner(String partnerId)
    {
        return partners.stream().filter(release -> release.partnerId().equals(partnerId)).findFirst();
    }
}
