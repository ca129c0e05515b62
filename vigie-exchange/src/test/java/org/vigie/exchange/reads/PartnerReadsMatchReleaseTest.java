package org.vigie.exchange.reads;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.HandlingCondition;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.partner.TrustGroupKind;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.exchange.policy.ReleasePlanner;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectQuery;
import org.vigie.store.StoredObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random scenarios (objects with random TLP, handling, named recipients, origins, labels, new
 * versions, relationships, sightings and reports; random policies over partners and trust groups):
 * for every partner, paging through the collection over TAXII at a random limit serves exactly the
 * objects, with exactly the cut references and the same JSON, as a push of the collection (the release
 * planner over its latest versions) releases to that partner; and exactly the marking-definitions stored in
 * the collection that the push sends along (those referenced by released objects).
 */
class PartnerReadsMatchReleaseTest
{
    private static final int SCENARIOS = 120;
    private static final String TAXII = "application/taxii+json;version=2.1";
    private static final List<String> PARTNERS = List.of("p0", "p1", "p2", "p3");
    private static final List<String> LABELS = List.of("apt", "phishing", "ransomware");
    private static final List<Tlp> LEVELS = List.of(Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    static Path directory;

    private static ReadsFixture node;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start()
    {
        Map<String, String> users = new TreeMap<>();
        PARTNERS.forEach(partner -> users.put("user-" + partner, partner));
        node = new ReadsFixture(directory, Map.of("http.port", "0"), users);
        for (String id : PARTNERS) {
            node.registry.putPartner(new Partner(id, "Node " + id, TestPartners.identityOf(id), URI.create("https://127.0.0.1:1/"),
                    "%064x".formatted(id.hashCode()), TestPartners.newKey(id).toPublicJWK()));
            node.user("user-" + id, "password-" + id);
        }
        node.registry.putGroup(new TrustGroup("forum", "Forum", TrustGroupKind.MULTILATERAL, List.of("p0", "p1", "p2")));
        node.registry.putGroup(new TrustGroup("pair", "Pair", TrustGroupKind.BILATERAL, List.of("p3")));
    }

    @AfterAll
    static void stop()
    {
        node.close();
    }

    @Test
    void taxiiReadsAndPushReleaseTheSameToEveryPartner()
    {
        Random random = new Random(20261122L);
        long released = 0;
        long withheld = 0;
        long cut = 0;
        long definitionsServed = 0;
        long definitionsWithheld = 0;
        for (int scenario = 0; scenario < SCENARIOS; scenario++) {
            String collectionId = "scenario-" + scenario;
            node.collection(collectionId);
            List<ObjectNode> definitions = new ArrayList<>();
            Map<String, String> origins = new HashMap<>();
            List<ObjectNode> objects = objects(random, scenario, definitions, origins);
            node.resolver.set(MarkingResolver.of(List.copyOf(definitions), origins));
            ReleasePolicy policy = policy(random, collectionId);
            node.policy.set(policy);
            node.add(collectionId, objects);
            // Most marking-definitions are stored in the collection (the others only resolve elsewhere), with some
            // of the published TLP objects and one that nothing references.
            List<JsonNode> storedDefinitions = new ArrayList<>();
            definitions.stream().filter(definition -> random.nextInt(4) != 0).forEach(storedDefinitions::add);
            LEVELS.stream().filter(level -> random.nextBoolean()).forEach(level -> Tlp.publishedDefinition(level.markingId()).ifPresent(storedDefinitions::add));
            storedDefinitions.add(TestObjects.marking(new VigieMarking(Optional.of(HandlingCondition.of(HandlingCode.H3)), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(java.time.Instant.parse("2030-01-01T00:00:00Z").plusSeconds(scenario)))));
            node.add(collectionId, storedDefinitions);
            TreeSet<String> storedDefinitionIds = new TreeSet<>();
            storedDefinitions.forEach(definition -> storedDefinitionIds.add(definition.path("id").asString()));

            List<ReleaseItem> items = new ArrayList<>();
            for (StoredObject stored : node.store.findObjects(collectionId, ObjectQuery.all(10_000)).objects()) {
                items.add(ReleaseItem.of(stored.object().tree(), collectionId));
            }
            ReleasePlanner planner = ReleasePlanner.create(ReleaseDecider.of(policy), node.registry, node.resolver.get(), node.clock);
            for (String partnerId : PARTNERS) {
                ReleasePlan plan = planner.plan(items, node.registry.requirePartner(partnerId));
                Map<String, JsonNode> pushed = new TreeMap<>();
                plan.objects().stream().filter(object -> !object.path("type").asString().equals("marking-definition"))
                        .forEach(object -> pushed.put(object.path("id").asString(), object));
                // The marking-definitions a push sends that a read of the collection can serve: those stored in it.
                Map<String, JsonNode> pushedDefinitions = new TreeMap<>();
                plan.objects().stream().filter(object -> object.path("type").asString().equals("marking-definition"))
                        .filter(object -> storedDefinitionIds.contains(object.path("id").asString()))
                        .forEach(object -> pushedDefinitions.put(object.path("id").asString(), object));
                TreeSet<String> pushedCuts = new TreeSet<>();
                plan.withheldReferences().forEach(reference -> pushedCuts.add(reference.objectId() + " " + reference.path()));

                Read read = readAll(collectionId, partnerId, 1 + random.nextInt(6));
                String where = "scenario " + scenario + ", partner " + partnerId + ", policy " + policy.toJson();
                assertThat(read.served().keySet()).as(where).containsExactlyElementsOf(pushed.keySet());
                assertThat(read.served()).as(where).isEqualTo(pushed);
                assertThat(read.cuts()).as(where).isEqualTo(pushedCuts);
                assertThat(read.definitions()).as(where).isEqualTo(pushedDefinitions);
                definitionsServed += pushedDefinitions.size();
                definitionsWithheld += storedDefinitionIds.size() - pushedDefinitions.size();
                released += pushed.size();
                withheld += plan.withheld().size();
                cut += pushedCuts.size();
            }
        }
        // The scenarios exercise both outcomes and the cutting of references, not only one of them.
        assertThat(released).isGreaterThan(500);
        assertThat(withheld).isGreaterThan(500);
        assertThat(cut).isGreaterThan(20);
        assertThat(definitionsServed).isGreaterThan(100);
        assertThat(definitionsWithheld).isGreaterThan(100);
    }

    private record Read(Map<String, JsonNode> served, TreeSet<String> cuts, Map<String, JsonNode> definitions) {}

    /** Pages through the collection as the user linked to the partner, checking each page's size and that nothing repeats. */
    private static Read readAll(String collectionId, String partnerId, int limit)
    {
        Map<String, JsonNode> served = new TreeMap<>();
        TreeSet<String> cuts = new TreeSet<>();
        Map<String, JsonNode> definitions = new TreeMap<>();
        String next = null;
        for (int request = 0; request < 1_000; request++) {
            String uri = node.baseUri() + "vigie/collections/" + collectionId + "/objects/?limit=" + limit + (next == null ? "" : "&next=" + next);
            HttpResponse<String> response = get(uri, partnerId);
            if (response.statusCode() == 404) {
                // The policy opens nothing of this collection to the partner.
                return new Read(served, cuts, definitions);
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = StixJson.parse(response.body());
            assertThat(page.path("objects").size()).isLessThanOrEqualTo(limit);
            for (JsonNode object : page.path("objects").values()) {
                if (object.path("type").asString().equals("marking-definition")) {
                    assertThat(definitions.put(object.path("id").asString(), object)).as("served twice: " + object.path("id").asString()).isNull();
                    continue;
                }
                assertThat(served.put(object.path("id").asString(), object)).as("served twice: " + object.path("id").asString()).isNull();
            }
            response.headers().firstValue("X-Vigie-Withheld-References").ifPresent(header -> {
                for (String item : header.split(", ")) {
                    cuts.add(item);
                }
            });
            if (!page.path("more").booleanValue()) {
                return new Read(served, cuts, definitions);
            }
            next = page.path("next").asString();
        }
        throw new AssertionError("paging did not end");
    }

    private static HttpResponse<String> get(String uri, String partnerId)
    {
        String credentials = Base64.getEncoder().encodeToString(("user-" + partnerId + ":password-" + partnerId).getBytes(StandardCharsets.UTF_8));
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).header("Accept", TAXII).header("Authorization", "Basic " + credentials).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception e) {
            throw new AssertionError("GET " + uri + " failed", e);
        }
    }

