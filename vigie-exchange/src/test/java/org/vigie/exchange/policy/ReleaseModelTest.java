package org.vigie.exchange.policy;

import org.junit.jupiter.api.Test;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.partner.TrustGroupKind;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares the release planner with a deliberately simple model of the release rules, written
 * from docs/EXCHANGE.md over abstract object descriptions (never over the JSON the planner reads),
 * on many seeded random scenarios: random partners, trust groups, policies, objects, markings
 * (in every encoding the parser accepts), origins and references.
 */
class ReleaseModelTest
{
    private static final int SCENARIOS = 10_000;
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final List<String> COLLECTIONS = List.of("collection-a", "collection-b");
    private static final List<String> LABELS = List.of("apt", "phishing", "ransomware");
    private static final List<String> BASE_TYPES = List.of("indicator", "malware", "identity", "vulnerability");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<Partner> PARTNER_POOL = partnerPool();

    // --- abstract description of a scenario -------------------------------------------------

    /**
     * One marking as the model sees it. {@code pap}: -1 none, else the PAP level 0 (clear) to 3 (red);
     * {@code evaluation}: null or a code such as "B2".
     */
    private record MarkSpec(String id, int tlp, Set<HandlingCode> handling, Set<String> recipients, Instant expires, boolean resolvable, boolean malformed, boolean granular,
            int pap, String evaluation)
    {
        MarkSpec(String id, int tlp, Set<HandlingCode> handling, Set<String> recipients, Instant expires, boolean resolvable, boolean malformed, boolean granular)
        {
            this(id, tlp, handling, recipients, expires, resolvable, malformed, granular, -1, null);
        }
    }

    private record ObjectSpec(String id, String type, Optional<String> collection, Set<String> labels, List<MarkSpec> marks,
            Optional<String> origin, Optional<String> createdBy, List<String> endpoints, List<String> objectRefs) {}

    private record RuleSpec(String name, boolean allow, boolean all, Set<String> partners, Set<String> groups, Set<String> collections,
            Set<String> types, Set<String> labels, int maxTlp, Set<String> markingRefs, int maxPap, char minReliability, int minCredibility) {}

    private record GroupSpec(String id, Set<String> members) {}

