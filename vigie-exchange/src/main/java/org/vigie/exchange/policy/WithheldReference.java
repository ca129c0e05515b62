package org.vigie.exchange.policy;

import java.util.Comparator;

import static java.util.Objects.requireNonNull;

/**
 * A reference cut from a released object because its target is withheld.
 *
 * @param objectId the released object the reference was cut from
 * @param path where: the property path, e.g. {@code object_refs} or {@code extensions.x.parent_ref}
 * @param targetId the withheld object; recorded in the local audit ledger, never sent to the partner
 */
public record WithheldReference(String objectId, String path, String targetId)
        implements Comparable<WithheldReference>
{
    private static final Comparator<WithheldReference> ORDER = Comparator.comparing(WithheldReference::objectId)
            .thenComparing(WithheldReference::path)
            .thenComparing(WithheldReference::targetId);

    public WithheldReference
    {
        requireNonNull(objectId, "objectId is null");
        requireNonNull(path, "path is null");
        requireNonNull(targetId, "targetId is null");
    }

    @Override
    public int compareTo(WithheldReference other)
    {
        return ORDER.compare(this, other);
    }
}
