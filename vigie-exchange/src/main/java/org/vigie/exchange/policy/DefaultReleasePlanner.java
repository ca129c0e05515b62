package org.vigie.exchange.policy;

import org.vigie.error.VigieException;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.marking.Markings;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

final class DefaultReleasePlanner
        implements ReleasePlanner
{
    private static final String MARKING_DEFINITION_PREFIX = "marking-definition--";

    private final ReleaseDecider decider;
    private final PartnerRegistry registry;
    private final MarkingResolver resolver;
    private final InstantSource clock;

    DefaultReleasePlanner(ReleaseDecider decider, PartnerRegistry registry, MarkingResolver resolver, InstantSource clock)
    {
        this.decider = requireNonNull(decider, "decider is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One reference found in an object; {@code path} has no index for elements of a {@code _refs} list. */
    record Reference(String path, String targetId) {}

    /** What is read once per offered object, whatever the number of recipients. */
    private record Prepared(ReleaseItem item, String id, String type, Markings markings, VigieException markingError, List<Reference> references)
    {
        boolean isMarkingDefinition()
        {
            return type.equals("marking-definition");
        }
    }

    @Override
    public ReleasePlan plan(List<ReleaseItem> items, Partner recipient)
    {
        return plan(items, List.of(recipient)).get(0);
    }

    @Override
    public List<ReleasePlan> plan(List<ReleaseItem> items, List<Partner> recipients)
    {
        Instant now = clock.instant();
        List<Prepared> prepared = new ArrayList<>(items.size());
        Map<String, JsonNode> offeredDefinitions = new HashMap<>();
        for (ReleaseItem item : items) {
            Prepared entry = prepare(item);
            prepared.add(entry);
            if (entry.isMarkingDefinition()) {
                offeredDefinitions.put(entry.id(), item.object());
            }
        }
        List<ReleasePlan> plans = new ArrayList<>(recipients.size());
        for (Partner recipient : recipients) {
            plans.add(planFor(prepared, offeredDefinitions, recipient, now));
        }
        return plans;
    }

    private Prepared prepare(ReleaseItem item)
    {
        JsonNode object = item.object();
        String id = item.id();
        String type = object.path("type").asString("");
        Markings markings = null;
        VigieException markingError = null;
        try {
            markings = Markings.of(object, resolver);
        }
        catch (VigieException e) {
            markingError = e;
        }
        List<Reference> references = new ArrayList<>();
        collectReferences(object, "", references);
        return new Prepared(item, id, type, markings, markingError, references);
    }

    private ReleasePlan planFor(List<Prepared> prepared, Map<String, JsonNode> offeredDefinitions, Partner recipient, Instant now)
    {
        Set<String> groups = registry.groupIdsOf(recipient.id());
        ReleaseDecision[] decisions = new ReleaseDecision[prepared.size()];
        Map<Optional<String>, ReleaseContext> contexts = new HashMap<>();
        for (int i = 0; i < prepared.size(); i++) {
            Prepared entry = prepared.get(i);
            if (entry.isMarkingDefinition()) {
                continue;
            }
            if (entry.markingError() != null) {
                decisions[i] = new ReleaseDecision(entry.id(), recipient.id(), DecisionReason.INVALID_MARKINGS, Optional.empty(), entry.markingError().getMessage());
                continue;
            }
            // One context per collection: building it copies the group set.
            ReleaseContext context = contexts.computeIfAbsent(entry.item().collectionId(), collection -> new ReleaseContext(collection, groups, now));
            decisions[i] = decider.decide(entry.item().object(), entry.markings(), recipient, context);
        }

        // Withhold objects that cannot exist without a withheld target, until nothing changes.
        Set<String> released = releasedIds(prepared, decisions);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < prepared.size(); i++) {
                if (decisions[i] == null || !decisions[i].released()) {
                    continue;
                }
                Set<String> releasedNow = released;
                Optional<String> missing = missingRequiredReference(prepared.get(i).type(), prepared.get(i).references(), target -> kept(target, releasedNow));
                if (missing.isPresent()) {
                    decisions[i] = new ReleaseDecision(prepared.get(i).id(), recipient.id(), DecisionReason.REQUIRED_REFERENCE_WITHHELD, Optional.empty(), missing.get());
                    changed = true;
                }
            }
            if (changed) {
                released = releasedIds(prepared, decisions);
            }
        }

        List<JsonNode> objects = new ArrayList<>();
        List<WithheldReference> withheldReferences = new ArrayList<>();
        TreeMap<String, JsonNode> definitions = new TreeMap<>();
        List<ReleaseDecision> decisionList = new ArrayList<>();
        Tlp highestTlp = null;
        Pap highestPap = null;
        Set<HandlingCode> handlingCodes = EnumSet.noneOf(HandlingCode.class);
        for (int i = 0; i < prepared.size(); i++) {
            if (decisions[i] == null) {
                continue;
            }
            decisionList.add(decisions[i]);
            if (!decisions[i].released()) {
                continue;
            }
            Prepared entry = prepared.get(i);
            Markings markings = entry.markings();
            if (markings.tlp().isPresent() && (highestTlp == null || markings.tlp().get().compareTo(highestTlp) > 0)) {
                highestTlp = markings.tlp().get();
            }
            if (markings.pap().isPresent() && (highestPap == null || markings.pap().get().compareTo(highestPap) > 0)) {
                highestPap = markings.pap().get();
            }
            markings.handling().forEach(condition -> handlingCodes.add(condition.code()));
            boolean needsCut = false;
            for (Reference reference : entry.references()) {
                if (!kept(reference.targetId(), released)) {
                    needsCut = true;
                    withheldReferences.add(new WithheldReference(entry.id(), reference.path(), reference.targetId()));
                }
                else if (reference.targetId().startsWith(MARKING_DEFINITION_PREFIX)) {
                    addDefinition(reference.targetId(), offeredDefinitions, definitions);
                }
            }
            for (String markingId : entry.markings().markingIds()) {
                addDefinition(markingId, offeredDefinitions, definitions);
            }
            // Untouched objects are shared, not copied: the plan never mutates them.
            Set<String> releasedNow = released;
            objects.add(needsCut ? cut(entry.item().object().deepCopy(), target -> kept(target, releasedNow)) : entry.item().object());
        }
        objects.addAll(definitions.values());
        withheldReferences.sort(null);
        List<String> handling = new ArrayList<>();
        if (highestTlp != null) {
            handling.add(highestTlp.displayName());
        }
        handlingCodes.forEach(code -> handling.add(code.name()));
        if (highestPap != null) {
            handling.add("PAP:" + highestPap.name());
        }
        return new ReleasePlan(recipient.id(), objects, decisionList, withheldReferences, handling);
    }

    private void addDefinition(String markingId, Map<String, JsonNode> offeredDefinitions, Map<String, JsonNode> definitions)
    {
        if (definitions.containsKey(markingId)) {
            return;
        }
        JsonNode definition = offeredDefinitions.get(markingId);
        if (definition == null) {
            // Partners may not know the TLP 2.0 objects (STIX 2.1 does not predefine them): send them along.
            // They are fixed objects, so the store is not searched for them (a miss there costs a scan of every collection).
            definition = Tlp.publishedDefinition(markingId).orElse(null);
        }
        if (definition == null) {
            definition = resolver.markingDefinition(markingId).orElse(null);
        }
        if (definition != null) {
            definitions.put(markingId, definition);
        }
    }

    private static Set<String> releasedIds(List<Prepared> prepared, ReleaseDecision[] decisions)
    {
        Set<String> released = new HashSet<>();
        for (int i = 0; i < prepared.size(); i++) {
            if (decisions[i] != null && decisions[i].released()) {
                released.add(prepared.get(i).id());
            }
        }
        return released;
    }

    private static boolean kept(String targetId, Set<String> released)
    {
        return isMarkingDefinition(targetId) || released.contains(targetId);
    }

    static boolean isMarkingDefinition(String targetId)
    {
        return targetId.startsWith(MARKING_DEFINITION_PREFIX);
    }

    /**
     * Why an object of this type cannot be released once its references to objects not {@code kept} are
     * cut, if it cannot. Shared with partner reads, which decide {@code kept} per target.
     */
    static Optional<String> missingRequiredReference(String type, List<Reference> references, Predicate<String> kept)
    {
        List<String> required = switch (type) {
            case "relationship" -> List.of("source_ref", "target_ref");
            case "sighting" -> List.of("sighting_of_ref");
            case "language-content" -> List.of("object_ref");
            default -> List.of();
        };
        for (Reference reference : references) {
            if (required.contains(reference.path()) && !kept.test(reference.targetId())) {
                return Optional.of(reference.path() + " refers to withheld object " + reference.targetId());
            }
        }
        switch (type) {
            case "report", "grouping", "note", "opinion", "observed-data" -> {
                return allCut(references, List.of("object_refs"), kept)
                        ? Optional.of("every element of object_refs refers to a withheld object")
                        : Optional.empty();
            }
            case "network-traffic" -> {
                return allCut(references, List.of("src_ref", "dst_ref"), kept)
                        ? Optional.of("both src_ref and dst_ref refer to withheld objects")
                        : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** True if the object has references at these paths and every one of them would be cut. */
    private static boolean allCut(List<Reference> references, List<String> paths, Predicate<String> kept)
    {
        boolean any = false;
        for (Reference reference : references) {
            if (paths.contains(reference.path())) {
                any = true;
                if (kept.test(reference.targetId())) {
                    return false;
                }
            }
        }
        return any;
    }

    /** Every reference of an object, at any depth, in document order. */
    static List<Reference> references(JsonNode object)
    {
        List<Reference> references = new ArrayList<>();
        collectReferences(object, "", references);
        return references;
    }

    private static void collectReferences(JsonNode node, String prefix, List<Reference> out)
    {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                String name = property.getKey();
                JsonNode value = property.getValue();
                String path = prefix.isEmpty() ? name : prefix + "." + name;
                if (name.endsWith("_ref") && value.isString()) {
                    out.add(new Reference(path, value.stringValue()));
                }
                else if (name.endsWith("_refs") && value.isArray()) {
                    for (JsonNode element : value.values()) {
                        if (element.isString()) {
                            out.add(new Reference(path, element.stringValue()));
                        }
                    }
                }
                else if (value.isContainer()) {
                    collectReferences(value, path, out);
                }
            }
        }
        else if (node.isArray()) {
            int index = 0;
            for (JsonNode element : node.values()) {
                if (element.isContainer()) {
                    collectReferences(element, prefix + "[" + index + "]", out);
                }
                index++;
            }
        }
    }

    /** Removes, in place, every reference whose target is not kept; empty lists are removed too (STIX forbids them). */
    static JsonNode cut(JsonNode node, Predicate<String> kept)
    {
        if (node instanceof ObjectNode object) {
            for (String name : new ArrayList<>(object.propertyNames())) {
                JsonNode value = object.get(name);
                if (name.endsWith("_ref") && value.isString()) {
                    if (!kept.test(value.stringValue())) {
                        object.remove(name);
                    }
                }
                else if (name.endsWith("_refs") && value instanceof ArrayNode array) {
                    ArrayNode keptElements = array.arrayNode();
                    for (JsonNode element : array.values()) {
                        if (!element.isString() || kept.test(element.stringValue())) {
                            keptElements.add(element);
                        }
                    }
                    if (keptElements.isEmpty()) {
                        object.remove(name);
                    }
                    else if (keptElements.size() != array.size()) {
                        object.set(name, keptElements);
                    }
                }
                else if (value.isContainer()) {
                    cut(value, kept);
                }
            }
        }
        else if (node instanceof ArrayNode array) {
            for (JsonNode element : array.values()) {
                if (element.isContainer()) {
                    cut(element, kept);
                }
            }
        }
        return node;
    }
}
