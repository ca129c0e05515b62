package org.vigie.taxii.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retries, backoff and status polling against a scripted HTTP server on a real socket. The sleeper
 * records the waits instead of sleeping.
 */
class TaxiiClientRetryTest
{
    private static final String DISCOVERY = "{\"title\":\"scripted\",\"api_roots\":[]}";
    private static final RetryPolicy POLICY = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(300));

    private HttpServer server;
    private final Map<String, List<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    private record Answer(int status, String body, Map<String, String> headers) {}

    @BeforeEach
    void start()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.stop(0);
    }

    @Test
    void idempotentRequestsAreRetriedWithExponentialBackoff()
    {
        script("GET /taxii2/", new Answer(503, "", Map.of()), new Answer(502, "", Map.of()), new Answer(504, "", Map.of()), new Answer(200, DISCOVERY, Map.of()));
        assertThat(client().discovery().title()).isEqualTo("scripted");
        assertThat(hits("GET /taxii2/")).isEqualTo(4);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    }

    @Test
    void retryAfterIsHonouredUpToTheMaximumBackoff()
    {
        script("GET /taxii2/", new Answer(429, "", Map.of("Retry-After", "0")), new Answer(429, "", Map.of("Retry-After", "60")), new Answer(200, DISCOVERY, Map.of()));
        client().discovery();
        assertThat(waits).containsExactly(Duration.ZERO, Duration.ofMillis(300));
    }

    @Test
    void retriesStopAfterMaxAttempts()
    {
        script("GET /taxii2/", new Answer(503, "", Map.of()));
        assertThatThrownBy(() -> client().discovery())
                .isInstanceOfSatisfying(VigieException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TAXII_CLIENT_FAILURE);
                    assertThat(e.getMessage()).contains("503");
                });
        assertThat(hits("GET /taxii2/")).isEqualTo(POLICY.maxAttempts());
        assertThat(waits).hasSize(POLICY.maxAttempts() - 1);
    }

    @Test
    void postsAndClientErrorsAreNotRetried()
    {
        script("POST /vigie/collections/c/objects/", new Answer(503, "", Map.of()));
        assertThatThrownBy(() -> client().addObjects("c", List.of("{}"))).isInstanceOf(VigieException.class);
        assertThat(hits("POST /vigie/collections/c/objects/")).isEqualTo(1);

        script("GET /vigie/collections/c/", new Answer(404, "{\"title\":\"Not found\",\"description\":\"no c\",\"error_code\":\"VG-0301\",\"http_status\":\"404\"}", Map.of()));
        assertThatThrownBy(() -> client().collection("c"))
                .isInstanceOfSatisfying(VigieException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND);
                    assertThat(e.getMessage()).contains("no c").contains("VG-0301");
                });
        assertThat(hits("GET /vigie/collections/c/")).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void connectionFailuresAreRetried()
            throws IOException
    {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TaxiiClient client = TaxiiClient.builder(URI.create("http://127.0.0.1:" + closedPort + "/")).retryPolicy(POLICY).sleeper(waits::add).build();
        assertThatThrownBy(client::discovery)
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TAXII_CLIENT_FAILURE));
        assertThat(waits).hasSize(POLICY.maxAttempts() - 1);
    }

    @Test
    void awaitStatusPollsUntilComplete()
    {
        String pending = "{\"id\":\"s1\",\"status\":\"pending\",\"total_count\":2,\"success_count\":1,\"pending_count\":1,\"successes\":[{\"id\":\"a\"}],\"pendings\":[{\"id\":\"b\"}]}";
        String complete = "{\"id\":\"s1\",\"status\":\"complete\",\"total_count\":2,\"success_count\":2,\"pending_count\":0,\"successes\":[{\"id\":\"a\"},{\"id\":\"b\"}]}";
        script("GET /vigie/status/s1/", new Answer(200, pending, Map.of()), new Answer(200, pending, Map.of()), new Answer(200, complete, Map.of()));
        TaxiiResources.Status status = client().awaitStatus("s1", Duration.ofSeconds(2), 5);
        assertThat(status.complete()).isTrue();
        assertThat(status.successes()).extracting(TaxiiResources.StatusDetail::id).containsExactly("a", "b");
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));

        script("GET /vigie/status/s2/", new Answer(200, pending.replace("s1", "s2"), Map.of()));
        assertThatThrownBy(() -> client().awaitStatus("s2", Duration.ofSeconds(1), 3)).isInstanceOf(VigieException.class).hasMessageContaining("still pending after 3 polls");
    }

    @Test
    void retryPolicyBackoffDoublesUpToTheMaximum()
    {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(50), Duration.ofSeconds(1));
        List<Duration> backoffs = new ArrayList<>();
        for (int attempt = 1; attempt <= 8; attempt++) {
            backoffs.add(policy.backoff(attempt));
        }
        assertThat(backoffs).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    private TaxiiClient client()
    {
        return TaxiiClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).retryPolicy(POLICY).sleeper(waits::add).build();
    }

    private void script(String request, Answer... answers)
    {
        scripts.put(request, new ArrayList<>(List.of(answers)));
    }

    private int hits(String request)
    {
        return hits.getOrDefault(request, new AtomicInteger()).get();
    }

    // Answers each request with the next scripted answer; the last answer repeats.
    private void answer(HttpExchange exchange)
            throws IOException
    {
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        exchange.getRequestBody().readAllBytes();
        hits.computeIfAbsent(request, key -> new AtomicInteger()).incrementAndGet();
        List<Answer> script = scripts.get(request);
        Answer answer = script == null ? new Answer(404, "", Map.of()) : script.size() > 1 ? script.remove(0) : script.get(0);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", TaxiiClient.TAXII_MEDIA_TYPE);
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }
}
