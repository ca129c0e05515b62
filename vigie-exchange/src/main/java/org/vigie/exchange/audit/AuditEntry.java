package org.vigie.exchange.audit;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.stix.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One ledger entry. {@link #hash()} is the lower-case hex SHA-256 of the RFC 8785 canonical JSON of
 * every other field, {@link #previousHash()} included, so each entry commits to the whole chain
 * before it. The first entry's previous hash is {@link #GENESIS_HASH}.
 */
public record AuditEntry(
        long sequence,
        Instant timestamp,
        AuditKind kind,
        String actor,
        Optional<String> partnerId,
        List<String> objectIds,
        List<String> handling,
        Optional<String> envelopeId,
        String detail,
        String previousHash,
        String hash)
{
    public static final String GENESIS_HASH = "0".repeat(64);

    public AuditEntry
    {
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(partnerId, "partnerId is null");
        objectIds = List.copyOf(requireNonNull(objectIds, "objectIds is null"));
        handling = List.copyOf(requireNonNull(handling, "handling is null"));
        requireNonNull(envelopeId, "envelopeId is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(previousHash, "previousHash is null");
        requireNonNull(hash, "hash is null");
    }

    /** A new entry following one whose hash is {@code previousHash}; computes its hash. */
    public static AuditEntry create(long sequence, Instant timestamp, AuditRecord record, String previousHash)
    {
        AuditEntry unhashed = new AuditEntry(sequence, timestamp, record.kind(), record.actor(), record.partnerId(), record.objectIds(),
                record.handling(), record.envelopeId(), record.detail(), previousHash, "");
        return unhashed.withHash(unhashed.computeHash());
    }

    /** The hash this entry's content gives; equal to {@link #hash()} unless the entry was altered. */
    public String computeHash()
    {
        return CanonicalJson.sha256Hex(content());
    }

    public boolean mentions(String objectId)
    {
        return objectIds.contains(objectId);
    }

    AuditEntry withHash(String value)
    {
        return new AuditEntry(sequence, timestamp, kind, actor, partnerId, objectIds, handling, envelopeId, detail, previousHash, value);
    }

    /** The stored form: the hashed content plus {@code hash}. */
    public ObjectNode toJson()
    {
        ObjectNode node = content();
        node.put("hash", hash);
        return node;
    }

    public static AuditEntry fromJson(JsonNode node)
    {
        try {
            return new AuditEntry(
                    node.get("sequence").longValue(),
                    Timestamps.parse(node.get("timestamp").stringValue()),
                    AuditKind.valueOf(node.get("kind").stringValue()),
                    node.get("actor").stringValue(),
                    Optional.ofNullable(node.get("partner_id")).map(JsonNode::stringValue),
                    strings(node.get("object_ids")),
                    strings(node.get("handling")),
                    Optional.ofNullable(node.get("envelope_id")).map(JsonNode::stringValue),
                    node.get("detail").stringValue(),
                    node.get("previous_hash").stringValue(),
                    node.get("hash").stringValue());
        }
        catch (RuntimeException e) {
            throw new VigieException(ErrorCode.AUDIT_LEDGER_BROKEN, "unreadable audit ledger entry " + node + ": " + e.getMessage(), e);
        }
    }

    private ObjectNode content()
    {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("sequence", sequence);
        node.put("timestamp", Timestamps.format(timestamp));
        node.put("kind", kind.name());
        node.put("actor", actor);
        partnerId.ifPresent(value -> node.put("partner_id", value));
        ArrayNode objects = node.putArray("object_ids");
        objectIds.forEach(objects::add);
        ArrayNode handlingArray = node.putArray("handling");
        handling.forEach(handlingArray::add);
        envelopeId.ifPresent(value -> node.put("envelope_id", value));
        node.put("detail", detail);
        node.put("previous_hash", previousHash);
        return node;
    }

    private static List<String> strings(JsonNode array)
    {
        List<String> result = new ArrayList<>();
        for (JsonNode element : array.values()) {
            result.add(element.stringValue());
        }
        return result;
    }
}
