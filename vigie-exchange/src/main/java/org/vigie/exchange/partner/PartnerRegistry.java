package org.vigie.exchange.partner;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.database.ExchangeDatabase;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The partners and trust groups of this node. Listings are sorted by id. Implementations are
 * thread-safe. {@link #inMemory()} for tests, {@link #jdbc} in the node (which parses the registry once per
 * change, made by any process, rather than per lookup).
 */
public interface PartnerRegistry
{
    /** Adds or replaces a partner (by id). Fails if another partner already has its identity. */
    void putPartner(Partner partner);

    /** Removes a partner and its memberships; removing the last member of a group removes the group. */
    void removePartner(String partnerId);

    Optional<Partner> partner(String partnerId);

    Optional<Partner> partnerByIdentity(String identityId);

    List<Partner> partners();

    /** The partner that pinned this certificate (SHA-256 of its DER encoding, lower-case hex), if any. */
    default Optional<Partner> partnerByCertificate(String certificateSha256)
    {
        return partners().stream().filter(partner -> partner.certificateSha256().equals(certificateSha256)).findFirst();
    }

    /** Adds or replaces a trust group; every member must be a known partner. */
    void putGroup(TrustGroup group);

    void removeGroup(String groupId);

    Optional<TrustGroup> group(String groupId);

    List<TrustGroup> groups();

    /** Ids of the groups this partner belongs to, sorted. */
    Set<String> groupIdsOf(String partnerId);

    default Partner requirePartner(String partnerId)
    {
        return partner(partnerId).orElseThrow(() -> new VigieException(ErrorCode.PARTNER_NOT_FOUND, "no partner with id '" + partnerId + "' is registered"));
    }

    /** The partners of a group, sorted by id; fails if the group is unknown. */
    default List<Partner> members(String groupId)
    {
        TrustGroup group = group(groupId).orElseThrow(() -> new VigieException(ErrorCode.PARTNER_NOT_FOUND, "no trust group with id '" + groupId + "' is registered"));
        return group.memberPartnerIds().stream().map(this::requirePartner).toList();
    }

    static PartnerRegistry inMemory()
    {
        return new InMemoryPartnerRegistry();
    }

    /**
     * Partners and trust groups in tables of the node's database (created if missing); every change
     * is appended to {@code ledger} (kind PARTNER_CHANGE, as {@code actor}) in the same transaction.
     * The ledger should store on the same database's {@link ExchangeDatabase#dataSource()}.
     */
    static PartnerRegistry jdbc(ExchangeDatabase database, AuditLedger ledger, String actor)
    {
        return new JdbcPartnerRegistry(database, ledger, actor);
    }
}