    private static List<ObjectNode> objects(Random random, int scenario, List<ObjectNode> definitions, Map<String, String> origins)
    {
        List<ObjectNode> objects = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        int indicators = 6 + random.nextInt(10);
        for (int index = 0; index < indicators; index++) {
            int number = scenario * 1_000 + index;
            ObjectNode indicator = indicator(random, number, "2026-04-01T09:00:00.000Z", definitions);
            objects.add(indicator);
            targets.add(TestObjects.idOf(indicator));
            if (random.nextInt(5) == 0) {
                origins.put(TestObjects.idOf(indicator), PARTNERS.get(random.nextInt(PARTNERS.size())));
            }
            if (random.nextInt(4) == 0) {
                // A new version with other markings: the latest decides.
                objects.add(indicator(random, number, "2026-04-05T09:00:00.000Z", definitions));
            }
        }
        int relationships = random.nextInt(6);
        for (int index = 0; index < relationships; index++) {
            String source = targets.get(random.nextInt(targets.size()));
            String target = targets.get(random.nextInt(targets.size()));
            ObjectNode relationship = base("relationship", uuid(random), random, definitions);
            relationship.put("relationship_type", "related-to");
            relationship.put("source_ref", source);
            relationship.put("target_ref", target);
            objects.add(relationship);
            targets.add(TestObjects.idOf(relationship));
        }
        int sightings = random.nextInt(3);
        for (int index = 0; index < sightings; index++) {
            ObjectNode sighting = base("sighting", uuid(random), random, definitions);
            sighting.put("sighting_of_ref", targets.get(random.nextInt(indicators)));
            objects.add(sighting);
        }
        int reports = random.nextInt(4);
        for (int index = 0; index < reports; index++) {
            ObjectNode report = base("report", uuid(random), random, definitions);
            report.put("name", "report " + index);
            report.put("published", "2026-04-01T09:00:00Z");
            ArrayNode references = report.putArray("object_refs");
            int count = 1 + random.nextInt(4);
            for (int reference = 0; reference < count; reference++) {
                references.add(targets.get(random.nextInt(targets.size())));
            }
            objects.add(report);
        }
        return objects;
    }

