package org.vigie.exchange.audit;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a caller appends; the ledger adds sequence, time and hashes.
 *
 * @param actor who did it: a user, {@code system}, or {@code partner:<id>}
 * @param handling the handling the objects travelled under, e.g. {@code TLP:AMBER}, {@code H2}
 * @param detail free text: rule that decided, rejection reason, withheld references
 */
public record AuditRecord(AuditKind kind, String actor, Optional<String> partnerId, List<String> objectIds, List<String> handling, Optional<String> envelopeId, String detail)
{
    public AuditRecord
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(partnerId, "partnerId is null");
        objectIds = List.copyOf(requireNonNull(objectIds, "objectIds is null"));
        handling = List.copyOf(requireNonNull(handling, "handling is null"));
        requireNonNull(envelopeId, "envelopeId is null");
        requireNonNull(detail, "detail is null");
    }
}
