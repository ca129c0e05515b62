package org.vigie.exchange.envelope;

import static java.util.Objects.requireNonNull;

/**
 * Tells the partner that a reference was cut from an object it received, without naming the
 * withheld target (naming it would leak its existence).
 */
public record WithheldReferenceNotice(String objectId, String path)
{
    public WithheldReferenceNotice
    {
        requireNonNull(objectId, "objectId is null");
        requireNonNull(path, "path is null");
    }
}