    @Test
    void plannerAgreesWithModelOnRandomScenarios()
    {
        Random random = new Random(20261122L);
        long decisions = 0;
        long released = 0;
        long leaks = 0;
        long wronglyWithheld = 0;
        long referenceMismatches = 0;
        Set<DecisionReason> reasonsSeen = new TreeSet<>();
        List<String> examples = new ArrayList<>();
        for (int scenario = 0; scenario < SCENARIOS; scenario++) {
            List<Partner> partners = pick(random, PARTNER_POOL, 1 + random.nextInt(PARTNER_POOL.size()));
            List<GroupSpec> groups = groups(random, partners);
            List<ObjectSpec> objects = objects(random, partners);
            List<RuleSpec> rules = rules(random, partners, groups, objects);

            PartnerRegistry registry = PartnerRegistry.inMemory();
            partners.forEach(registry::putPartner);
            for (GroupSpec group : groups) {
                registry.putGroup(new TrustGroup(group.id(), group.id(), group.members().size() == 1 ? TrustGroupKind.BILATERAL : TrustGroupKind.MULTILATERAL, List.copyOf(group.members())));
            }
            List<JsonNode> definitions = new ArrayList<>();
            Map<String, String> origins = new HashMap<>();
            List<ReleaseItem> items = new ArrayList<>();
            for (ObjectSpec object : objects) {
                items.add(new ReleaseItem(render(object, definitions), object.collection()));
                object.origin().ifPresent(origin -> origins.put(object.id(), origin));
            }
            ReleasePolicy policy = ReleasePolicy.fromJson(renderPolicy(rules));
            ReleasePlanner planner = ReleasePlanner.create(ReleaseDecider.of(policy), registry, MarkingResolver.of(definitions, origins), InstantSource.fixed(NOW));

            List<ReleasePlan> plans = planner.plan(items, partners);
            for (int p = 0; p < partners.size(); p++) {
                Partner partner = partners.get(p);
                ReleasePlan plan = plans.get(p);
                Set<String> expected = modelRelease(objects, rules, groups, partner);
                Set<String> actual = new HashSet<>(plan.releasedObjectIds());
                for (ReleaseDecision decision : plan.decisions()) {
                    reasonsSeen.add(decision.reason());
                }
                decisions += plan.decisions().size();
                released += actual.size();
                for (ReleaseDecision decision : plan.decisions()) {
                    if (decision.released() != expected.contains(decision.objectId())) {
                        if (decision.released()) {
                            leaks++;
                        }
                        else {
                            wronglyWithheld++;
                        }
                        if (examples.size() < 5) {
                            examples.add("scenario " + scenario + ", partner " + partner.id() + ": " + decision + "; object " + spec(objects, decision.objectId()) + "; rules " + rules);
                        }
                    }
                }
                if (!modelWithheldReferences(objects, expected).equals(new TreeSet<>(plan.withheldReferences()))) {
                    referenceMismatches++;
                }
                // Independently of the model: no released object may point at anything not released.
                // Marking-definitions travel unchanged (their recipient_refs are the marking's terms).
                for (JsonNode object : plan.objects()) {
                    if (object.path("type").asString().equals("marking-definition")) {
                        continue;
                    }
                    for (String target : referenceTargets(object)) {
                        assertThat(target.startsWith("marking-definition--") || actual.contains(target))
                                .as("scenario %s, partner %s: %s refers to unreleased %s", scenario, partner.id(), object.path("id").asString(), target)
                                .isTrue();
                    }
                }
            }
        }
        // Figures for the report (surefire keeps stdout in target/surefire-reports).
        System.out.printf("release model: %d scenarios, %d object-partner decisions, %d released, %d leaks, %d wrongly withheld%n",
                SCENARIOS, decisions, released, leaks, wronglyWithheld);
        assertThat(leaks).as("objects released that the model withholds, e.g. %s", examples).isZero();
        assertThat(wronglyWithheld).as("objects withheld that the model releases, e.g. %s", examples).isZero();
        assertThat(referenceMismatches).as("plans whose cut references differ from the model").isZero();
        // The generator must exercise both outcomes and every reason, or the comparison proves little.
        assertThat(released).isGreaterThan(decisions / 20);
        assertThat(released).isLessThan(decisions);
        assertThat(reasonsSeen).containsExactlyInAnyOrder(DecisionReason.values());
    }

    private static ObjectSpec spec(List<ObjectSpec> objects, String id)
    {
        return objects.stream().filter(object -> object.id().equals(id)).findFirst().orElseThrow();
    }

    // --- the model -------------------------------------------------------------------------------

    private static Set<String> modelRelease(List<ObjectSpec> objects, List<RuleSpec> rules, List<GroupSpec> groups, Partner partner)
    {
        Set<String> partnerGroups = new HashSet<>();
        for (GroupSpec group : groups) {
            if (group.members().contains(partner.id())) {
                partnerGroups.add(group.id());
            }
        }
        Set<String> released = new LinkedHashSet<>();
        for (ObjectSpec object : objects) {
            if (modelAllows(object, rules, partnerGroups, partner)) {
                released.add(object.id());
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ObjectSpec object : objects) {
                if (!released.contains(object.id())) {
                    continue;
                }
                boolean broken = (object.type().equals("relationship") && !released.containsAll(object.endpoints()))
                        || (object.type().equals("report") && object.objectRefs().stream().noneMatch(released::contains));
                if (broken) {
                    released.remove(object.id());
                    changed = true;
                }
            }
        }
        return released;
    }

