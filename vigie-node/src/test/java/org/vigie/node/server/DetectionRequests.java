package org.vigie.node.server;

import org.vigie.stix.json.StixJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the detection tests ask a running node over real HTTP: TAXII adds and deletes, ingest, a metric. */
final class DetectionRequests
{
    private final HttpClient http = HttpClient.newHttpClient();

    static String administrator(VigieNode node)
    {
        return "Basic " + Base64.getEncoder().encodeToString(
                (node.initialization().administratorName() + ":" + node.initialization().administratorPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8));
    }

    static String indicator(String id, String modified, String address)
    {
        return """
                {"type":"indicator","spec_version":"2.1","id":"%s","created":"2026-01-01T00:00:00.000Z","modified":"%s",
                 "pattern":"[ipv4-addr:value = '%s']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""".formatted(id, modified, address);
    }

    /** One observed-data of {@code address} with its address object, as a JSON array on one line (of a JSON-lines body). */
    static String observation(String address)
    {
        String addressId = "ipv4-addr--" + UUID.randomUUID();
        return """
                [{"type":"ipv4-addr","spec_version":"2.1","id":"%s","value":"%s"},{"type":"observed-data","spec_version":"2.1","id":"observed-data--%s","created":"2026-02-01T10:00:00.000Z","modified":"2026-02-01T10:00:00.000Z","first_observed":"2026-02-01T09:00:00Z","last_observed":"2026-02-01T09:00:00Z","number_observed":1,"object_refs":["%s"]}]
                """.formatted(addressId, address, UUID.randomUUID(), addressId);
    }

    void addObjects(VigieNode node, String basic, String collection, List<String> objects)
    {
        HttpResponse<String> response = send(HttpRequest.newBuilder(node.apiRootUri().resolve("collections/" + collection + "/objects/"))
                .header("Authorization", basic)
                .header("Content-Type", "application/taxii+json;version=2.1")
                .header("Accept", "application/taxii+json;version=2.1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[" + String.join(",", objects) + "]}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(StixJson.parse(response.body()).get("success_count").asInt()).isEqualTo(objects.size());
    }

    /** Deletes an object over TAXII; {@code query} is empty (every version) or a {@code ?match[...]} query string. */
    void delete(VigieNode node, String basic, String collection, String objectId, String query)
    {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(node.apiRootUri().resolve("collections/" + collection + "/objects/" + objectId + "/") + query))
                .header("Authorization", basic)
                .header("Accept", "application/taxii+json;version=2.1")
                .DELETE());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Ingests one observation of {@code address}, matched in the node, and returns how many sightings it produced. */
    int sightings(VigieNode node, String basic, String collection, String address)
    {
        HttpResponse<String> response = post(node, basic, "ingest/" + collection + "/observations", observation(address));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StixJson.parse(response.body()).get("sightings").size();
    }

    HttpResponse<String> post(VigieNode node, String basic, String path, String body)
    {
        return send(HttpRequest.newBuilder(node.baseUri().resolve(path))
                .header("Authorization", basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    double metric(VigieNode node, String basic, String name)
    {
        HttpResponse<String> response = send(HttpRequest.newBuilder(node.baseUri().resolve("metrics")).header("Authorization", basic).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return NodeMetricsTest.value(response.body(), name).orElseThrow(() -> new AssertionError(name + " is not in " + response.body()));
    }

    private HttpResponse<String> send(HttpRequest.Builder builder)
    {
        HttpRequest request = builder.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }
}