    private static ObjectNode indicator(Random random, int number, String modified, List<ObjectNode> definitions)
    {
        ObjectNode indicator = TestObjects.indicator(number, modified, LEVELS.get(random.nextInt(LEVELS.size())));
        addMarkingsAndLabels(random, indicator, definitions);
        return indicator;
    }

    private static ObjectNode base(String type, String uuid, Random random, List<ObjectNode> definitions)
    {
        ObjectNode object = JSON.objectNode();
        object.put("type", type);
        object.put("spec_version", "2.1");
        object.put("id", type + "--" + uuid);
        object.put("created", "2026-04-01T09:00:00.000Z");
        object.put("modified", "2026-04-01T09:00:00.000Z");
        object.putArray("object_marking_refs").add(LEVELS.get(random.nextInt(LEVELS.size())).markingId());
        addMarkingsAndLabels(random, object, definitions);
        return object;
    }

    private static void addMarkingsAndLabels(Random random, ObjectNode object, List<ObjectNode> definitions)
    {
        ArrayNode markings = (ArrayNode) object.get("object_marking_refs");
        if (random.nextInt(6) == 0) {
            markings.add(definition(new VigieMarking(Optional.of(HandlingCondition.of(HandlingCode.H2)), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()), definitions));
        }
        if (random.nextInt(5) == 0) {
            List<String> recipients = new ArrayList<>();
            recipients.add(TestPartners.identityOf(PARTNERS.get(random.nextInt(PARTNERS.size()))));
            if (random.nextBoolean()) {
                recipients.add(TestPartners.identityOf(PARTNERS.get(random.nextInt(PARTNERS.size()))));
            }
            markings.add(definition(new VigieMarking(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(recipients), Optional.empty()), definitions));
        }
        if (random.nextBoolean()) {
            object.putArray("labels").add(LABELS.get(random.nextInt(LABELS.size())));
        }
    }

    private static String definition(VigieMarking marking, List<ObjectNode> definitions)
    {
        ObjectNode definition = TestObjects.marking(marking);
        definitions.add(definition);
        return definition.path("id").asString();
    }

    private static ReleasePolicy policy(Random random, String collectionId)
    {
        ArrayNode rules = JSON.arrayNode();
        int count = 1 + random.nextInt(4);
        for (int index = 0; index < count; index++) {
            ObjectNode rule = rules.addObject();
            rule.put("name", "rule " + index);
            rule.put("effect", random.nextInt(5) == 0 ? "deny" : "allow");
            switch (random.nextInt(3)) {
                case 0 -> rule.put("all_partners", true);
                case 1 -> rule.putArray("partners").add(PARTNERS.get(random.nextInt(PARTNERS.size())));
                default -> rule.putArray("groups").add(random.nextBoolean() ? "forum" : "pair");
            }
            switch (random.nextInt(3)) {
                case 0 -> rule.putArray("collections").add(collectionId);
                case 1 -> rule.putArray("collections").add("elsewhere");
                default -> { }
            }
            if (random.nextInt(3) == 0) {
                rule.putArray("types").add(random.nextBoolean() ? "indicator" : "relationship");
            }
            if (random.nextInt(4) == 0) {
                rule.putArray("labels").add(LABELS.get(random.nextInt(LABELS.size())));
            }
            if (random.nextBoolean()) {
                rule.put("max_tlp", LEVELS.get(random.nextInt(LEVELS.size())).label());
            }
        }
        ObjectNode root = JSON.objectNode();
        root.put("name", "random");
        root.set("rules", rules);
        return ReleasePolicy.fromJson(root);
    }

    private static String uuid(Random random)
    {
        return new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L, (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L).toString();
    }
}
