package org.vigie.exchange.service;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.envelope.RejectionReason;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * A receiving node's answer to one envelope, kept in both nodes' tables. It travels signed with the
 * receiving node's Ed25519 key (see {@link #fromSigned}); the sender verifies it against that
 * partner's pinned key before it changes anything. The same envelope delivered twice gets the same
 * signed receipt.
 *
 * @param sender the STIX identity of the node that received the envelope and signs this receipt
 * @param recipient the STIX identity of the node that sent the envelope, to which the receipt is addressed
 * @param envelopeId as far as it could be read
 * @param rejection for REJECTED, why
 * @param expectedSequence for REPLAYED and OUT_OF_ORDER rejections, the sequence the receiver expects next
 * @param storedObjectIds objects stored from the envelope's bundle
 * @param recalledObjectIds objects the envelope recalled that the receiver removed
 */
public record Receipt(
        String sender,
        String recipient,
        Optional<String> envelopeId,
        OptionalLong sequence,
        ReceiptStatus status,
        Optional<RejectionReason> rejection,
        String detail,
        OptionalLong expectedSequence,
        List<String> storedObjectIds,
        List<String> recalledObjectIds)
{
    public static final String TYPE = "vigie-receipt";

    public Receipt
    {
        requireNonNull(sender, "sender is null");
        requireNonNull(recipient, "recipient is null");
        requireNonNull(envelopeId, "envelopeId is null");
        requireNonNull(sequence, "sequence is null");
        requireNonNull(status, "status is null");
        requireNonNull(rejection, "rejection is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(expectedSequence, "expectedSequence is null");
        storedObjectIds = List.copyOf(requireNonNull(storedObjectIds, "storedObjectIds is null"));
        recalledObjectIds = List.copyOf(requireNonNull(recalledObjectIds, "recalledObjectIds is null"));
        if ((status == ReceiptStatus.REJECTED) != rejection.isPresent()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "a receipt has a rejection reason if and only if its status is REJECTED");
        }
    }

    public ObjectNode toJson()
    {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("type", TYPE);
        root.put("sender", sender);
        root.put("recipient", recipient);
        envelopeId.ifPresent(value -> root.put("envelope_id", value));
        sequence.ifPresent(value -> root.put("sequence", value));
        root.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        rejection.ifPresent(value -> root.put("reason", value.name()));
        root.put("detail", detail);
        expectedSequence.ifPresent(value -> root.put("expected_sequence", value));
        ArrayNode stored = root.putArray("stored_object_ids");
        storedObjectIds.forEach(stored::add);
        ArrayNode recalled = root.putArray("recalled_object_ids");
        recalledObjectIds.forEach(recalled::add);
        return root;
    }

    public String toJsonText()
    {
        return StixJson.compact(toJson());
    }

    /**
     * Reads the receipt inside a signed receipt (a compact JWS) without checking the signature: for
     * receipts verified when they arrived and read back from a table. A plain JSON receipt (stored
     * before receipts were signed) is read as is.
     */
    public static Receipt fromSigned(String text)
    {
        requireNonNull(text, "text is null");
        if (text.startsWith("{")) {
            return fromJson(text);
        }
        return fromJson(ReceiptSignature.payload(text));
    }

    public static Receipt fromJson(String text)
    {
        JsonNode root;
        try {
            root = StixJson.parse(text);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_ENVELOPE, "receipt is not JSON: " + e.getMessage(), e);
        }
        return fromJson(root, text);
    }

    static Receipt fromJson(JsonNode root, String text)
    {
        if (!root.isObject() || !TYPE.equals(root.path("type").asString(""))) {
            throw new VigieException(ErrorCode.INVALID_ENVELOPE, "not a " + TYPE + ": " + abbreviate(text));
        }
        ReceiptStatus status;
        Optional<RejectionReason> rejection;
        try {
            status = ReceiptStatus.valueOf(root.path("status").asString("").toUpperCase(java.util.Locale.ROOT));
            rejection = root.has("reason") ? Optional.of(RejectionReason.valueOf(root.path("reason").asString(""))) : Optional.empty();
        }
        catch (IllegalArgumentException e) {
            throw new VigieException(ErrorCode.INVALID_ENVELOPE, "receipt has an unknown status or reason: " + abbreviate(text), e);
        }
        return new Receipt(
                root.path("sender").asString(""),
                root.path("recipient").asString(""),
                Optional.ofNullable(root.get("envelope_id")).map(JsonNode::asString),
                root.has("sequence") ? OptionalLong.of(root.path("sequence").asLong()) : OptionalLong.empty(),
                status,
                rejection,
                root.path("detail").asString(""),
                root.has("expected_sequence") ? OptionalLong.of(root.path("expected_sequence").asLong()) : OptionalLong.empty(),
                strings(root.path("stored_object_ids")),
                strings(root.path("recalled_object_ids")));
    }

    private static List<String> strings(JsonNode array)
    {
        List<String> result = new ArrayList<>();
        for (JsonNode element : array.values()) {
            result.add(element.asString(""));
        }
        return result;
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
