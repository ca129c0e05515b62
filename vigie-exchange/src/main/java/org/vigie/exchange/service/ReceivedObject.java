package org.vigie.exchange.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a received object version came from: the partner, the envelope, and the handling and
 * markings it arrived under. Re-release rules read the origin from here.
 *
 * @param version the object's modified (or created) timestamp as sent, empty for unversioned objects
 */
public record ReceivedObject(String objectId, String version, String partnerId, String envelopeId, List<String> handling, List<String> markingIds,
        Instant received, Optional<Instant> recalled)
{
    public ReceivedObject
    {
        requireNonNull(objectId, "objectId is null");
        requireNonNull(version, "version is null");
        requireNonNull(partnerId, "partnerId is null");
        requireNonNull(envelopeId, "envelopeId is null");
        handling = List.copyOf(requireNonNull(handling, "handling is null"));
        markingIds = List.copyOf(requireNonNull(markingIds, "markingIds is null"));
        requireNonNull(received, "received is null");
        requireNonNull(recalled, "recalled is null");
    }
}
