package org.vigie.exchange.partner;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.util.List;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/** A named set of partners that release rules can address; members are partner ids, kept sorted. */
public record TrustGroup(String id, String name, TrustGroupKind kind, List<String> memberPartnerIds)
{
    public TrustGroup
    {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        memberPartnerIds = List.copyOf(new TreeSet<>(requireNonNull(memberPartnerIds, "memberPartnerIds is null")));
        switch (kind) {
            case BILATERAL -> {
                if (memberPartnerIds.size() != 1) {
                    throw new VigieException(ErrorCode.INVALID_ARGUMENT, "bilateral trust group " + id + " must have exactly one partner, not " + memberPartnerIds.size());
                }
            }
            case MULTILATERAL -> {
                if (memberPartnerIds.isEmpty()) {
                    throw new VigieException(ErrorCode.INVALID_ARGUMENT, "multilateral trust group " + id + " has no members");
                }
            }
        }
    }

    public boolean hasMember(String partnerId)
    {
        return memberPartnerIds.contains(partnerId);
    }
}