    private static boolean modelAllows(ObjectSpec object, List<RuleSpec> rules, Set<String> partnerGroups, Partner partner)
    {
        int tlp = -1;
        int pap = -1;
        String evaluation = null;
        Set<HandlingCode> handling = new HashSet<>();
        Set<String> recipients = null;
        for (MarkSpec mark : object.marks()) {
            if (!mark.resolvable() || mark.malformed()) {
                return false;
            }
            // levels of TLP 1.0 style definitions are stored plus 100 to remember their encoding
            tlp = Math.max(tlp, mark.tlp() >= 100 ? mark.tlp() - 100 : mark.tlp());
            handling.addAll(mark.handling());
            pap = Math.max(pap, mark.pap());
            if (mark.evaluation() != null) {
                // Markings that disagree on the evaluation are invalid: never released.
                if (evaluation != null && !evaluation.equals(mark.evaluation())) {
                    return false;
                }
                evaluation = mark.evaluation();
            }
            if (mark.expires() != null && !NOW.isBefore(mark.expires())) {
                return false;
            }
            if (mark.recipients() != null) {
                if (recipients == null) {
                    recipients = new HashSet<>(mark.recipients());
                }
                else {
                    recipients.retainAll(mark.recipients());
                }
            }
        }
        boolean thirdParty = object.origin().isPresent() && !object.origin().get().equals(partner.id());
        if (thirdParty && (tlp >= 2 || handling.contains(HandlingCode.H2) || handling.contains(HandlingCode.H3))) {
            return false;
        }
        if (tlp == 4 && recipients == null) {
            return false;
        }
        if (recipients != null && !recipients.contains(partner.identityId())) {
            return false;
        }
        boolean allowed = false;
        for (RuleSpec rule : rules) {
            boolean audience = rule.all() || rule.partners().contains(partner.id()) || rule.groups().stream().anyMatch(partnerGroups::contains);
            boolean selected = (rule.collections().isEmpty() || object.collection().map(rule.collections()::contains).orElse(false))
                    && (rule.types().isEmpty() || rule.types().contains(object.type()))
                    && (rule.labels().isEmpty() || object.labels().stream().anyMatch(rule.labels()::contains))
                    && (rule.maxTlp() < 0 || (tlp >= 0 && tlp <= rule.maxTlp()))
                    && (rule.markingRefs().isEmpty() || object.marks().stream().anyMatch(mark -> rule.markingRefs().contains(mark.id())))
                    && (rule.maxPap() < 0 || (pap >= 0 && pap <= rule.maxPap()))
                    && (rule.minReliability() == 0 || (evaluation != null && evaluation.charAt(0) <= rule.minReliability()))
                    && (rule.minCredibility() == 0 || (evaluation != null && evaluation.charAt(1) - '0' <= rule.minCredibility()));
            if (audience && selected) {
                if (!rule.allow()) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }

    private static Set<WithheldReference> modelWithheldReferences(List<ObjectSpec> objects, Set<String> released)
    {
        Set<WithheldReference> result = new TreeSet<>();
        for (ObjectSpec object : objects) {
            if (!released.contains(object.id())) {
                continue;
            }
            if (object.createdBy().isPresent() && !released.contains(object.createdBy().get())) {
                result.add(new WithheldReference(object.id(), "created_by_ref", object.createdBy().get()));
            }
            for (String target : object.objectRefs()) {
                if (!released.contains(target)) {
                    result.add(new WithheldReference(object.id(), "object_refs", target));
                }
            }
        }
        return result;
    }

    // --- generators --------------------------------------------------------------------------------

    private static List<Partner> partnerPool()
    {
        List<Partner> partners = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            partners.add(TestPartners.partner("partner-" + i, TestPartners.newKey("key-" + i)));
        }
        return List.copyOf(partners);
    }

    private static List<GroupSpec> groups(Random random, List<Partner> partners)
    {
        List<GroupSpec> groups = new ArrayList<>();
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            Set<String> members = new TreeSet<>();
            for (Partner partner : pick(random, partners, 1 + random.nextInt(partners.size()))) {
                members.add(partner.id());
            }
            groups.add(new GroupSpec("group-" + i, members));
        }
        return groups;
    }

