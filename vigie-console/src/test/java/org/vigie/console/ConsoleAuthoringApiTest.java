package org.vigie.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.marking.EvaluationCode;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.stix.StixObject;
import org.vigie.stix.Timestamps;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.stix.validation.StixValidator;
import org.vigie.store.ObjectQuery;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authoring over real HTTP on a real node ({@link ConsoleNode}): every type the console names, with the
 * markings chosen before the first save (TLP, and the Vigie handling extension's handling code, PAP and
 * evaluation code), edits, and the object view's versions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAuthoringApiTest
{
    private final StixValidator validator = StixValidator.create();
    private ConsoleHttp client;
    private ConsoleNode node;
    private String alice;
    private String carol;
    private final String indicator = ConsoleNode.id("indicator");
    private final String identity = ConsoleNode.id("identity");

    @BeforeAll
    void start(@TempDir Path directory)
            throws Exception
    {
        node = new ConsoleNode(directory);
        client = new ConsoleHttp(node);
        node.add(ConsoleNode.INTEL,
                ConsoleSharingApiTest.indicator(indicator, "Grid C2", "203.0.113.5", TlpMarkings.Tlp.GREEN.id()),
                ConsoleNode.named(identity, "Grid operator", ",\"identity_class\":\"organization\""));
        alice = client.login("alice");
        carol = client.login("carol");
    }

    @AfterAll
    void stop()
    {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void authorsEachNamedTypeAsValidStixWithTheChosenMarkings()
            throws Exception
    {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("threat-actor", "{\"name\":\"Grid Bear\",\"aliases\":[\"Volt Bear\"],\"threat_actor_types\":[\"nation-state\"]}");
        properties.put("intrusion-set", "{\"name\":\"Grid Set\",\"aliases\":[\"GS-1\"]}");
        properties.put("campaign", "{\"name\":\"Winter Grid\",\"objective\":\"disrupt power\"}");
        properties.put("report", "{\"name\":\"Grid report\",\"report_types\":[\"threat-report\"],\"object_refs\":[\"" + indicator + "\"]}");
        properties.put("note", "{\"abstract\":\"Seen twice\",\"content\":\"The C2 answered in March.\",\"object_refs\":[\"" + indicator + "\"]}");
        properties.put("relationship", "{\"relationship_type\":\"indicates\",\"source_ref\":\"" + indicator + "\",\"target_ref\":\"" + identity + "\"}");
        properties.put("sighting", "{\"sighting_of_ref\":\"" + indicator + "\",\"where_sighted_refs\":[\"" + identity + "\"],\"count\":3}");
        List<String> levels = List.of("clear", "green", "amber", "amber+strict", "red", "green", "amber");
        int index = 0;
        for (Map.Entry<String, String> entry : properties.entrySet()) {
            String type = entry.getKey();
            TlpMarkings.Tlp tlp = AuthoredMarkings.tlp(levels.get(index++));
            JsonNode created = created(client.sendPost(alice, "/console/api/objects", body(type, tlp.level(), "", entry.getValue())));
            String id = created.get("id").stringValue();
            assertThat(id).as(type).startsWith(type + "--");
            JsonNode stored = latest(id).tree();
            assertThat(validator.validate(stored)).as(type + " " + stored).isEmpty();
            assertThat(stored.get("created").stringValue()).isEqualTo(stored.get("modified").stringValue());
            assertThat(strings(stored.get("object_marking_refs"))).as(type).containsExactly(tlp.id());
            JsonNode given = ConsoleJson.MAPPER.readTree(entry.getValue());
            for (String property : given.propertyNames()) {
                assertThat(stored.get(property)).as(type + "." + property).isEqualTo(given.get(property));
            }
            // The TLP marking-definition is stored beside it, so that partners and the badges resolve it.
            assertThat(find(tlp.id())).as(type).isPresent();
            JsonNode view = client.get(alice, "/console/api/objects/" + id);
            assertThat(view.get("badges").get(0).get("value").stringValue()).isEqualTo(tlp.level());
        }
    }

    @Test
    void storesTheChosenHandlingCodePapAndEvaluationAsOneVigieMarking()
            throws Exception
    {
        JsonNode choices = client.get(alice, "/console/api/markings");
        assertThat(choices.get("handling_markings").asBoolean()).isTrue();
        assertThat(strings(choices.get("tlp"))).containsExactly("clear", "green", "amber", "amber+strict", "red");
        assertThat(choices.get("handling_codes").values()).extracting(code -> code.get("code").stringValue()).containsExactly("H0", "H1", "H2", "H3");
        assertThat(strings(choices.get("pap"))).containsExactly("clear", "green", "amber", "red");
        assertThat(strings(choices.get("source_reliability"))).containsExactly("A", "B", "C", "D", "E", "F");
        assertThat(strings(choices.get("information_credibility"))).containsExactly("1", "2", "3", "4", "5", "6");

        JsonNode created = created(client.sendPost(alice, "/console/api/objects",
                body("threat-actor", "amber", ",\"handling\":\"H3\",\"handling_condition\":\"only for the grid task force\",\"pap\":\"green\",\"evaluation\":\"b2\"",
                        "{\"name\":\"Handled Bear\"}")));
        List<String> references = strings(latest(created.get("id").stringValue()).tree().get("object_marking_refs"));
        assertThat(references).hasSize(2).startsWith(TlpMarkings.Tlp.AMBER.id());
        StixObject definition = find(references.get(1)).orElseThrow();
        assertThat(validator.validate(definition.tree())).isEmpty();
        assertThat(definition.tree().get("created_by_ref").stringValue()).isEqualTo(ConsoleExchangeFixture.LOCAL_IDENTITY);
        VigieMarking marking = VigieMarking.fromMarkingDefinition(definition.tree()).orElseThrow();
        assertThat(marking.handling().orElseThrow().code()).isEqualTo(HandlingCode.H3);
        assertThat(marking.handling().orElseThrow().condition()).contains("only for the grid task force");
        assertThat(marking.pap()).contains(Pap.GREEN);
        assertThat(marking.evaluation()).contains(EvaluationCode.parse("B2"));
        JsonNode view = client.get(alice, "/console/api/objects/" + created.get("id").stringValue());
        assertThat(view.get("badges").values()).extracting(badge -> badge.get("kind").stringValue() + ":" + badge.get("value").stringValue())
                .containsExactly("tlp:amber", "handling:H3", "pap:green", "evaluation:B2");

        // The same choices again reuse the marking-definition (its id comes from its content): no second version.
        JsonNode again = created(client.sendPost(alice, "/console/api/objects",
                body("campaign", "amber", ",\"handling\":\"H3\",\"handling_condition\":\"only for the grid task force\",\"pap\":\"green\",\"evaluation\":\"B2\"",
                        "{\"name\":\"Handled campaign\"}")));
        assertThat(strings(latest(again.get("id").stringValue()).tree().get("object_marking_refs"))).isEqualTo(references);
        assertThat(versions(ConsoleNode.INTEL, references.get(1))).hasSize(1);
        // Carol is cleared up to TLP:GREEN and for no handling code: a green object with a handling code does not exist for her.
        String handled = created(client.sendPost(alice, "/console/api/objects", body("campaign", "green", ",\"handling\":\"H0\"", "{\"name\":\"Green handled\"}")))
                .get("id").stringValue();
        String plain = created(client.sendPost(alice, "/console/api/objects", body("campaign", "green", "", "{\"name\":\"Green plain\"}"))).get("id").stringValue();
        assertThat(client.send(carol, "/console/api/objects/" + handled).statusCode()).isEqualTo(404);
        assertThat(client.get(carol, "/console/api/objects/" + plain).get("name").stringValue()).isEqualTo("Green plain");
    }

    @Test
    void refusesBadMarkingChoicesNamingTheProblemAndStoresNothing()
            throws Exception
    {
        long before = node.store.countObjects(ConsoleNode.INTEL);
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(",\"handling\":\"H4\"", "H4");
        refused.put(",\"handling\":\"H3\"", "H3 (other restrictions) needs a handling_condition");
        refused.put(",\"handling_condition\":\"no code\"", "needs a handling code");
        refused.put(",\"pap\":\"purple\"", "purple");
        refused.put(",\"evaluation\":\"G7\"", "source reliability");
        refused.put(",\"evaluation\":\"A9\"", "information credibility");
        refused.put(",\"pap\":3", "must be a string");
        for (Map.Entry<String, String> entry : refused.entrySet()) {
            HttpResponse<String> response = client.sendPost(alice, "/console/api/objects", body("campaign", "green", entry.getKey(), "{\"name\":\"Refused\"}"));
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(response.body()).as(entry.getKey()).contains(entry.getValue());
        }
        HttpResponse<String> noTlp = client.sendPost(alice, "/console/api/objects", body("campaign", "", ",\"handling\":\"H1\"", "{\"name\":\"Refused\"}"));
        assertThat(noTlp.statusCode()).isEqualTo(400);
        assertThat(noTlp.body()).contains("choose a TLP marking");
        assertThat(node.store.countObjects(ConsoleNode.INTEL)).isEqualTo(before);
    }

    @Test
    void anEditKeepsIdCreatedAndWhatTheFormDoesNotShowWithALaterModifiedAndKeptOrNarrowedMarkings()
            throws Exception
    {
        JsonNode first = created(client.sendPost(alice, "/console/api/objects", body("threat-actor", "green", ",\"handling\":\"H1\"",
                "{\"name\":\"Editable Bear\",\"description\":\"first draft\",\"x_acme_rank\":7,\"external_references\":[{\"source_name\":\"acme\",\"external_id\":\"TA-1\"}]}")));
        String id = first.get("id").stringValue();
        List<String> firstMarkings = strings(first.get("object_marking_refs"));

        // Kept markings, a renamed actor, the description removed (sent as null), the rest kept.
        JsonNode second = edited(id, "threat-actor", "green", ",\"handling\":\"H1\"", "{\"name\":\"Edited Bear\",\"description\":null,\"aliases\":[\"Bear Two\"]}");
        assertThat(second.get("id").stringValue()).isEqualTo(id);
        assertThat(second.get("created").stringValue()).isEqualTo(first.get("created").stringValue());
        assertThat(Timestamps.parse(second.get("modified").stringValue())).isAfter(Timestamps.parse(first.get("modified").stringValue()));
        assertThat(second.get("name").stringValue()).isEqualTo("Edited Bear");
        assertThat(second.has("description")).isFalse();
        assertThat(second.get("x_acme_rank").asInt()).isEqualTo(7);
        assertThat(second.get("external_references")).isEqualTo(first.get("external_references"));
        assertThat(strings(second.get("object_marking_refs"))).isEqualTo(firstMarkings);
        assertThat(validator.validate(second)).isEmpty();

        // Narrowed: from TLP:GREEN to TLP:AMBER+STRICT, H1 to H2.
        JsonNode third = edited(id, "threat-actor", "amber+strict", ",\"handling\":\"H2\"", "{\"name\":\"Edited Bear\"}");
        List<String> narrowed = strings(third.get("object_marking_refs"));
        assertThat(narrowed).hasSize(2).startsWith(TlpMarkings.Tlp.AMBER_STRICT.id());
        assertThat(VigieMarking.fromMarkingDefinition(find(narrowed.get(1)).orElseThrow().tree()).orElseThrow().handling().orElseThrow().code()).isEqualTo(HandlingCode.H2);
        assertThat(Timestamps.parse(third.get("modified").stringValue())).isAfter(Timestamps.parse(second.get("modified").stringValue()));

        // The object view lists the three versions, newest first, each with its own markings.
        JsonNode view = client.get(alice, "/console/api/objects/" + id);
        assertThat(view.get("versions").values()).extracting(version -> version.get("version").stringValue())
                .containsExactly(third.get("modified").stringValue(), second.get("modified").stringValue(), first.get("modified").stringValue());
        assertThat(view.get("versions").get(0).get("badges").values()).extracting(badge -> badge.get("kind").stringValue() + ":" + badge.get("value").stringValue())
                .containsExactly("tlp:amber+strict", "handling:H2");
        assertThat(view.get("versions").get(2).get("badges").values()).extracting(badge -> badge.get("kind").stringValue() + ":" + badge.get("value").stringValue())
                .containsExactly("tlp:green", "handling:H1");
        assertThat(view.get("versions").get(2).get("object").get("description").stringValue()).isEqualTo("first draft");
        assertThat(view.get("versions").values()).allSatisfy(version -> assertThat(version.get("receipts")).isEmpty());
        assertThat(versions(ConsoleNode.INTEL, id)).hasSize(3);

        // An edit must name the object's own type, and an unknown object is not found.
        assertThat(client.sendPost(alice, "/console/api/objects", body("campaign", "green", ",\"id\":\"" + id + "\"", "{\"name\":\"x\"}")).statusCode()).isEqualTo(400);
        assertThat(client.sendPost(alice, "/console/api/objects", body("threat-actor", "green", ",\"id\":\"" + ConsoleNode.id("threat-actor") + "\"", "{\"name\":\"x\"}")).statusCode())
                .isEqualTo(404);
        assertThat(versions(ConsoleNode.INTEL, id)).hasSize(3);
    }

    @Test
    void anEditKeepsMarkingsTheFormDoesNotManage()
            throws Exception
    {
        // A marking-definition with named recipients is not one the form can show: an edit keeps it.
        ObjectNode recipients = VigieMarking.empty().withRecipients(List.of(identity))
                .toMarkingDefinition(Timestamps.parse("2026-01-01T00:00:00Z"), ConsoleExchangeFixture.LOCAL_IDENTITY);
        String actor = ConsoleNode.id("threat-actor");
        node.add(ConsoleNode.INTEL, recipients.toString(), TlpMarkings.Tlp.GREEN.json(), ConsoleNode.named(actor, "Recipients Bear",
                ",\"object_marking_refs\":[\"" + TlpMarkings.Tlp.GREEN.id() + "\",\"" + recipients.get("id").stringValue() + "\"]"));
        JsonNode edited = edited(actor, "threat-actor", "amber", "", "{\"name\":\"Recipients Bear, edited\"}");
        assertThat(strings(edited.get("object_marking_refs"))).containsExactly(TlpMarkings.Tlp.AMBER.id(), recipients.get("id").stringValue());
    }

    private JsonNode edited(String id, String type, String tlp, String extra, String properties)
            throws Exception
    {
        HttpResponse<String> response = client.sendPost(alice, "/console/api/objects", body(type, tlp, ",\"id\":\"" + id + "\"" + extra, properties));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ConsoleJson.MAPPER.readTree(response.body()).get("object");
    }

    private static JsonNode created(HttpResponse<String> response)
    {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return ConsoleJson.MAPPER.readTree(response.body()).get("object");
    }

    private static String body(String type, String tlp, String extra, String properties)
    {
        return "{\"collection\":\"" + ConsoleNode.INTEL + "\",\"type\":\"" + type + "\"" + (tlp.isEmpty() ? "" : ",\"tlp\":\"" + tlp + "\"") + extra
                + ",\"properties\":" + properties + "}";
    }

    private StixObject latest(String id)
    {
        return node.store.findObjects(ConsoleNode.INTEL, ObjectQuery.all(1).withIds(List.of(id))).objects().get(0).object();
    }

    private Optional<StixObject> find(String id)
    {
        return node.store.findObjects(ConsoleNode.INTEL, ObjectQuery.all(1).withIds(List.of(id))).objects().stream().findFirst().map(StoredObject::object);
    }

    private List<StoredObject> versions(String collectionId, String id)
    {
        return node.store.findObjects(collectionId, ObjectQuery.all(100).withIds(List.of(id)).withVersions(VersionFilter.ALL)).objects();
    }

    private static List<String> strings(JsonNode array)
    {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
