package org.vigie.exchange.partner;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecords;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Partners and trust groups in two tables of the node's database. Every change is written to the
 * audit ledger in the same transaction, so a change is never in effect without its entry.
 */
final class JdbcPartnerRegistry
        implements PartnerRegistry
{
    static final String PARTNER_TABLE = "vigie_exchange_partner";
    static final String GROUP_TABLE = "vigie_exchange_trust_group";
    static final String VERSION_TABLE = "vigie_exchange_registry_version";

    private final ExchangeDatabase database;
    private final AuditLedger ledger;
    private final String actor;
    private volatile Snapshot snapshot;

    /**
     * Every partner and group as of one registry version, parsed once: the TAXII server and the inbox look a
     * partner up on every request, and parsing its record (JSON, JWK) each time cost more than the lookup.
     */
    private record Snapshot(long version, Map<String, Partner> partners, Map<String, Partner> byIdentity, Map<String, Partner> byCertificate,
            Map<String, TrustGroup> groups)
    {
        Snapshot
        {
            requireNonNull(partners, "partners is null");
            requireNonNull(byIdentity, "byIdentity is null");
            requireNonNull(byCertificate, "byCertificate is null");
            requireNonNull(groups, "groups is null");
        }
    }

    JdbcPartnerRegistry(ExchangeDatabase database, AuditLedger ledger, String actor)
    {
        this.database = requireNonNull(database, "database is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        // The tables come with the exchange database's migrations.
        this.actor = requireNonNull(actor, "actor is null");
    }

    @Override
    public void putPartner(Partner partner)
    {
        requireNonNull(partner, "partner is null");
        database.inTransaction("store partner " + partner.id(), connection -> {
            Optional<Partner> sameIdentity = partnerByIdentity(connection, partner.identityId());
            if (sameIdentity.isPresent() && !sameIdentity.get().id().equals(partner.id())) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "partner " + partner.id() + ": identity " + partner.identityId() + " already belongs to partner " + sameIdentity.get().id());
            }
            Optional<Partner> previous = partner(connection, partner.id());
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + PARTNER_TABLE + " (id, identity_id, document) VALUES (?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET identity_id = excluded.identity_id, document = excluded.document")) {
                statement.setString(1, partner.id());
                statement.setString(2, partner.identityId());
                statement.setString(3, StixJson.compact(toJson(partner)));
                statement.executeUpdate();
            }
            String change = previous.isEmpty()
                    ? "added partner " + partner.id() + " (" + partner.identityId() + ", endpoint " + partner.endpoint() + ", certificate sha256 " + partner.certificateSha256() + ")"
                    : "changed partner " + partner.id() + describeChange(previous.get(), partner);
            ledger.append(AuditRecords.partnerChange(actor, partner.id(), change));
            changed(connection);
            return null;
        });
    }

    @Override
    public void removePartner(String partnerId)
    {
        database.inTransaction("remove partner " + partnerId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + PARTNER_TABLE + " WHERE id = ?")) {
                statement.setString(1, partnerId);
                if (statement.executeUpdate() == 0) {
                    throw new VigieException(ErrorCode.PARTNER_NOT_FOUND, "cannot remove partner '" + partnerId + "': not registered");
                }
            }
            for (TrustGroup group : groups(connection)) {
                if (group.hasMember(partnerId)) {
                    List<String> members = new ArrayList<>(group.memberPartnerIds());
                    members.remove(partnerId);
                    if (members.isEmpty()) {
                        deleteGroup(connection, group.id());
                    }
                    else {
                        writeGroup(connection, new TrustGroup(group.id(), group.name(), group.kind(), members));
                    }
                }
            }
            ledger.append(AuditRecords.partnerChange(actor, partnerId, "removed partner " + partnerId + " and its trust group memberships"));
            changed(connection);
            return null;
        });
    }

    @Override
    public Optional<Partner> partner(String partnerId)
    {
        return Optional.ofNullable(current().partners().get(partnerId));
    }

    @Override
    public Optional<Partner> partnerByIdentity(String identityId)
    {
        return Optional.ofNullable(current().byIdentity().get(identityId));
    }

    @Override
    public Optional<Partner> partnerByCertificate(String certificateSha256)
    {
        return Optional.ofNullable(current().byCertificate().get(certificateSha256));
    }

    @Override
    public List<Partner> partners()
    {
        return List.copyOf(current().partners().values());
    }

    @Override
    public void putGroup(TrustGroup group)
    {
        requireNonNull(group, "group is null");
        database.inTransaction("store trust group " + group.id(), connection -> {
            for (String member : group.memberPartnerIds()) {
                if (partner(connection, member).isEmpty()) {
                    throw new VigieException(ErrorCode.PARTNER_NOT_FOUND, "trust group " + group.id() + ": member '" + member + "' is not a registered partner");
                }
            }
            writeGroup(connection, group);
            // A group change is recorded once per member, so a query by partner finds it.
            for (String member : group.memberPartnerIds()) {
                ledger.append(AuditRecords.partnerChange(actor, member, "trust group " + group.id() + " (" + group.kind() + ") now has members " + group.memberPartnerIds()));
            }
            changed(connection);
            return null;
        });
    }

    @Override
    public void removeGroup(String groupId)
    {
        database.inTransaction("remove trust group " + groupId, connection -> {
            Optional<TrustGroup> group = group(connection, groupId);
            if (group.isEmpty()) {
                throw new VigieException(ErrorCode.PARTNER_NOT_FOUND, "cannot remove trust group '" + groupId + "': not registered");
            }
            deleteGroup(connection, groupId);
            for (String member : group.get().memberPartnerIds()) {
                ledger.append(AuditRecords.partnerChange(actor, member, "trust group " + groupId + " removed"));
            }
            changed(connection);
            return null;
        });
    }

    @Override
    public Optional<TrustGroup> group(String groupId)
    {
        return Optional.ofNullable(current().groups().get(groupId));
    }

    @Override
    public List<TrustGroup> groups()
    {
        return List.copyOf(current().groups().values());
    }

    @Override
    public Set<String> groupIdsOf(String partnerId)
    {
        SortedSet<String> result = new TreeSet<>();
        for (TrustGroup group : current().groups().values()) {
            if (group.hasMember(partnerId)) {
                result.add(group.id());
            }
        }
        return Collections.unmodifiableSortedSet(result);
    }

    /**
     * The registry as committed now: one single-row query for the version, and the tables read again only
     * when it moved. Inside a transaction of this database the read joins it, so a change made in it and not
     * yet committed is seen there (and the snapshot read then is not kept, since it may roll back).
     */
    private Snapshot current()
    {
        return database.read("read the partner registry", connection -> {
            long version = version(connection);
            Snapshot cached = snapshot;
            if (cached != null && cached.version() == version) {
                return cached;
            }
            Snapshot loaded = load(connection, version);
            if (connection.getAutoCommit()) {
                snapshot = loaded;
            }
            return loaded;
        });
    }

    private static long version(Connection connection)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT version FROM " + VERSION_TABLE + " WHERE id = 1");
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    private static void changed(Connection connection)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + VERSION_TABLE + " SET version = version + 1 WHERE id = 1")) {
            statement.executeUpdate();
        }
    }

    private static Snapshot load(Connection connection, long version)
            throws SQLException
    {
        Map<String, Partner> partners = new TreeMap<>();
        Map<String, Partner> byIdentity = new HashMap<>();
        Map<String, Partner> byCertificate = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, document FROM " + PARTNER_TABLE + " ORDER BY id");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Partner partner = fromJson(rows.getString(1), rows.getString(2));
                partners.put(partner.id(), partner);
                byIdentity.put(partner.identityId(), partner);
                // Two partners pinning one certificate: the first by id answers, as the listing did before.
                byCertificate.putIfAbsent(partner.certificateSha256(), partner);
            }
        }
        Map<String, TrustGroup> groups = new TreeMap<>();
        for (TrustGroup group : groups(connection)) {
            groups.put(group.id(), group);
        }
        return new Snapshot(version, Collections.unmodifiableMap(partners), Map.copyOf(byIdentity), Map.copyOf(byCertificate), Collections.unmodifiableMap(groups));
    }

    private static Optional<Partner> partner(Connection connection, String partnerId)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, document FROM " + PARTNER_TABLE + " WHERE id = ?")) {
            statement.setString(1, partnerId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(fromJson(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        }
    }

    private static Optional<Partner> partnerByIdentity(Connection connection, String identityId)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, document FROM " + PARTNER_TABLE + " WHERE identity_id = ?")) {
            statement.setString(1, identityId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(fromJson(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        }
    }

    private static Optional<TrustGroup> group(Connection connection, String groupId)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, document FROM " + GROUP_TABLE + " WHERE id = ?")) {
            statement.setString(1, groupId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(groupFromJson(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        }
    }

    private static List<TrustGroup> groups(Connection connection)
            throws SQLException
    {
        List<TrustGroup> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, document FROM " + GROUP_TABLE + " ORDER BY id");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                result.add(groupFromJson(rows.getString(1), rows.getString(2)));
            }
        }
        return List.copyOf(result);
    }

    private static void writeGroup(Connection connection, TrustGroup group)
            throws SQLException
    {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("name", group.name());
        document.put("kind", group.kind().name());
        ArrayNode members = document.putArray("member_partner_ids");
        group.memberPartnerIds().forEach(members::add);
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + GROUP_TABLE + " (id, document) VALUES (?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET document = excluded.document")) {
            statement.setString(1, group.id());
            statement.setString(2, StixJson.compact(document));
            statement.executeUpdate();
        }
    }

    private static void deleteGroup(Connection connection, String groupId)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + GROUP_TABLE + " WHERE id = ?")) {
            statement.setString(1, groupId);
            statement.executeUpdate();
        }
    }

    private static String describeChange(Partner before, Partner after)
    {
        StringBuilder change = new StringBuilder();
        if (!before.name().equals(after.name())) {
            change.append("; name '").append(before.name()).append("' -> '").append(after.name()).append("'");
        }
        if (!before.identityId().equals(after.identityId())) {
            change.append("; identity ").append(before.identityId()).append(" -> ").append(after.identityId());
        }
        if (!before.endpoint().equals(after.endpoint())) {
            change.append("; endpoint ").append(before.endpoint()).append(" -> ").append(after.endpoint());
        }
        if (!before.certificateSha256().equals(after.certificateSha256())) {
            change.append("; certificate sha256 ").append(before.certificateSha256()).append(" -> ").append(after.certificateSha256());
        }
        if (!before.signingKey().toJSONString().equals(after.signingKey().toJSONString())) {
            change.append("; signing key replaced");
        }
        return change.isEmpty() ? " (no difference)" : change.toString();
    }

    private static ObjectNode toJson(Partner partner)
    {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("name", partner.name());
        document.put("identity_id", partner.identityId());
        document.put("endpoint", partner.endpoint().toString());
        document.put("certificate_sha256", partner.certificateSha256());
        document.put("signing_key", partner.signingKey().toJSONString());
        return document;
    }

    private static Partner fromJson(String id, String json)
    {
        JsonNode document = StixJson.parse(json);
        OctetKeyPair key;
        try {
            key = OctetKeyPair.parse(document.path("signing_key").asString(""));
        }
        catch (ParseException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "partner " + id + " in table " + PARTNER_TABLE + " has an unreadable signing key: " + e.getMessage(), e);
        }
        return new Partner(id, document.path("name").asString(""), document.path("identity_id").asString(""), URI.create(document.path("endpoint").asString("")),
                document.path("certificate_sha256").asString(""), key);
    }

    private static TrustGroup groupFromJson(String id, String json)
    {
        JsonNode document = StixJson.parse(json);
        List<String> members = new ArrayList<>();
        for (JsonNode member : document.path("member_partner_ids").values()) {
            members.add(member.asString(""));
        }
        return new TrustGroup(id, document.path("name").asString(""), TrustGroupKind.valueOf(document.path("kind").asString("")), members);
    }
}
