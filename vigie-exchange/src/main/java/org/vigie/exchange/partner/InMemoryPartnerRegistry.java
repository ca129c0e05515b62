package org.vigie.exchange.partner;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

final class InMemoryPartnerRegistry
        implements PartnerRegistry
{
    private final TreeMap<String, Partner> partners = new TreeMap<>();
    private final TreeMap<String, TrustGroup> groups = new TreeMap<>();

    @Override
    public synchronized void putPartner(Partner partner)
    {
        requireNonNull(partner, "partner is null");
        for (Partner existing : partners.values()) {
            if (!existing.id().equals(partner.id()) && existing.identityId().equals(partner.identityId())) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "partner " + partner.id() + ": identity " + partner.identityId() + " already belongs to partner " + existing.id());
            }
        }
        partners.put(partner.id(), partner);
    }

    @Override
    public synchronized void removePartner(String partnerId)
    {
        if (partners.remove(partnerId) == null) {
            throw new VigieException(ErrorCode.PARTNER_NOT_FOUND, "cannot remove partner '" + partnerId + "': not registered");
        }
        for (TrustGroup group : new ArrayList<>(groups.values())) {
            if (group.hasMember(partnerId)) {
                List<String> members = new ArrayList<>(group.memberPartnerIds());
                members.remove(partnerId);
                if (members.isEmpty()) {
                    groups.remove(group.id());
                }
                else {
                    groups.put(group.id(), new TrustGroup(group.id(), group.name(), group.kind(), members));
                }
            }
        }
    }

    @Override
    public synchronized Optional<Partner> partner(String partnerId)
    {
        return Optional.ofNullable(partners.get(partnerId));
    }

    @Override
    public synchronized Optional<Partner> partnerByIdentity(String identityId)
    {
        return partners.values().stream().filter(partner -> partner.identityId().equals(identityId)).findFirst();
    }

    @Override
    public synchronized List<Partner> partners()
    {
        return List.copyOf(partners.values());
    }

    @Override
    public synchronized void putGroup(TrustGroup group)
    {
        requireNonNull(group, "group is null");
        for (String member : group.memberPartnerIds()) {
            if (!partners.containsKey(member)) {
                throw new VigieException(ErrorCode.PARTNER_NOT_FOUND, "trust group " + group.id() + ": member '" + member + "' is not a registered partner");
            }
        }
        groups.put(group.id(), group);
    }

    @Override
    public synchronized void removeGroup(String groupId)
    {
        if (groups.remove(groupId) == null) {
            throw new VigieException(ErrorCode.PARTNER_NOT_FOUND, "cannot remove trust group '" + groupId + "': not registered");
        }
    }

    @Override
    public synchronized Optional<TrustGroup> group(String groupId)
    {
        return Optional.ofNullable(groups.get(groupId));
    }

    @Override
    public synchronized List<TrustGroup> groups()
    {
        return List.copyOf(groups.values());
    }

    @Override
    public synchronized Set<String> groupIdsOf(String partnerId)
    {
        SortedSet<String> result = new TreeSet<>();
        for (TrustGroup group : groups.values()) {
            if (group.hasMember(partnerId)) {
                result.add(group.id());
            }
        }
        return Collections.unmodifiableSortedSet(result);
    }
}
