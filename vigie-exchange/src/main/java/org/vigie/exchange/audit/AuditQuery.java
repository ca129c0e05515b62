package org.vigie.exchange.audit;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A ledger query: every present criterion must match. {@code from} is inclusive, {@code to}
 * exclusive; an empty {@code kinds} matches every kind.
 */
public record AuditQuery(Optional<String> partnerId, Optional<Instant> from, Optional<Instant> to, Set<AuditKind> kinds, Optional<String> objectId, int limit)
{
    public AuditQuery
    {
        requireNonNull(partnerId, "partnerId is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(kinds, "kinds is null");
        kinds = Collections.unmodifiableSet(kinds.isEmpty() ? EnumSet.noneOf(AuditKind.class) : EnumSet.copyOf(kinds));
        requireNonNull(objectId, "objectId is null");
        if (limit < 1) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "audit query limit must be positive, not " + limit);
        }
    }

    public static AuditQuery all()
    {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), Integer.MAX_VALUE);
    }

    public AuditQuery withPartner(String value)
    {
        return new AuditQuery(Optional.of(value), from, to, kinds, objectId, limit);
    }

    public AuditQuery withKinds(Set<AuditKind> value)
    {
        return new AuditQuery(partnerId, from, to, value, objectId, limit);
    }

    public AuditQuery withObject(String value)
    {
        return new AuditQuery(partnerId, from, to, kinds, Optional.of(value), limit);
    }

    public AuditQuery between(Instant fromInclusive, Instant toExclusive)
    {
        return new AuditQuery(partnerId, Optional.of(fromInclusive), Optional.of(toExclusive), kinds, objectId, limit);
    }

    public boolean matches(AuditEntry entry)
    {
        return (partnerId.isEmpty() || entry.partnerId().equals(partnerId))
                && (from.isEmpty() || !entry.timestamp().isBefore(from.get()))
                && (to.isEmpty() || entry.timestamp().isBefore(to.get()))
                && (kinds.isEmpty() || kinds.contains(entry.kind()))
                && (objectId.isEmpty() || entry.mentions(objectId.get()));
    }
}
