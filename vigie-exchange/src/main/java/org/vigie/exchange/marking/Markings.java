package org.vigie.exchange.marking;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Everything that governs how one object may be released, combined from all the marking-definitions
 * it references (object-level and granular). Combination takes the most restrictive reading:
 * the highest TLP and PAP, every handling code, the earliest expiry, and the intersection of named
 * recipient lists. Granular markings are applied as if they marked the whole object, since a release
 * sends the whole object.
 *
 * @param recipients named recipients (identity ids, sorted); empty when no marking names any
 * @param originPartner the partner this node received the object from; empty for own objects
 * @param markingIds every referenced marking-definition id, sorted
 * @param unresolvedMarkingIds referenced ids this node cannot resolve; such an object is never released
 */
public record Markings(
        Optional<Tlp> tlp,
        List<HandlingCondition> handling,
        Optional<Pap> pap,
        Optional<EvaluationCode> evaluation,
        Optional<List<String>> recipients,
        Optional<Instant> expires,
        Optional<String> originPartner,
        List<String> markingIds,
        List<String> unresolvedMarkingIds)
{
    public Markings
    {
        requireNonNull(tlp, "tlp is null");
        handling = List.copyOf(new TreeSet<>(requireNonNull(handling, "handling is null")));
        requireNonNull(pap, "pap is null");
        requireNonNull(evaluation, "evaluation is null");
        recipients = requireNonNull(recipients, "recipients is null").map(list -> List.copyOf(new TreeSet<>(list)));
        requireNonNull(expires, "expires is null");
        requireNonNull(originPartner, "originPartner is null");
        markingIds = List.copyOf(new TreeSet<>(requireNonNull(markingIds, "markingIds is null")));
        unresolvedMarkingIds = List.copyOf(new TreeSet<>(requireNonNull(unresolvedMarkingIds, "unresolvedMarkingIds is null")));
    }

    public static Markings none()
    {
        return new Markings(Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());
    }

    public boolean hasHandling(HandlingCode code)
    {
        for (HandlingCondition condition : handling) {
            if (condition.code() == code) {
                return true;
            }
        }
        return false;
    }

    public boolean isExpiredAt(Instant now)
    {
        return expires.isPresent() && !now.isBefore(expires.get());
    }

    public boolean isReceived()
    {
        return originPartner.isPresent();
    }

    public Markings withOriginPartner(Optional<String> partnerId)
    {
        return new Markings(tlp, handling, pap, evaluation, recipients, expires, partnerId, markingIds, unresolvedMarkingIds);
    }

    /**
     * Reads the markings of a STIX object: its {@code object_marking_refs} and
     * {@code granular_markings[].marking_ref}, resolved through {@code resolver}, and its origin.
     * Well-known TLP 1.0 and 2.0 ids need no definition. Fails with INVALID_STIX on malformed
     * marking properties or definitions.
     */
    public static Markings of(JsonNode object, MarkingResolver resolver)
    {
        requireNonNull(object, "object is null");
        requireNonNull(resolver, "resolver is null");
        String objectId = object.path("id").asString("(no id)");
        TreeSet<String> markingIds = new TreeSet<>();
        JsonNode objectMarkings = object.get("object_marking_refs");
        if (objectMarkings != null) {
            if (!objectMarkings.isArray()) {
                throw new VigieException(ErrorCode.INVALID_STIX, objectId + ": object_marking_refs must be an array");
            }
            for (JsonNode reference : objectMarkings.values()) {
                markingIds.add(markingReference(reference, objectId, "object_marking_refs"));
            }
        }
        JsonNode granular = object.get("granular_markings");
        if (granular != null) {
            if (!granular.isArray()) {
                throw new VigieException(ErrorCode.INVALID_STIX, objectId + ": granular_markings must be an array");
            }
            for (JsonNode marking : granular.values()) {
                JsonNode reference = marking.get("marking_ref");
                // lang-only granular markings carry no marking_ref
                if (reference != null) {
                    markingIds.add(markingReference(reference, objectId, "granular_markings.marking_ref"));
                }
            }
        }

        Tlp tlp = null;
        List<HandlingCondition> handling = new ArrayList<>();
        Pap pap = null;
        EvaluationCode evaluation = null;
        TreeSet<String> recipients = null;
        Instant expires = null;
        List<String> unresolved = new ArrayList<>();
        for (String markingId : markingIds) {
            Optional<Tlp> wellKnown = Tlp.fromMarkingId(markingId);
            if (wellKnown.isPresent()) {
                tlp = max(tlp, wellKnown.get());
                continue;
            }
            Optional<JsonNode> definition = resolver.markingDefinition(markingId);
            if (definition.isEmpty()) {
                unresolved.add(markingId);
                continue;
            }
            JsonNode node = definition.get();
            Optional<Tlp> definedTlp = tlpOf(node);
            if (definedTlp.isPresent()) {
                tlp = max(tlp, definedTlp.get());
            }
            Optional<VigieMarking> vigie = VigieMarking.fromMarkingDefinition(node);
            if (vigie.isEmpty()) {
                continue;
            }
            VigieMarking marking = vigie.get();
            marking.handling().ifPresent(handling::add);
            if (marking.pap().isPresent()) {
                pap = max(pap, marking.pap().get());
            }
            if (marking.evaluation().isPresent()) {
                if (evaluation != null && !evaluation.equals(marking.evaluation().get())) {
                    throw new VigieException(ErrorCode.INVALID_STIX, objectId + ": conflicting evaluation codes " + evaluation + " and " + marking.evaluation().get());
                }
                evaluation = marking.evaluation().get();
            }
            if (marking.recipients().isPresent()) {
                if (recipients == null) {
                    recipients = new TreeSet<>(marking.recipients().get());
                }
                else {
                    recipients.retainAll(marking.recipients().get());
                }
            }
            if (marking.expires().isPresent() && (expires == null || marking.expires().get().isBefore(expires))) {
                expires = marking.expires().get();
            }
        }
        Optional<String> origin = object.has("id") ? resolver.originPartner(objectId) : Optional.empty();
        return new Markings(
                Optional.ofNullable(tlp),
                handling,
                Optional.ofNullable(pap),
                Optional.ofNullable(evaluation),
                Optional.ofNullable(recipients).map(List::copyOf),
                Optional.ofNullable(expires),
                origin,
                List.copyOf(markingIds),
                unresolved);
    }

    /** The TLP a marking-definition states: TLP 1.0 {@code definition.tlp} or the TLP 2.0 extension. */
    static Optional<Tlp> tlpOf(JsonNode definition)
    {
        String where = "marking-definition " + definition.path("id").asString("(no id)");
        JsonNode extension = definition.path("extensions").get(Tlp.TLP_2_EXTENSION_ID);
        if (extension != null) {
            JsonNode value = extension.get("tlp_2_0");
            if (value == null || !value.isString()) {
                throw new VigieException(ErrorCode.INVALID_STIX, where + ": TLP 2.0 extension without a string tlp_2_0");
            }
            return Optional.of(Tlp.fromLabel(value.stringValue())
                    .orElseThrow(() -> new VigieException(ErrorCode.INVALID_STIX, where + ": tlp_2_0 '" + value.stringValue() + "' is not a TLP 2.0 level")));
        }
        if ("tlp".equals(definition.path("definition_type").asString(""))) {
            JsonNode value = definition.path("definition").get("tlp");
            if (value == null || !value.isString()) {
                throw new VigieException(ErrorCode.INVALID_STIX, where + ": definition_type tlp without a string definition.tlp");
            }
            return Optional.of(Tlp.fromLabel(value.stringValue())
                    .orElseThrow(() -> new VigieException(ErrorCode.INVALID_STIX, where + ": definition.tlp '" + value.stringValue() + "' is not a TLP level")));
        }
        return Optional.empty();
    }

    private static String markingReference(JsonNode reference, String objectId, String property)
    {
        if (!reference.isString() || !reference.stringValue().startsWith("marking-definition--")) {
            throw new VigieException(ErrorCode.INVALID_STIX, objectId + ": " + property + " element " + reference + " is not a marking-definition id");
        }
        return reference.stringValue();
    }

    private static <T extends Comparable<T>> T max(T current, T candidate)
    {
        return current == null || candidate.compareTo(current) > 0 ? candidate : current;
    }
}
