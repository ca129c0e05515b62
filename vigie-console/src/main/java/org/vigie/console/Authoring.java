package org.vigie.console;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.PatternParser;
import org.vigie.stix.StixObject;
import org.vigie.stix.Timestamps;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.stix.validation.StixValidator;
import org.vigie.stix.validation.Violation;
import org.vigie.store.AddOutcome;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Creates and edits STIX objects from the console's forms. The server owns the header: id (new, or the
 * edited object's), spec_version, created (kept on edit), modified (now, after the previous version)
 * and object_marking_refs (the chosen TLP 2.0 level, whose marking-definition is stored alongside so
 * that partners can resolve it). The result must pass {@link StixValidator}; indicators with STIX
 * patterns must also parse.
 */
final class Authoring
{
    static final Set<String> TYPES = Set.of(
            "threat-actor", "intrusion-set", "campaign", "indicator", "report", "note", "relationship", "sighting",
            "malware", "tool", "attack-pattern", "vulnerability", "identity", "infrastructure");
    private static final Set<String> SERVER_PROPERTIES = Set.of("id", "type", "spec_version", "created", "modified", "object_marking_refs");

    private final ObjectStore store;
    private final InstantSource clock;
    private final StixValidator validator = StixValidator.create();

    Authoring(ObjectStore store, InstantSource clock)
    {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Validation outcome of a pattern: empty when valid, else the parser's message (naming the column). */
    static Optional<String> patternError(String pattern)
    {
        try {
            PatternParser.parse(pattern);
            return Optional.empty();
        }
        catch (VigieException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Builds, validates and stores one object version in {@code collectionId}; the caller has checked
     * the user may write there (and, for an edit, read the previous version).
     */
    StixObject save(String collectionId, String type, Optional<String> existingId, TlpMarkings.Tlp tlp, JsonNode properties)
    {
        if (!TYPES.contains(type)) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "the console does not author objects of type '" + type + "'; it authors " + TYPES.stream().sorted().toList());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode object = ConsoleJson.MAPPER.createObjectNode();
        object.put("type", type);
        object.put("spec_version", "2.1");
        Instant created = now;
        Instant modified = now;
        if (existingId.isPresent()) {
            StixObject previous = latest(collectionId, existingId.get())
                    .orElseThrow(() -> new VigieException(ErrorCode.OBJECT_NOT_FOUND, "object " + existingId.get() + " is not in collection " + collectionId));
            if (!previous.type().equals(type)) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "object " + existingId.get() + " is a " + previous.type() + ", not a " + type);
            }
            created = previous.created().orElse(now);
            Instant previousVersion = previous.version().orElse(now);
            // A new version must be later than the one it replaces, even within the same millisecond.
            modified = now.isAfter(previousVersion) ? now : previousVersion.plusMillis(1);
            object.put("id", existingId.get());
        }
        else {
            object.put("id", type + "--" + UUID.randomUUID());
        }
        object.put("created", Timestamps.format(created));
        object.put("modified", Timestamps.format(modified));
        for (String property : properties.propertyNames()) {
            JsonNode value = properties.get(property);
            if (SERVER_PROPERTIES.contains(property) || value.isNull() || (value.isString() && value.stringValue().isBlank()) || (value.isArray() && value.isEmpty())) {
                continue;
            }
            object.set(property, value);
        }
        defaults(object, type, modified);
        object.putArray("object_marking_refs").add(tlp.id());
        if (type.equals("indicator") && "stix".equals(ConsoleJson.text(object, "pattern_type")) && object.get("pattern") != null && object.get("pattern").isString()) {
            patternError(object.get("pattern").stringValue()).ifPresent(message -> {
                throw new VigieException(ErrorCode.INVALID_PATTERN, message);
            });
        }
        List<Violation> violations = validator.validate(object);
        if (!violations.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_STIX, "the " + type + " is not valid STIX 2.1: "
                    + violations.stream().map(violation -> violation.property() + ": " + violation.message()).collect(Collectors.joining("; ")));
        }
        StixObject stix = StixObject.fromJson(ConsoleJson.MAPPER.writeValueAsString(object));
        StixObject marking = StixObject.fromJson(tlp.json());
        List<AddOutcome> outcomes = store.addObjects(collectionId, List.of(marking, stix));
        if (outcomes.get(1).result() == AddOutcome.Result.DUPLICATE) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "version " + Timestamps.format(modified) + " of " + stix.id() + " already exists");
        }
        return stix;
    }

    private static void defaults(ObjectNode object, String type, Instant now)
    {
        switch (type) {
            case "indicator" -> {
                if (!object.has("pattern_type")) {
                    object.put("pattern_type", "stix");
                }
                if (!object.has("valid_from")) {
                    object.put("valid_from", Timestamps.format(now));
                }
            }
            case "report" -> {
                if (!object.has("published")) {
                    object.put("published", Timestamps.format(now));
                }
            }
            case "malware" -> {
                if (!object.has("is_family")) {
                    object.put("is_family", false);
                }
            }
            default -> { }
        }
    }

    Optional<StixObject> latest(String collectionId, String objectId)
    {
        ObjectPage page = store.findObjects(collectionId, ObjectQuery.all(1).withIds(List.of(objectId)));
        return page.objects().stream().findFirst().map(stored -> stored.object());
    }

    static TlpMarkings.Tlp tlp(String level)
    {
        if (level == null) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "choose a TLP marking before saving: clear, green, amber, amber+strict or red");
        }
        for (TlpMarkings.Tlp tlp : TlpMarkings.Tlp.values()) {
            if (tlp.level().equals(level.toLowerCase(Locale.ROOT))) {
                return tlp;
            }
        }
        throw new VigieException(ErrorCode.INVALID_ARGUMENT, "'" + level + "' is not a TLP 2.0 level: clear, green, amber, amber+strict or red");
    }
}
