package org.vigie.node.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.config.NodeConfig;
import org.vigie.stix.json.StixJson;
import org.vigie.taxii.auth.PasswordHasher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the embedded node, over real HTTP: an indicator deleted over TAXII stops matching at once (its newest version
 * deleted, the older one matches again; every version deleted, nothing matches and {@code /metrics} counts one
 * indicator fewer). The matcher's own refresh is set to an hour, and it reads only versions added anyway, so only
 * the deletion's event can bring the change.
 */
class DetectionDeletionTest
{
    private static final String OLDER_ADDRESS = "198.51.100.20";
    private static final String NEWER_ADDRESS = "198.51.100.21";
    private static final String NEWER_VERSION = "2026-01-02T00:00:00.000Z";

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void deletionOverTaxiiReachesTheLiveMatcher()
            throws IOException, InterruptedException
    {
        NodeConfig config = NodeConfig.load(directory.resolve("data"), Map.of("http.port", "0", "detection.enabled", "true", "detection.refresh-interval", "1h"));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            String collection = node.initialization().createdCollection().orElseThrow().id();
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    (config.administratorName() + ":" + node.initialization().administratorPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8));
            String indicatorId = "indicator--" + UUID.randomUUID();
            String otherId = "indicator--" + UUID.randomUUID();
            HttpResponse<String> stored = send(HttpRequest.newBuilder(node.apiRootUri().resolve("collections/" + collection + "/objects/"))
                    .header("Authorization", basic)
                    .header("Content-Type", "application/taxii+json;version=2.1")
                    .header("Accept", "application/taxii+json;version=2.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[" + String.join(",",
                            indicator(indicatorId, "2026-01-01T00:00:00.000Z", OLDER_ADDRESS),
                            indicator(indicatorId, NEWER_VERSION, NEWER_ADDRESS),
                            indicator(otherId, "2026-01-01T00:00:00.000Z", "198.51.100.22")) + "]}")));
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(202);
            assertThat(sightings(node, basic, collection, NEWER_ADDRESS)).isEqualTo(1);
            assertThat(sightings(node, basic, collection, OLDER_ADDRESS)).isZero();
            assertThat(metric(node, basic, "vigie_detection_indicators")).isEqualTo(2);

            // The newest version deleted: the older one is what the indicator says now.
            assertThat(delete(node, basic, collection, indicatorId, "?match%5Bversion%5D=" + NEWER_VERSION).statusCode()).isEqualTo(200);
            assertThat(sightings(node, basic, collection, NEWER_ADDRESS)).isZero();
            assertThat(sightings(node, basic, collection, OLDER_ADDRESS)).isEqualTo(1);
            assertThat(metric(node, basic, "vigie_detection_indicators")).isEqualTo(2);

            // Every version deleted: the indicator matches nothing and leaves the matcher.
            assertThat(delete(node, basic, collection, indicatorId, "").statusCode()).isEqualTo(200);
            assertThat(sightings(node, basic, collection, OLDER_ADDRESS)).isZero();
            assertThat(metric(node, basic, "vigie_detection_indicators")).isEqualTo(1);
            assertThat(sightings(node, basic, collection, "198.51.100.22")).isEqualTo(1);
        }
    }

    private static String indicator(String id, String modified, String address)
    {
        return """
                {"type":"indicator","spec_version":"2.1","id":"%s","created":"2026-01-01T00:00:00.000Z","modified":"%s",
                 "pattern":"[ipv4-addr:value = '%s']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""".formatted(id, modified, address);
    }

    /** Ingests one observation of {@code address} and returns how many sightings it produced. */
    private int sightings(VigieNode node, String basic, String collection, String address)
            throws IOException, InterruptedException
    {
        String addressId = "ipv4-addr--" + UUID.randomUUID();
        String observations = """
                [{"type":"ipv4-addr","spec_version":"2.1","id":"%s","value":"%s"},
                 {"type":"observed-data","spec_version":"2.1","id":"observed-data--%s","created":"2026-02-01T10:00:00.000Z",
                  "modified":"2026-02-01T10:00:00.000Z","first_observed":"2026-02-01T09:00:00Z","last_observed":"2026-02-01T09:00:00Z",
                  "number_observed":1,"object_refs":["%s"]}]""".formatted(addressId, address, UUID.randomUUID(), addressId);
        HttpResponse<String> response = send(HttpRequest.newBuilder(node.baseUri().resolve("ingest/" + collection + "/observations"))
                .header("Authorization", basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(observations)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StixJson.parse(response.body()).get("sightings").size();
    }

    private HttpResponse<String> delete(VigieNode node, String basic, String collection, String objectId, String query)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(node.apiRootUri().resolve("collections/" + collection + "/objects/" + objectId + "/") + query))
                .header("Authorization", basic)
                .header("Accept", "application/taxii+json;version=2.1")
                .DELETE());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private double metric(VigieNode node, String basic, String name)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = send(HttpRequest.newBuilder(node.baseUri().resolve("metrics")).header("Authorization", basic).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return NodeMetricsTest.value(response.body(), name).orElseThrow(() -> new AssertionError(name + " is not in " + response.body()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request)
            throws IOException, InterruptedException
    {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
