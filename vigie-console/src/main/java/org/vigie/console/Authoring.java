package org.vigie.console;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.marking.VigieMarking;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Creates and edits STIX objects from the console's forms. The server owns the header: id (new, or the
 * edited object's), spec_version, created (kept on edit), modified (now, after the previous version)
 * and object_marking_refs (the chosen TLP 2.0 level and, when chosen, a Vigie handling marking, whose
 * marking-definitions are stored alongside so that partners can resolve them). The result must pass {@link StixValidator}; indicators with STIX
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
    private final Supplier<Optional<String>> identity;
    private final StixValidator validator = StixValidator.create();

    /** {@code identity} gives the node's STIX identity (creator of the Vigie markings authored here) once the exchange is wired. */
    Authoring(ObjectStore store, InstantSource clock, Supplier<Optional<String>> identity)
    {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.identity = requireNonNull(identity, "identity is null");
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
     * the user may write there (and, for an edit, read the previous version). An edit starts from the
     * previous version: properties the request gives replace it, those it gives as null, blank or an
     * empty list are removed, the others are kept (so custom properties and extensions the form does not
     * show survive), and markings the form does not manage (any other marking-definition) are kept.
     */
    StixObject save(String collectionId, String type, Optional<String> existingId, AuthoredMarkings markings, JsonNode properties)
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
        List<String> keptMarkings = new ArrayList<>();
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
            JsonNode tree = previous.tree();
            for (String property : tree.propertyNames()) {
                if (!SERVER_PROPERTIES.contains(property)) {
                    object.set(property, tree.get(property));
                }
            }
            keptMarkings.addAll(unmanagedMarkings(collectionId, MarkingAccess.markingRefs(tree)));
        }
        else {
            object.put("id", type + "--" + UUID.randomUUID());
        }
        object.put("created", Timestamps.format(created));
        object.put("modified", Timestamps.format(modified));
        for (String property : properties.propertyNames()) {
            JsonNode value = properties.get(property);
            if (SERVER_PROPERTIES.contains(property)) {
                continue;
            }
            if (value.isNull() || (value.isString() && value.stringValue().isBlank()) || (value.isArray() && value.isEmpty())) {
                object.remove(property);
                continue;
            }
            object.set(property, value);
        }
        defaults(object, type, modified);
        List<StixObject> definitions = new ArrayList<>();
        definitions.add(StixObject.fromJson(markings.tlp().json()));
        ArrayNode references = object.putArray("object_marking_refs");
        references.add(markings.tlp().id());
        Optional<VigieMarking> vigie = markings.vigieMarking();
        if (vigie.isPresent()) {
            String creator = identity.get().orElseThrow(() -> new VigieException(ErrorCode.INVALID_ARGUMENT,
                    "handling codes, PAP and evaluation codes need the node's exchange identity, and this console has no exchange wired; choose a TLP level only"));
            ObjectNode definition = vigie.get().toMarkingDefinition(now, creator);
            String definitionId = definition.get("id").stringValue();
            // Its id comes from its content: stored once per collection, never as a second version.
            if (latest(collectionId, definitionId).isEmpty()) {
                definitions.add(StixObject.fromJson(ConsoleJson.MAPPER.writeValueAsString(definition)));
            }
            references.add(definitionId);
        }
        keptMarkings.stream().filter(reference -> !contains(references, reference)).forEach(references::add);
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
        List<StixObject> added = new ArrayList<>(definitions);
        added.add(stix);
        List<AddOutcome> outcomes = store.addObjects(collectionId, added);
        if (outcomes.get(outcomes.size() - 1).result() == AddOutcome.Result.DUPLICATE) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "version " + Timestamps.format(modified) + " of " + stix.id() + " already exists");
        }
        return stix;
    }

    /**
     * The previous version's marking references the form does not manage, kept by an edit: every one but
     * TLP levels and Vigie handling markings that carry only a handling code, PAP or evaluation code (which
     * the form shows and sends again). A marking-definition not found in the collection is kept too.
     */
    private List<String> unmanagedMarkings(String collectionId, List<String> references)
    {
        List<String> kept = new ArrayList<>();
        for (String reference : references) {
            if (TlpMarkings.fromMarkingId(reference).isPresent()) {
                continue;
            }
            Optional<VigieMarking> vigie = latest(collectionId, reference).flatMap(definition -> VigieMarking.fromMarkingDefinition(definition.tree()));
            boolean managed = vigie.isPresent() && vigie.get().recipients().isEmpty() && vigie.get().expires().isEmpty();
            if (!managed) {
                kept.add(reference);
            }
        }
        return kept;
    }

    private static boolean contains(ArrayNode array, String value)
    {
        for (JsonNode element : array) {
            if (element.isString() && element.stringValue().equals(value)) {
                return true;
            }
        }
        return false;
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
}