    private static List<ObjectSpec> objects(Random random, List<Partner> partners)
    {
        List<ObjectSpec> objects = new ArrayList<>();
        int base = 1 + random.nextInt(6);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < base; i++) {
            String type = BASE_TYPES.get(random.nextInt(BASE_TYPES.size()));
            String id = type + "--" + uuid(random);
            ids.add(id);
            objects.add(object(random, id, type, partners, ids, List.of(), List.of()));
        }
        // Objects this node references but does not offer: their references are always cut.
        ids.add("indicator--" + uuid(random));
        int relationships = random.nextInt(3);
        for (int i = 0; i < relationships; i++) {
            String id = "relationship--" + uuid(random);
            List<String> endpoints = List.of(ids.get(random.nextInt(ids.size())), ids.get(random.nextInt(ids.size())));
            objects.add(object(random, id, "relationship", partners, ids, endpoints, List.of()));
            ids.add(id);
        }
        if (random.nextInt(3) == 0) {
            String id = "report--" + uuid(random);
            objects.add(object(random, id, "report", partners, ids, List.of(), List.copyOf(new LinkedHashSet<>(pick(random, ids, 1 + random.nextInt(4))))));
        }
        return objects;
    }

    private static ObjectSpec object(Random random, String id, String type, List<Partner> partners, List<String> knownIds, List<String> endpoints, List<String> objectRefs)
    {
        Optional<String> collection = random.nextInt(4) == 0 ? Optional.empty() : Optional.of(COLLECTIONS.get(random.nextInt(COLLECTIONS.size())));
        Set<String> labels = new TreeSet<>(pick(random, LABELS, random.nextInt(3)));
        List<MarkSpec> marks = new ArrayList<>();
        int tlpMarks = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(2);
        for (int i = 0; i < tlpMarks; i++) {
            marks.add(tlpMark(random));
        }
        int vigieMarks = random.nextInt(3);
        for (int i = 0; i < vigieMarks; i++) {
            marks.add(vigieMark(random, partners));
        }
        if (random.nextInt(40) == 0) {
            marks.add(new MarkSpec("marking-definition--" + uuid(random), -1, Set.of(), null, null, false, false, false));
        }
        Optional<String> origin = random.nextInt(3) == 0 ? Optional.of(partners.get(random.nextInt(partners.size())).id()) : Optional.empty();
        Optional<String> createdBy = random.nextInt(3) == 0 ? Optional.of(knownIds.get(random.nextInt(knownIds.size()))) : Optional.empty();
        if (createdBy.isPresent() && createdBy.get().equals(id)) {
            createdBy = Optional.empty();
        }
        return new ObjectSpec(id, type, collection, labels, marks, origin, createdBy, endpoints, objectRefs);
    }

    private static MarkSpec tlpMark(Random random)
    {
        Tlp tlp = Tlp.values()[random.nextInt(Tlp.values().length)];
        boolean granular = random.nextInt(5) == 0;
        // 0: TLP 2.0 id, 1: TLP 1.0 id, 2: own definition with the TLP 2.0 extension, 3: own TLP 1.0 style definition
        int encoding = random.nextInt(4);
        if (encoding == 1 && tlp.tlp1MarkingId().isPresent()) {
            return new MarkSpec(tlp.tlp1MarkingId().get(), tlp.ordinal(), Set.of(), null, null, true, false, granular);
        }
        if (encoding == 2) {
            return new MarkSpec("marking-definition--" + uuid(random), tlp.ordinal(), Set.of(), null, null, true, false, granular);
        }
        if (encoding == 3 && tlp != Tlp.AMBER_STRICT) {
            return new MarkSpec("marking-definition--" + uuid(random), tlp.ordinal() + 100, Set.of(), null, null, true, false, granular);
        }
        return new MarkSpec(tlp.markingId(), tlp.ordinal(), Set.of(), null, null, true, false, granular);
    }

    private static MarkSpec vigieMark(Random random, List<Partner> partners)
    {
        Set<HandlingCode> handling = random.nextBoolean() ? Set.of(HandlingCode.values()[random.nextInt(4)]) : Set.of();
        Set<String> recipients = null;
        if (random.nextInt(3) == 0) {
            recipients = new TreeSet<>();
            for (Partner partner : pick(random, partners, random.nextInt(partners.size() + 1))) {
                recipients.add(partner.identityId());
            }
            if (recipients.isEmpty() || random.nextInt(4) == 0) {
                recipients.add(TestPartners.identityOf("outsider"));
            }
        }
        Instant expires = random.nextInt(4) == 0 ? NOW.plus(Duration.ofHours(random.nextInt(48) - 24)) : null;
        boolean malformed = random.nextInt(60) == 0;
        int pap = random.nextInt(3) == 0 ? random.nextInt(4) : -1;
        // Few distinct codes, so that two markings of one object sometimes agree and sometimes do not.
        String evaluation = random.nextInt(3) == 0 ? "" + (char) ('A' + random.nextInt(6)) + (1 + random.nextInt(6)) : null;
        return new MarkSpec("marking-definition--" + uuid(random), -1, handling, recipients, expires, true, malformed, random.nextInt(5) == 0, pap, evaluation);
    }

    private static List<RuleSpec> rules(Random random, List<Partner> partners, List<GroupSpec> groups, List<ObjectSpec> objects)
    {
        List<String> markingIds = new ArrayList<>();
        for (ObjectSpec object : objects) {
            object.marks().forEach(mark -> markingIds.add(mark.id()));
        }
        List<String> types = List.of("indicator", "malware", "identity", "vulnerability", "relationship", "report");
        List<RuleSpec> rules = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            boolean all = random.nextInt(3) == 0;
            Set<String> partnerIds = new TreeSet<>();
            Set<String> groupIds = new TreeSet<>();
            if (!all) {
                pick(random, partners, random.nextInt(3)).forEach(partner -> partnerIds.add(partner.id()));
                pick(random, groups, random.nextInt(2)).forEach(group -> groupIds.add(group.id()));
                if (partnerIds.isEmpty() && groupIds.isEmpty()) {
                    partnerIds.add(partners.get(random.nextInt(partners.size())).id());
                }
            }
            rules.add(new RuleSpec("rule-" + i, random.nextInt(4) != 0, all, partnerIds, groupIds,
                    random.nextInt(3) == 0 ? new TreeSet<>(pick(random, COLLECTIONS, 1)) : Set.of(),
                    random.nextInt(3) == 0 ? new TreeSet<>(pick(random, types, 1 + random.nextInt(3))) : Set.of(),
                    random.nextInt(4) == 0 ? new TreeSet<>(pick(random, LABELS, 1 + random.nextInt(2))) : Set.of(),
                    random.nextInt(3) == 0 ? random.nextInt(5) : -1,
                    random.nextInt(6) == 0 && !markingIds.isEmpty() ? new TreeSet<>(pick(random, markingIds, 1)) : Set.of(),
                    random.nextInt(4) == 0 ? random.nextInt(4) : -1,
                    random.nextInt(5) == 0 ? (char) ('A' + random.nextInt(6)) : 0,
                    random.nextInt(5) == 0 ? 1 + random.nextInt(6) : 0));
        }
        return rules;
    }

    // --- rendering the abstract description as STIX -------------------------------------------

    private static JsonNode render(ObjectSpec spec, List<JsonNode> definitions)
    {
        ObjectNode object = JSON.objectNode();
        object.put("type", spec.type());
        object.put("spec_version", "2.1");
        object.put("id", spec.id());
        object.put("created", "2026-01-01T00:00:00.000Z");
        object.put("modified", "2026-01-01T00:00:00.000Z");
        spec.createdBy().ifPresent(creator -> object.put("created_by_ref", creator));
        if (!spec.labels().isEmpty()) {
            ArrayNode labels = object.putArray("labels");
            spec.labels().forEach(labels::add);
        }
        if (spec.type().equals("relationship")) {
            object.put("relationship_type", "related-to");
            object.put("source_ref", spec.endpoints().get(0));
            object.put("target_ref", spec.endpoints().get(1));
        }
        if (spec.type().equals("report")) {
            object.put("name", "report");
            object.put("published", "2026-01-01T00:00:00.000Z");
            ArrayNode refs = object.putArray("object_refs");
            spec.objectRefs().forEach(refs::add);
        }
        ArrayNode objectMarkings = JSON.arrayNode();
        ArrayNode granular = JSON.arrayNode();
        for (MarkSpec mark : spec.marks()) {
            if (mark.granular()) {
                ObjectNode granularMarking = granular.addObject();
                granularMarking.put("marking_ref", mark.id());
                granularMarking.putArray("selectors").add("id");
            }
            else {
                objectMarkings.add(mark.id());
            }
            if (mark.resolvable()) {
                definition(mark).ifPresent(definitions::add);
            }
        }
        if (!objectMarkings.isEmpty()) {
            object.set("object_marking_refs", objectMarkings);
        }
        if (!granular.isEmpty()) {
            object.set("granular_markings", granular);
        }
        return object;
    }

    private static Optional<JsonNode> definition(MarkSpec mark)
    {
        if (Tlp.fromMarkingId(mark.id()).isPresent()) {
            return Optional.empty();
        }
        ObjectNode definition = JSON.objectNode();
        definition.put("type", "marking-definition");
        definition.put("spec_version", "2.1");
        definition.put("id", mark.id());
        definition.put("created", "2026-01-01T00:00:00.000Z");
        if (mark.tlp() >= 100) {
            definition.put("definition_type", "tlp");
            definition.putObject("definition").put("tlp", mark.tlp() == 100 ? "white" : Tlp.values()[mark.tlp() - 100].label());
        }
        else if (mark.tlp() >= 0) {
            ObjectNode extension = definition.putObject("extensions").putObject(Tlp.TLP_2_EXTENSION_ID);
            extension.put("extension_type", "property-extension");
            extension.put("tlp_2_0", Tlp.values()[mark.tlp()].label());
        }
        else {
            ObjectNode extension = definition.putObject("extensions").putObject(VigieMarking.EXTENSION_ID);
            extension.put("extension_type", "property-extension");
            mark.handling().forEach(code -> extension.put("handling_code", code.name()));
            if (mark.handling().contains(HandlingCode.H3)) {
                extension.put("handling_condition", "only for the investigation named in the request");
            }
            if (mark.recipients() != null) {
                ArrayNode recipients = extension.putArray("recipient_refs");
                mark.recipients().forEach(recipients::add);
            }
            if (mark.expires() != null) {
                extension.put("expires", Timestamps.format(mark.expires()));
            }
            if (mark.pap() >= 0) {
                extension.put("pap", Pap.values()[mark.pap()].label());
            }
            if (mark.evaluation() != null) {
                extension.put("evaluation", mark.evaluation());
            }
            if (mark.malformed()) {
                extension.put("handling_code", "H9");
            }
        }
        return Optional.of(definition);
    }

    private static JsonNode renderPolicy(List<RuleSpec> rules)
    {
        ObjectNode policy = JSON.objectNode();
        policy.put("name", "random");
        ArrayNode array = policy.putArray("rules");
        for (RuleSpec rule : rules) {
            ObjectNode node = array.addObject();
            node.put("name", rule.name());
            node.put("effect", rule.allow() ? "allow" : "deny");
            if (rule.all()) {
                node.put("all_partners", true);
            }
            strings(node, "partners", rule.partners());
            strings(node, "groups", rule.groups());
            strings(node, "collections", rule.collections());
            strings(node, "types", rule.types());
            strings(node, "labels", rule.labels());
            if (rule.maxTlp() >= 0) {
                node.put("max_tlp", Tlp.values()[rule.maxTlp()].label());
            }
            strings(node, "marking_refs", rule.markingRefs());
            if (rule.maxPap() >= 0) {
                node.put("max_pap", Pap.values()[rule.maxPap()].label());
            }
            if (rule.minReliability() != 0) {
                node.put("min_reliability", String.valueOf(rule.minReliability()));
            }
            if (rule.minCredibility() != 0) {
                node.put("min_credibility", rule.minCredibility());
            }
        }
        return policy;
    }

    private static void strings(ObjectNode node, String property, Set<String> values)
    {
        if (!values.isEmpty()) {
            ArrayNode array = node.putArray(property);
            values.forEach(array::add);
        }
    }

    private static List<String> referenceTargets(JsonNode node)
    {
        List<String> targets = new ArrayList<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (property.getKey().endsWith("_ref") && property.getValue().isString()) {
                    targets.add(property.getValue().stringValue());
                }
                else if (property.getKey().endsWith("_refs")) {
                    property.getValue().values().forEach(value -> targets.add(value.stringValue()));
                }
                else {
                    targets.addAll(referenceTargets(property.getValue()));
                }
            }
        }
        else if (node.isArray()) {
            node.values().forEach(value -> targets.addAll(referenceTargets(value)));
        }
        return targets;
    }

    private static <T> List<T> pick(Random random, List<T> from, int count)
    {
        List<T> copy = new ArrayList<>(from);
        java.util.Collections.shuffle(copy, random);
        return copy.subList(0, Math.min(count, copy.size()));
    }

    private static String uuid(Random random)
    {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
