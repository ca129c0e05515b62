package org.vigie.exchange.envelope;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.exchange.policy.WithheldReference;
import org.vigie.stix.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Everything released travels in an envelope: one bundle for one recipient node, with the metadata
 * the receiver checks before storing anything.
 *
 * <p>One envelope has exactly one recipient: each partner gets its own bundle (the policy decides per
 * partner) and its own sequence, numbered from 1 per (sender, recipient) pair.
 *
 * @param sender STIX identity id of the sending node's organisation
 * @param recipient STIX identity id of the receiving node's organisation
 * @param handling summary of the strictest handling in the bundle, e.g. {@code TLP:AMBER}, {@code H2}
 */
public record Envelope(
        String id,
        String sender,
        String recipient,
        long sequence,
        Instant created,
        List<String> handling,
        List<WithheldReferenceNotice> withheldReferences,
        JsonNode bundle)
{
    public static final String TYPE = "vigie-envelope";
    public static final int FORMAT_VERSION = 1;
    private static final Set<String> PROPERTIES = Set.of(
            "type", "format_version", "id", "sender", "recipient", "sequence", "created", "handling", "withheld_references", "bundle");

    public Envelope
    {
        requireNonNull(id, "id is null");
        requireNonNull(sender, "sender is null");
        requireNonNull(recipient, "recipient is null");
        requireNonNull(created, "created is null");
        handling = List.copyOf(requireNonNull(handling, "handling is null"));
        withheldReferences = List.copyOf(requireNonNull(withheldReferences, "withheldReferences is null"));
        requireNonNull(bundle, "bundle is null");
        if (!id.startsWith("envelope--")) {
            throw invalid("envelope id '" + id + "' must start with 'envelope--'");
        }
        if (!sender.startsWith("identity--") || !recipient.startsWith("identity--")) {
            throw invalid(id + ": sender and recipient must be STIX identity ids");
        }
        if (sequence < 1) {
            throw invalid(id + ": sequence must be at least 1, not " + sequence);
        }
        if (!bundle.isObject() || !"bundle".equals(bundle.path("type").asString(""))) {
            throw invalid(id + ": bundle must be a STIX bundle object");
        }
    }

    /** An envelope carrying a release plan; the withheld targets stay in the local ledger, only their places are told. */
    public static Envelope of(String id, String sender, String recipient, long sequence, Instant created, ReleasePlan plan, String bundleId)
    {
        Set<WithheldReferenceNotice> notices = new LinkedHashSet<>();
        for (WithheldReference reference : plan.withheldReferences()) {
            notices.add(new WithheldReferenceNotice(reference.objectId(), reference.path()));
        }
        return new Envelope(id, sender, recipient, sequence, created, plan.handling(), List.copyOf(notices), plan.bundle(bundleId));
    }

    public ObjectNode toJson()
    {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("type", TYPE);
        root.put("format_version", FORMAT_VERSION);
        root.put("id", id);
        root.put("sender", sender);
        root.put("recipient", recipient);
        root.put("sequence", sequence);
        root.put("created", Timestamps.format(created));
        ArrayNode handlingArray = root.putArray("handling");
        handling.forEach(handlingArray::add);
        ArrayNode withheld = root.putArray("withheld_references");
        for (WithheldReferenceNotice notice : withheldReferences) {
            ObjectNode node = withheld.addObject();
            node.put("object_id", notice.objectId());
            node.put("path", notice.path());
        }
        root.set("bundle", bundle);
        return root;
    }

    /** Reads an envelope, strictly: unknown or missing properties are rejected with INVALID_ENVELOPE. */
    public static Envelope fromJson(JsonNode root)
    {
        if (root == null || !root.isObject()) {
            throw invalid("an envelope must be a JSON object");
        }
        for (String property : root.propertyNames()) {
            if (!PROPERTIES.contains(property)) {
                throw invalid("envelope has unknown property '" + property + "'");
            }
        }
        if (!TYPE.equals(root.path("type").asString(""))) {
            throw invalid("envelope type must be '" + TYPE + "'");
        }
        JsonNode version = root.get("format_version");
        if (version == null || !version.isIntegralNumber() || version.intValue() != FORMAT_VERSION) {
            throw invalid("envelope format_version must be " + FORMAT_VERSION);
        }
        JsonNode sequence = root.get("sequence");
        if (sequence == null || !sequence.isIntegralNumber() || !sequence.canConvertToLong()) {
            throw invalid("envelope sequence must be an integer");
        }
        Instant created;
        try {
            created = Timestamps.parse(string(root, "created"));
        }
        catch (VigieException e) {
            throw invalid("envelope created: " + e.getMessage());
        }
        List<String> handling = new ArrayList<>();
        for (JsonNode element : array(root, "handling").values()) {
            if (!element.isString()) {
                throw invalid("envelope handling must contain only strings");
            }
            handling.add(element.stringValue());
        }
        List<WithheldReferenceNotice> withheld = new ArrayList<>();
        for (JsonNode element : array(root, "withheld_references").values()) {
            withheld.add(new WithheldReferenceNotice(string(element, "object_id"), string(element, "path")));
        }
        JsonNode bundle = root.get("bundle");
        if (bundle == null) {
            throw invalid("envelope has no bundle");
        }
        return new Envelope(string(root, "id"), string(root, "sender"), string(root, "recipient"), sequence.longValue(), created, handling, withheld, bundle);
    }

    private static String string(JsonNode node, String property)
    {
        JsonNode value = node.get(property);
        if (value == null || !value.isString()) {
            throw invalid("envelope property '" + property + "' is required and must be a string");
        }
        return value.stringValue();
    }

    private static JsonNode array(JsonNode node, String property)
    {
        JsonNode value = node.get(property);
        if (value == null || !value.isArray()) {
            throw invalid("envelope property '" + property + "' is required and must be an array");
        }
        return value;
    }

    private static VigieException invalid(String message)
    {
        return new VigieException(ErrorCode.INVALID_ENVELOPE, message);
    }
}
