package org.vigie.taxii.testing;

import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import org.vigie.taxii.client.ClientCredentials;
import org.vigie.taxii.client.RetryPolicy;
import org.vigie.taxii.client.TaxiiClient;
import org.vigie.taxii.server.RouteContributor;
import org.vigie.taxii.server.TaxiiServer;
import org.vigie.taxii.server.TaxiiServerConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real server on 127.0.0.1 (ephemeral port) over a store, with users of every kind of right:
 * {@code admin} (everything), {@code analyst} (read and write {@link #SHARED}), {@code reader} (read
 * {@link #SHARED}), {@code writer} (write only {@link #SHARED}) and {@code outsider} (no right).
 * Hashes use few PBKDF2 iterations to keep tests fast.
 */
public final class TestNode
        implements AutoCloseable
{
    public static final String SHARED = "6f7a1b2c-0000-4000-8000-000000000001";
    public static final String PRIVATE = "6f7a1b2c-0000-4000-8000-000000000002";
    public static final String PASSWORD = "correct horse battery staple";
    public static final PasswordHasher FAST_HASHER = PasswordHasher.withIterations(1_000);

    private final MutableClock clock;
    private final ObjectStore store;
    private final TaxiiServer server;
    private final UserAdministration users;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public TestNode(ObjectStore store, MutableClock clock, TaxiiServerConfig config, List<RouteContributor> contributors)
    {
        this.clock = clock;
        this.store = store;
        store.createCollection(new CollectionInfo(SHARED, "Shared", java.util.Optional.of("shared with partners"), java.util.Optional.of("shared"), List.of(CollectionInfo.STIX_21_MEDIA_TYPE)));
        store.createCollection(CollectionInfo.of(PRIVATE, "Private"));
        users = new UserAdministration(store, FAST_HASHER, clock);
        users.createUser("admin", PASSWORD, List.of(), List.of(), true);
        users.createUser("analyst", PASSWORD, List.of(SHARED), List.of(SHARED), false);
        users.createUser("reader", PASSWORD, List.of(SHARED), List.of(), false);
        users.createUser("writer", PASSWORD, List.of(), List.of(SHARED), false);
        users.createUser("outsider", PASSWORD, List.of(), List.of(), false);
        server = TaxiiServer.start(config, store, clock, FAST_HASHER, contributors);
    }

    public static TestNode start()
    {
        return start(Map.of());
    }

    public static TestNode start(Map<String, String> properties)
    {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        return new TestNode(ObjectStores.inMemory(clock), clock, TaxiiServerConfig.fromProperties(properties).withPort(0), List.of());
    }

    public MutableClock clock()
    {
        return clock;
    }

    public ObjectStore store()
    {
        return store;
    }

    public TaxiiServer server()
    {
        return server;
    }

    public UserAdministration users()
    {
        return users;
    }

    public URI uri(String path)
    {
        return server.baseUri().resolve(path);
    }

    public TaxiiClient client(String user)
    {
        return TaxiiClient.builder(server.baseUri())
                .credentials(ClientCredentials.basic(user, PASSWORD))
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    public static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A raw request, for asserting exact statuses and headers; {@code headers} are name, value pairs. */
    public HttpResponse<String> send(String method, String path, String body, String... headers)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int index = 0; index < headers.length; index += 2) {
            request.header(headers[index], headers[index + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET as {@code user} accepting TAXII 2.1. */
    public HttpResponse<String> get(String path, String user)
    {
        return send("GET", path, null, "Authorization", basic(user, PASSWORD), "Accept", TaxiiClient.TAXII_MEDIA_TYPE);
    }

    @Override
    public void close()
    {
        server.close();
        store.close();
    }
}
