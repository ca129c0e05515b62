package org.vigie.detection;

import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.TestClock;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import org.vigie.taxii.client.ClientCredentials;
import org.vigie.taxii.client.RetryPolicy;
import org.vigie.taxii.client.TaxiiClient;
import org.vigie.taxii.server.TaxiiServer;
import org.vigie.taxii.server.TaxiiServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node for tests: an SQLite store, detection over {@link #INDICATORS} with sightings in {@link #SIGHTINGS},
 * and the TAXII server with the ingest routes on 127.0.0.1. Users: {@code admin}; {@code analyst} (reads
 * indicators, reads and writes sightings); {@code reader} (reads indicators and sightings, writes nothing);
 * {@code outsider} (no right).
 */
final class DetectionNode
        implements AutoCloseable
{
    static final String INDICATORS = "4d1f0c2a-0000-4000-8000-000000000001";
    static final String SIGHTINGS = "4d1f0c2a-0000-4000-8000-000000000002";
    static final String PASSWORD = "correct horse battery staple";
    private static final PasswordHasher FAST_HASHER = PasswordHasher.withIterations(1_000);

    final TestClock clock = new TestClock(Instant.parse("2026-03-01T00:00:00Z"));
    final ObjectStore store;
    final DetectionService detection;
    final TaxiiServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    DetectionNode(Path directory)
    {
        this(directory, Map.of(), Optional.empty());
    }

    /** With more {@code detection.*} keys, and where ingest publishes with {@code detection.ingest=kafka}. */
    DetectionNode(Path directory, Map<String, String> configuration, Optional<ObservationPublisher> publisher)
    {
        store = ObjectStores.sqlite(directory.resolve("store.db"), clock);
        store.createCollection(CollectionInfo.of(INDICATORS, "Indicators"));
        store.createCollection(CollectionInfo.of(SIGHTINGS, "Sightings"));
        UserAdministration users = new UserAdministration(store, FAST_HASHER, clock);
        users.createUser("admin", PASSWORD, List.of(), List.of(), true);
        users.createUser("analyst", PASSWORD, List.of(INDICATORS, SIGHTINGS), List.of(SIGHTINGS), false);
        users.createUser("reader", PASSWORD, List.of(INDICATORS, SIGHTINGS), List.of(), false);
        users.createUser("outsider", PASSWORD, List.of(), List.of(), false);
        Map<String, String> properties = new HashMap<>(configuration);
        properties.put(DetectionConfig.ENABLED, "true");
        properties.put(DetectionConfig.INDICATOR_COLLECTIONS, INDICATORS);
        properties.put(DetectionConfig.SIGHTINGS_COLLECTION, SIGHTINGS);
        detection = DetectionService.create(DetectionConfig.fromProperties(properties), store, clock, publisher);
        server = TaxiiServer.start(TaxiiServerConfig.defaults().withPort(0), store, clock, FAST_HASHER, List.of(detection.routes()));
    }

    TaxiiClient client(String user)
    {
        return TaxiiClient.builder(server.baseUri())
                .credentials(ClientCredentials.basic(user, PASSWORD))
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    HttpResponse<String> post(String path, String user, String body)
    {
        HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve(path.substring(1)))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/stix+json;version=2.1")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return send(request);
    }

    HttpResponse<String> get(String path, String user)
    {
        HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve(path.substring(1)))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .GET()
                .build();
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest request)
    {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close()
    {
        server.close();
        detection.close();
        store.close();
    }
}
