package org.vigie.node.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.cli.CommandContext;
import org.vigie.node.cli.Main;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.testing.Keytool;
import org.vigie.store.ObjectQuery;
import org.vigie.taxii.auth.PasswordHasher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics}, {@code /health} and {@code /ready} of a running node, scraped over real HTTP while the node
 * works: TAXII requests, live detection of observations, event-log writes, and a release to a partner node (a
 * second node in this JVM, mutual TLS) that is down at first, then up and storing.
 */
class NodeMetricsTest
{
    private static final String PASSWORD = "changeit";
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final String INDICATOR = """
            {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
             "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"C2 address",
             "pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",
             "object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}""";

    @TempDir
    Path directory;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void everyMetricChangesAsTheNodeWorks()
            throws Exception
    {
        Path nodeData = directory.resolve("node");
        Path partnerData = directory.resolve("partner");
        int partnerPort = freePort();
        createCertificates();
        Files.createDirectories(nodeData);
        Files.createDirectories(partnerData);
        Files.writeString(nodeData.resolve("vigie.properties"), String.join("\n",
                "exchange.tls.keystore=" + directory.resolve("node.p12"),
                "exchange.tls.keystore-password=" + PASSWORD,
                "exchange.delivery.interval-milliseconds=50",
                "exchange.outbox.retry-initial-milliseconds=50",
                "exchange.outbox.retry-max-milliseconds=200",
                "exchange.delivery.connect-timeout-milliseconds=2000",
                ""));
        Files.writeString(partnerData.resolve("vigie.properties"), String.join("\n",
                "http.port=" + partnerPort,
                "http.tls.keystore=" + directory.resolve("partner.p12"),
                "http.tls.keystore-password=" + PASSWORD,
                "http.tls.truststore=" + directory.resolve("partner-trust.p12"),
                "http.tls.truststore-password=" + PASSWORD,
                "http.tls.client-auth=need",
                ""));
        String nodeIdentity = identity(nodeData, directory.resolve("node.jwk"));
        String partnerIdentity = identity(partnerData, directory.resolve("partner.jwk"));
        cli("partner", "add", "--data-dir", nodeData.toString(), "--name", "p", "--identity", partnerIdentity, "--endpoint", "https://127.0.0.1:" + partnerPort + "/",
                "--certificate", directory.resolve("partner.pem").toString(), "--signing-key", directory.resolve("partner.jwk").toString());
        cli("partner", "add", "--data-dir", partnerData.toString(), "--name", "n", "--identity", nodeIdentity, "--endpoint", "https://127.0.0.1:1/",
                "--certificate", directory.resolve("node.pem").toString(), "--signing-key", directory.resolve("node.jwk").toString());
        Path policy = directory.resolve("policy.json");
        Files.writeString(policy, "{\"name\": \"green\", \"rules\": [{\"name\": \"green to p\", \"effect\": \"allow\", \"partners\": [\"p\"], \"max_tlp\": \"green\"}]}");
        cli("policy", "set", "--data-dir", nodeData.toString(), policy.toString());

        NodeConfig config = NodeConfig.load(nodeData, Map.of("http.port", "0", "detection.enabled", "true", "metrics.event-log-consumers", "relay"));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            String collectionId = node.initialization().createdCollection().orElseThrow().id();
            String authorization = "Basic " + Base64.getEncoder().encodeToString(
                    (config.administratorName() + ":" + node.initialization().administratorPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8));
            URI objects = node.apiRootUri().resolve("collections/" + collectionId + "/objects/");

            assertThat(get(node.baseUri().resolve("health"), null).body()).isEqualTo("ok\n");
            HttpResponse<String> ready = get(node.baseUri().resolve("ready"), null);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready\n");
            assertThat(get(node.baseUri().resolve("metrics"), null).statusCode()).isEqualTo(401);

            String before = scrape(node, authorization);
            String getObjectsRoute = "route=\"/vigie/collections/{collectionId}/objects/\"";
            double objectReadsBefore = value(before, "vigie_http_server_requests_seconds_count", "method=\"GET\"", getObjectsRoute, "status=\"200\"").orElse(0);
            double positionBefore = value(before, "vigie_event_log_position").orElseThrow();
            double lagBefore = value(before, "vigie_event_log_consumer_lag_events", "consumer=\"relay\"").orElseThrow();
            assertThat(value(before, "vigie_detection_observations_total").orElseThrow()).isZero();
            assertThat(value(before, "vigie_exchange_outbox_depth", "partner=\"p\"").orElseThrow()).isZero();
            assertThat(value(before, "vigie_exchange_last_receipt_age_seconds", "partner=\"p\"")).isEmpty();

            // TAXII work: one POST, three reads, one 404.
            HttpResponse<String> posted = client.send(HttpRequest.newBuilder(objects).header("Authorization", authorization)
                    .header("Content-Type", "application/taxii+json;version=2.1").header("Accept", "application/taxii+json;version=2.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[" + INDICATOR + "]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            for (int read = 0; read < 3; read++) {
                assertThat(get(objects, authorization).statusCode()).isEqualTo(200);
            }
            assertThat(get(node.apiRootUri().resolve("collections/no-such-collection/objects/"), authorization).statusCode()).isEqualTo(404);
            // Live detection: two observation bundles, each matching the indicator once.
            for (int bundle = 0; bundle < 2; bundle++) {
                HttpResponse<String> ingested = client.send(HttpRequest.newBuilder(node.baseUri().resolve("ingest/" + collectionId + "/observations"))
                        .header("Authorization", authorization).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(NodeWiringTest.OBSERVATIONS)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(200);
            }

            String afterWork = scrape(node, authorization);
            assertThat(value(afterWork, "vigie_http_server_requests_seconds_count", "method=\"GET\"", getObjectsRoute, "status=\"200\"").orElseThrow())
                    .isEqualTo(objectReadsBefore + 3);
            assertThat(value(afterWork, "vigie_http_server_requests_seconds_count", "method=\"POST\"", getObjectsRoute, "status=\"202\"").orElseThrow()).isEqualTo(1);
            assertThat(value(afterWork, "vigie_http_server_requests_seconds_count", "method=\"GET\"", getObjectsRoute, "status=\"404\"").orElseThrow()).isEqualTo(1);
            assertThat(value(afterWork, "vigie_http_server_requests_seconds_sum", "method=\"POST\"", getObjectsRoute, "status=\"202\"").orElseThrow()).isPositive();
            assertThat(value(afterWork, "vigie_http_server_requests_seconds_bucket", "method=\"POST\"", getObjectsRoute, "status=\"202\"", "le=\"+Inf\"").orElseThrow())
                    .isEqualTo(1);
            assertThat(value(afterWork, "vigie_http_server_requests_seconds_count", "route=\"/metrics\"", "status=\"200\"").orElseThrow()).isGreaterThanOrEqualTo(1);
            assertThat(value(afterWork, "vigie_detection_observations_total").orElseThrow()).isEqualTo(2);
            assertThat(value(afterWork, "vigie_detection_matches_total").orElseThrow()).isEqualTo(2);
            assertThat(value(afterWork, "vigie_detection_indicators").orElseThrow()).isEqualTo(1);
            // The indicator, two observation bundles' objects and the sightings were committed: the log moved on,
            // and the relay (which never saved a cursor) is behind by every committed event.
            double positionAfterWork = value(afterWork, "vigie_event_log_position").orElseThrow();
            assertThat(positionAfterWork).isGreaterThan(positionBefore);
            assertThat(value(afterWork, "vigie_event_log_consumer_lag_events", "consumer=\"relay\"").orElseThrow()).isEqualTo(lagBefore + positionAfterWork - positionBefore);
            node.store().events().saveCursor("relay", node.store().events().end());
            assertThat(value(scrape(node, authorization), "vigie_event_log_consumer_lag_events", "consumer=\"relay\"").orElseThrow()).isZero();
            // The console's search index follows the log in the background, in its own file beside the store: current again after the work.
            assertThat(value(before, "vigie_console_search_index_behind_objects")).isPresent();
            // The live feeds' one reader of the ledger read it at least once when the exchange was wired (its head, then the entries before it).
            assertThat(value(before, "vigie_console_feed_ledger_reads_total")).isPresent();
            await("the live feeds' ledger reader read the ledger once", () -> value(scrape(node, authorization), "vigie_console_feed_ledger_reads_total").orElseThrow() >= 1);
            await("the console's search index holds the work", () -> value(scrape(node, authorization), "vigie_console_search_index_behind_objects").orElseThrow() == 0);
            assertThat(nodeData.resolve("search.db")).isRegularFile();

            // A release while the partner is down: queued, depth 1; the partner starts and stores it: depth 0, a receipt.
            cli("release", "--data-dir", nodeData.toString(), "--collection", collectionId, "--to", "p");
            assertThat(value(scrape(node, authorization), "vigie_exchange_outbox_depth", "partner=\"p\"").orElseThrow()).isEqualTo(1);
            NodeConfig partnerConfig = NodeConfig.load(partnerData, Map.of());
            try (VigieNode partner = VigieNode.start(partnerConfig, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
                await("the partner stores the release", () -> value(scrape(node, authorization), "vigie_exchange_outbox_depth", "partner=\"p\"").orElseThrow() == 0);
                String delivered = scrape(node, authorization);
                assertThat(value(delivered, "vigie_exchange_last_receipt_age_seconds", "partner=\"p\"").orElseThrow()).isBetween(0.0, DELIVERY.toSeconds() * 1.0);
                assertThat(partner.store().findObjects("exchange-inbound", ObjectQuery.all(10).withIds(List.of("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"))).objects())
                        .hasSize(1);
            }
        }
    }

    @Test
    void readinessNeedsKafkaWhenEnabledWhileLivenessDoesNot()
            throws Exception
    {
        int closedPort = freePort();
        NodeConfig config = NodeConfig.load(directory.resolve("node"), Map.of("http.port", "0", "kafka.enabled", "true", "kafka.bootstrap-servers", "127.0.0.1:" + closedPort));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            assertThat(get(node.baseUri().resolve("health"), null).statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(node.baseUri().resolve("ready"), null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("not ready: kafka unreachable\n");
        }
    }

    /** The value of the first sample of {@code metric} whose labels contain every one of {@code labels}. */
    static OptionalDouble value(String scrape, String metric, String... labels)
    {
        for (String line : scrape.lines().toList()) {
            if (line.startsWith("#") || !(line.startsWith(metric + "{") || line.startsWith(metric + " "))) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return OptionalDouble.empty();
    }

    private String scrape(VigieNode node, String authorization)
    {
        HttpResponse<String> response = get(node.baseUri().resolve("metrics"), authorization);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> get(URI uri, String authorization)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/taxii+json;version=2.1").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new IllegalStateException("GET " + uri, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }

    private static void await(String what, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DELIVERY + ": " + what);
            }
            // Polling the delivery thread's progress through the endpoint; not a wait for work to finish.
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private void createCertificates()
            throws Exception
    {
        for (String name : List.of("node", "partner")) {
            Path keystore = directory.resolve(name + ".p12");
            Keytool.run("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name + ",O=Vigie test",
                    "-ext", "SAN=ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            Keytool.run("-exportcert", "-rfc", "-alias", name, "-keystore", keystore.toString(), "-storepass", PASSWORD, "-file", directory.resolve(name + ".pem").toString());
        }
        Keytool.run("-importcert", "-noprompt", "-alias", "node", "-file", directory.resolve("node.pem").toString(), "-storetype", "PKCS12",
                "-keystore", directory.resolve("partner-trust.p12").toString(), "-storepass", PASSWORD);
    }

    private static String identity(Path dataDirectory, Path publicKeyFile)
            throws IOException
    {
        List<String> lines = cli("identity", "show", "--data-dir", dataDirectory.toString()).lines().toList();
        Files.writeString(publicKeyFile, lines.get(1).substring("signing key: ".length()));
        return lines.get(0).substring("identity: ".length());
    }

    /** Runs a command in-process; fails the test unless it succeeds; returns its standard output. */
    private static String cli(String... arguments)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InstantSource.system(), false, NodeStores::open, PasswordHasher.withIterations(1_000));
        int exitCode = Main.execute(context, arguments);
        assertThat(exitCode).as(String.join(" ", arguments) + "\n" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
