package org.vigie.exchange.marking;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.stix.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The content of one Vigie handling marking: a STIX 2.1 marking-definition carrying the property
 * extension {@link #EXTENSION_ID}. Every property is optional; an object referencing several such
 * markings gets their combination (see {@link Markings}). The JSON schema is in docs/EXCHANGE.md.
 */
public record VigieMarking(
        Optional<HandlingCondition> handling,
        Optional<Pap> pap,
        Optional<EvaluationCode> evaluation,
        Optional<List<String>> recipients,
        Optional<Instant> expires)
{
    /** Fixed id of the Vigie handling extension-definition; never change it, partners key on it. */
    public static final String EXTENSION_ID = "extension-definition--c4441615-5ef7-4008-a6c6-c84b86926fd7";
    /** The identity that publishes the extension-definition. */
    public static final String EXTENSION_CREATOR_ID = "identity--8b12fb2d-36af-4aba-aca1-fc903b2ee50e";
    private static final String EXTENSION_CREATED = "2026-11-22T00:00:00.000Z";
    // Namespace of the name-based (version 5) marking-definition ids: equal content gives equal ids on every node.
    private static final UUID ID_NAMESPACE = UUID.fromString("c4441615-5ef7-4008-a6c6-c84b86926fd7");

    public VigieMarking
    {
        requireNonNull(handling, "handling is null");
        requireNonNull(pap, "pap is null");
        requireNonNull(evaluation, "evaluation is null");
        requireNonNull(recipients, "recipients is null");
        requireNonNull(expires, "expires is null");
        recipients = recipients.map(list -> List.copyOf(new TreeSet<>(list)));
        recipients.ifPresent(list -> list.forEach(VigieMarking::requireIdentityId));
    }

    public static VigieMarking empty()
    {
        return new VigieMarking(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public VigieMarking withHandling(HandlingCode code, Optional<String> condition)
    {
        return new VigieMarking(Optional.of(new HandlingCondition(code, condition)), pap, evaluation, recipients, expires);
    }

    public VigieMarking withPap(Pap value)
    {
        return new VigieMarking(handling, Optional.of(value), evaluation, recipients, expires);
    }

    public VigieMarking withEvaluation(EvaluationCode value)
    {
        return new VigieMarking(handling, pap, Optional.of(value), recipients, expires);
    }

    public VigieMarking withRecipients(List<String> identityIds)
    {
        return new VigieMarking(handling, pap, evaluation, Optional.of(identityIds), expires);
    }

    public VigieMarking withExpires(Instant value)
    {
        return new VigieMarking(handling, pap, evaluation, recipients, Optional.of(value));
    }

    /** The extension body, properties in a fixed order. */
    public ObjectNode extensionBody()
    {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("extension_type", "property-extension");
        handling.ifPresent(value -> {
            body.put("handling_code", value.code().name());
            value.condition().ifPresent(condition -> body.put("handling_condition", condition));
        });
        pap.ifPresent(value -> body.put("pap", value.label()));
        evaluation.ifPresent(value -> body.put("evaluation", value.toString()));
        recipients.ifPresent(list -> {
            ArrayNode array = body.putArray("recipient_refs");
            list.forEach(array::add);
        });
        expires.ifPresent(value -> body.put("expires", Timestamps.format(value)));
        return body;
    }

    /**
     * A marking-definition object for this marking. Its id is derived from the content, so the same
     * marking produced twice, here or by a partner, has the same id.
     */
    public ObjectNode toMarkingDefinition(Instant created, String createdByRef)
    {
        ObjectNode body = extensionBody();
        ObjectNode definition = JsonNodeFactory.instance.objectNode();
        definition.put("type", "marking-definition");
        definition.put("spec_version", "2.1");
        definition.put("id", "marking-definition--" + nameBasedUuid(CanonicalJson.canonicalString(body)));
        definition.put("created", Timestamps.format(created));
        definition.put("created_by_ref", requireIdentityId(createdByRef));
        definition.put("name", "Vigie handling " + summary());
        definition.putObject("extensions").set(EXTENSION_ID, body);
        return definition;
    }

    /** Reads the Vigie extension of a marking-definition; empty when it has none. */
    public static Optional<VigieMarking> fromMarkingDefinition(JsonNode definition)
    {
        JsonNode body = definition.path("extensions").get(EXTENSION_ID);
        if (body == null) {
            return Optional.empty();
        }
        String where = "marking-definition " + definition.path("id").asString("(no id)") + ", extension " + EXTENSION_ID;
        if (!body.isObject()) {
            throw new VigieException(ErrorCode.INVALID_STIX, where + ": must be a JSON object");
        }
        Optional<HandlingCondition> handling = Optional.empty();
        Optional<String> codeText = string(body, "handling_code", where);
        if (codeText.isPresent()) {
            HandlingCode code = HandlingCode.fromName(codeText.get())
                    .orElseThrow(() -> new VigieException(ErrorCode.INVALID_STIX, where + ": handling_code '" + codeText.get() + "' is not one of H0, H1, H2, H3"));
            handling = Optional.of(new HandlingCondition(code, string(body, "handling_condition", where)));
        }
        else if (body.has("handling_condition")) {
            throw new VigieException(ErrorCode.INVALID_STIX, where + ": handling_condition needs a handling_code");
        }
        Optional<Pap> pap = Optional.empty();
        Optional<String> papText = string(body, "pap", where);
        if (papText.isPresent()) {
            pap = Optional.of(Pap.fromLabel(papText.get())
                    .orElseThrow(() -> new VigieException(ErrorCode.INVALID_STIX, where + ": pap '" + papText.get() + "' is not one of clear, green, amber, red")));
        }
        Optional<EvaluationCode> evaluation;
        try {
            evaluation = string(body, "evaluation", where).map(EvaluationCode::parse);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_STIX, where + ": evaluation: " + e.getMessage(), e);
        }
        Optional<List<String>> recipients = Optional.empty();
        JsonNode recipientNode = body.get("recipient_refs");
        if (recipientNode != null) {
            if (!recipientNode.isArray() || recipientNode.isEmpty()) {
                throw new VigieException(ErrorCode.INVALID_STIX, where + ": recipient_refs must be a non-empty array of identity ids");
            }
            List<String> list = new ArrayList<>();
            for (JsonNode element : recipientNode.values()) {
                if (!element.isString() || !element.stringValue().startsWith("identity--")) {
                    throw new VigieException(ErrorCode.INVALID_STIX, where + ": recipient_refs element " + element + " is not an identity id");
                }
                list.add(element.stringValue());
            }
            recipients = Optional.of(list);
        }
        Optional<Instant> expires;
        try {
            expires = string(body, "expires", where).map(Timestamps::parse);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_STIX, where + ": expires: " + e.getMessage(), e);
        }
        return Optional.of(new VigieMarking(handling, pap, evaluation, recipients, expires));
    }

    /** The extension-definition object that describes the Vigie handling extension to partners. */
    public static ObjectNode extensionDefinition()
    {
        ObjectNode definition = JsonNodeFactory.instance.objectNode();
        definition.put("type", "extension-definition");
        definition.put("spec_version", "2.1");
        definition.put("id", EXTENSION_ID);
        definition.put("created_by_ref", EXTENSION_CREATOR_ID);
        definition.put("created", EXTENSION_CREATED);
        definition.put("modified", EXTENSION_CREATED);
        definition.put("name", "Vigie handling marking");
        definition.put("description", "Handling codes H0-H3 with condition, PAP, evaluation code (source reliability A-F, "
                + "information credibility 1-6), named recipients and expiry, carried by marking-definition objects.");
        definition.put("schema", "https://vigie.example/docs/EXCHANGE.md#vigie-handling-extension");
        definition.put("version", "1.0");
        definition.putArray("extension_types").add("property-extension");
        return definition;
    }

    private String summary()
    {
        List<String> parts = new ArrayList<>();
        handling.ifPresent(value -> parts.add(value.code().name()));
        pap.ifPresent(value -> parts.add("PAP:" + value.name()));
        evaluation.ifPresent(value -> parts.add(value.toString()));
        recipients.ifPresent(list -> parts.add(list.size() + " named recipient(s)"));
        expires.ifPresent(value -> parts.add("expires " + Timestamps.format(value)));
        return parts.isEmpty() ? "(empty)" : String.join(", ", parts);
    }

    private static Optional<String> string(JsonNode body, String property, String where)
    {
        JsonNode value = body.get(property);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw new VigieException(ErrorCode.INVALID_STIX, where + ": " + property + " must be a string");
        }
        return Optional.of(value.stringValue());
    }

    private static String requireIdentityId(String id)
    {
        requireNonNull(id, "identity id is null");
        if (!id.startsWith("identity--")) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "'" + id + "' is not a STIX identity id");
        }
        return id;
    }

    static UUID nameBasedUuid(String name)
    {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (NoSuchAlgorithmException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "SHA-1 is not available in this JVM", e);
        }
        sha1.update(ByteBuffer.allocate(16).putLong(ID_NAMESPACE.getMostSignificantBits()).putLong(ID_NAMESPACE.getLeastSignificantBits()).array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(buffer.getLong(), buffer.getLong());
    }
}
