package org.vigie.node.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.config.NodeConfig;
import org.vigie.stix.json.StixJson;
import org.vigie.taxii.auth.PasswordHasher;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The features mounted on one running node, over real HTTP: the console at {@code /}, sanctions screening,
 * live detection of observations against the stored indicators, and the exchange identity created on first start.
 */
class NodeWiringTest
{
    private static final String INDICATOR = """
            {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
             "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"C2 address",
             "pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""";

    /** Observed data of the address the indicator below matches. */
    static final String OBSERVATIONS = """
            {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
             {"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--12592121-be4c-5a93-a813-5a5af16e50db","value":"198.51.100.7"},
             {"type":"observed-data","spec_version":"2.1","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",
              "created":"2026-02-01T10:00:00.000Z","modified":"2026-02-01T10:00:00.000Z",
              "first_observed":"2026-02-01T09:00:00Z","last_observed":"2026-02-01T09:00:00Z","number_observed":1,
              "object_refs":["ipv4-addr--12592121-be4c-5a93-a813-5a5af16e50db"]}]}""";

    @Test
    void consoleScreeningDetectionAndExchangeAreServed(@TempDir Path directory)
            throws IOException, InterruptedException
    {
        Path dataDirectory = directory.resolve("data");
        NodeConfig config = NodeConfig.load(dataDirectory, Map.of("http.port", "0", "detection.enabled", "true"));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            String collectionId = node.initialization().createdCollection().orElseThrow().id();
            String authorization = "Basic " + Base64.getEncoder().encodeToString(
                    (config.administratorName() + ":" + node.initialization().administratorPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8));
            HttpClient client = HttpClient.newHttpClient();

            HttpResponse<String> console = client.send(HttpRequest.newBuilder(node.baseUri()).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(console.statusCode()).isEqualTo(200);
            assertThat(console.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));

            HttpResponse<String> unauthenticated = client.send(post(node.baseUri().resolve("screening/match"), null, "{\"name\":\"x\"}"), HttpResponse.BodyHandlers.ofString());
            assertThat(unauthenticated.statusCode()).isEqualTo(401);

            HttpResponse<String> screening = client.send(post(node.baseUri().resolve("screening/match"), authorization, "{\"name\":\"Aiman al-Zawahiri\"}"), HttpResponse.BodyHandlers.ofString());
            assertThat(screening.statusCode()).as(screening.body()).isEqualTo(200);
            assertThat(screening.body().toLowerCase()).contains("zawahiri").contains("qdi.");

            HttpResponse<String> badScreening = client.send(post(node.baseUri().resolve("screening/match"), authorization, "{\"name\":"), HttpResponse.BodyHandlers.ofString());
            assertThat(badScreening.statusCode()).isEqualTo(400);
            assertThat(badScreening.body()).contains("not valid JSON");

            // The indicator is stored over TAXII; the live matcher sees it without a restart.
            HttpResponse<String> stored = client.send(HttpRequest.newBuilder(node.apiRootUri().resolve("collections/" + collectionId + "/objects/"))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/taxii+json;version=2.1")
                    .header("Accept", "application/taxii+json;version=2.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[" + INDICATOR + "]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(202);

            HttpResponse<String> ingested = client.send(post(node.baseUri().resolve("ingest/" + collectionId + "/observations"), authorization, OBSERVATIONS), HttpResponse.BodyHandlers.ofString());
            assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(200);
            JsonNode summary = StixJson.parse(ingested.body());
            assertThat(summary.get("sightings")).hasSize(1);

            // The console's sharing screen reads the node's exchange (no partner registered yet).
            HttpResponse<String> partners = client.send(HttpRequest.newBuilder(node.baseUri().resolve("console/api/sharing/partners"))
                    .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(partners.statusCode()).as(partners.body()).isEqualTo(200);
            assertThat(StixJson.parse(partners.body()).get("partners")).isEmpty();

            // First start created this node's exchange identity, readable by its owner only.
            assertThat(Files.list(dataDirectory).map(path -> path.getFileName().toString())).contains("exchange.db");
        }
    }

    private static HttpRequest post(URI uri, String authorization, String body)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }
}
