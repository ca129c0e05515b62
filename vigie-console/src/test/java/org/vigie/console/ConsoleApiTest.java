package org.vigie.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiTest
{
    private ConsoleHttp client;
    private HttpClient http;
    private ConsoleNode node;
    private String alice;
    private String bob;
    private String admin;
    private final String actor = ConsoleNode.id("threat-actor");
    private final String intrusionSet = ConsoleNode.id("intrusion-set");
    private final String hidden = ConsoleNode.id("threat-actor");

    @BeforeAll
    void start(@TempDir Path directory)
            throws Exception
    {
        node = new ConsoleNode(directory);
        client = new ConsoleHttp(node);
        http = client.http;
        node.add(ConsoleNode.INTEL,
                ConsoleNode.named(actor, "Sandworm Team", ",\"aliases\":[\"Voodoo Bear\",\"IRIDIUM\"],\"object_marking_refs\":[\"" + TlpMarkings.Tlp.AMBER.id() + "\"]"),
                ConsoleNode.named(intrusionSet, "Graph Target Set", ",\"description\":\"Targets power grids\""),
                ConsoleNode.relationship(actor, "attributed-to", intrusionSet));
        node.add(ConsoleNode.SECRET, ConsoleNode.named(hidden, "Hidden Bear", ",\"description\":\"Only for the secret collection\""));
        alice = client.login("alice");
        bob = client.login("bob");
        admin = client.login("admin");
    }

    @AfterAll
    void stop()
    {
        node.close();
    }

    @Test
    void servesTheConsoleWithAStrictContentSecurityPolicy()
            throws Exception
    {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(node.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"/app.js\"></script>").doesNotContain("<script>", "style=", "http://", "https://");
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(node.uri("/app.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        assertThat(script.body()).contains("import");
    }

    @Test
    void loginAnswersATokenAndAWrongPasswordAPlain401()
            throws Exception
    {
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(node.uri("/console/api/login"))
                .header("Authorization", ConsoleHttp.basic("alice", "wrong"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        // No WWW-Authenticate: the browser must not open its own password dialog over the console.
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isEmpty();
        JsonNode me = client.get(alice, "/console/api/me");
        assertThat(me.get("name").stringValue()).isEqualTo("alice");
        assertThat(me.get("administrator").booleanValue()).isFalse();
    }

    @Test
    void searchMatchesNamesAliasesAndDescriptionsCaseInsensitively()
            throws Exception
    {
        assertThat(hitIds(client.get(alice, "/console/api/search?q=voodoo"))).containsExactly(actor);
        assertThat(hitIds(client.get(alice, "/console/api/search?q=POWER%20grids"))).containsExactly(intrusionSet);
        JsonNode sandworm = client.get(alice, "/console/api/search?q=sandworm");
        assertThat(sandworm.get("hits").get(0).get("badges").get(0).get("value").stringValue()).isEqualTo("amber");
    }

    @Test
    void searchFromThePersistentIndexFindsNewObjectsByPrefixOnlyForUsersWithRights()
            throws Exception
    {
        String fresh = ConsoleNode.id("campaign");
        String secret = ConsoleNode.id("campaign");
        node.add(ConsoleNode.INTEL, ConsoleNode.named(fresh, "Operation Quillfeather", ""));
        node.add(ConsoleNode.SECRET, ConsoleNode.named(secret, "Quillfeather Secret", ""));
        // Written a moment ago: the answer waits for the indexer, and says the index is current.
        JsonNode prefix = client.get(alice, "/console/api/search?q=quillfea");
        assertThat(hitIds(prefix)).containsExactly(fresh);
        assertThat(prefix.get("index_behind").longValue()).isZero();
        assertThat(prefix.has("index_notice")).isFalse();
        assertThat(prefix.get("total_exact").booleanValue()).isTrue();
        assertThat(hitIds(client.get(admin, "/console/api/search?q=QUILL"))).containsExactlyInAnyOrder(fresh, secret);
        // Bob reads only the public collection: no hit, no count, by word, by prefix or by id.
        for (String query : List.of("quillfeather", "quill", "operation%20quill", fresh, secret)) {
            JsonNode answer = client.get(bob, "/console/api/search?q=" + query);
            assertThat(answer.get("total").longValue()).as(query).isZero();
            assertThat(answer.get("hits")).as(query).isEmpty();
        }
    }

    @Test
    void aUserWithoutRightsSeesNeitherTheObjectsNorTheirExistence()
            throws Exception
    {
        assertThat(client.get(alice, "/console/api/search?q=hidden").get("total").longValue()).isZero();
        assertThat(client.get(bob, "/console/api/search?q=sandworm").get("total").longValue()).isZero();
        assertThat(hitIds(client.get(admin, "/console/api/search?q=hidden"))).containsExactly(hidden);

        HttpResponse<String> existing = client.send(bob, "/console/api/objects/" + actor);
        HttpResponse<String> missing = client.send(bob, "/console/api/objects/" + ConsoleNode.id("threat-actor"));
        assertThat(existing.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(existing.body().replace(actor, "ID")).isEqualTo(missing.body().replaceAll("threat-actor--[0-9a-f-]+", "ID"));
        assertThat(client.send(bob, "/console/api/objects/" + actor + "/relationships").statusCode()).isEqualTo(404);

        List<String> bobCollections = new ArrayList<>();
        client.get(bob, "/console/api/collections").get("collections").forEach(collection -> bobCollections.add(collection.get("id").stringValue()));
        assertThat(bobCollections).containsExactly(ConsoleNode.PUBLIC);
    }

    @Test
    void objectDetailAndRelationshipsForTheGraph()
            throws Exception
    {
        JsonNode detail = client.get(alice, "/console/api/objects/" + actor);
        assertThat(detail.get("name").stringValue()).isEqualTo("Sandworm Team");
        assertThat(detail.get("versions")).hasSize(1);
        assertThat(detail.get("collections").get(0).get("title").stringValue()).isEqualTo("Intel");

        JsonNode graph = client.get(alice, "/console/api/objects/" + actor + "/relationships");
        List<String> nodes = new ArrayList<>();
        graph.get("nodes").forEach(value -> nodes.add(value.get("id").stringValue()));
        assertThat(nodes).containsExactly(actor, intrusionSet);
        assertThat(graph.get("edges")).hasSize(1);
        assertThat(graph.get("edges").get(0).get("label").stringValue()).isEqualTo("attributed-to");
    }

    @Test
    void authoringValidatesPatternsAndStoresTheChosenMarking()
            throws Exception
    {
        JsonNode invalid = client.post(alice, "/console/api/patterns/validate", "{\"pattern\":\"[ipv4-addr:value = \"}");
        assertThat(invalid.get("valid").booleanValue()).isFalse();
        assertThat(invalid.get("message").stringValue()).contains("column");
        assertThat(client.post(alice, "/console/api/patterns/validate", "{\"pattern\":\"[ipv4-addr:value = '198.51.100.7']\"}").get("valid").booleanValue()).isTrue();

        String body = "{\"collection\":\"" + ConsoleNode.INTEL + "\",\"type\":\"indicator\",\"tlp\":\"green\",\"properties\":{\"name\":\"Bad host\",\"pattern\":\"[ipv4-addr:value = '198.51.100.7']\"}}";
        HttpResponse<String> created = client.sendPost(alice, "/console/api/objects", body);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode object = ConsoleJson.MAPPER.readTree(created.body()).get("object");
        assertThat(object.get("object_marking_refs").get(0).stringValue()).isEqualTo(TlpMarkings.Tlp.GREEN.id());
        assertThat(object.get("pattern_type").stringValue()).isEqualTo("stix");
        assertThat(hitIds(client.get(alice, "/console/api/search?q=198.51.100.7"))).containsExactly(object.get("id").stringValue());

        HttpResponse<String> badPattern = client.sendPost(alice, "/console/api/objects", body.replace("'198.51.100.7']", "'198.51.100.7'"));
        assertThat(badPattern.statusCode()).isEqualTo(400);
        HttpResponse<String> noMarking = client.sendPost(alice, "/console/api/objects", body.replace("\"tlp\":\"green\",", ""));
        assertThat(noMarking.statusCode()).isEqualTo(400);
        assertThat(noMarking.body()).contains("TLP");
        assertThat(client.sendPost(bob, "/console/api/objects", body).statusCode()).isEqualTo(404);
    }

    @Test
    void theFeedStreamsNewObjectsOnlyToUsersWhoMayReadThem()
            throws Exception
    {
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(node.uri("/console/api/feed"))
                .header("Authorization", "Bearer " + alice)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        String secret = ConsoleNode.id("campaign");
        String visible = ConsoleNode.id("campaign");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo(": connected");
            node.add(ConsoleNode.SECRET, ConsoleNode.named(secret, "Secret campaign", ""));
            node.add(ConsoleNode.INTEL, ConsoleNode.named(visible, "Visible campaign", ""));
            List<String> data = new ArrayList<>();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data: ")) {
                    data.add(line);
                    if (line.contains(visible)) {
                        break;
                    }
                }
            }
            assertThat(data).anySatisfy(line -> assertThat(line).contains("Visible campaign", "\"direction\":\"stored\""));
            assertThat(data).noneSatisfy(line -> assertThat(line).contains(secret));
        }
    }

    @Test
    void screeningExplainsTheScore()
            throws Exception
    {
        JsonNode results = client.post(alice, "/console/api/screening/match", "{\"name\":\"Muhammad Salah al-Din Abdul Halim Zidan\"}").get("results");
        assertThat(results).isNotEmpty();
        assertThat(results.get(0).get("id").stringValue()).isEqualTo("QDi.001");
        assertThat(results.get(0).get("explanation").get("pairs")).isNotEmpty();
    }

    private static List<String> hitIds(JsonNode search)
    {
        List<String> ids = new ArrayList<>();
        search.get("hits").forEach(hit -> ids.add(hit.get("id").stringValue()));
        return ids;
    }
}
