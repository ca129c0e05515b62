package org.vigie.node.exchange.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.database.DeliveryLeases;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.node.cli.CommandContext;
import org.vigie.node.cli.Main;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectQuery;
import org.vigie.store.StoreConfig;
import org.vigie.node.testing.Keytool;
import org.vigie.node.testing.Polling;
import org.vigie.node.testing.TestPostgres;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.client.ClientCredentials;
import org.vigie.taxii.client.ObjectsQuery;
import org.vigie.taxii.client.TaxiiClient;
import org.vigie.taxii.client.TaxiiResources;
import tools.jackson.databind.JsonNode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of one node, each {@code vigie serve} in its own JVM, sharing one real PostgreSQL server (the
 * store and the exchange; the node's event log is the store's table, so no Kafka broker is involved), and a
 * partner node P in a third JVM, all with TLS (mutual for the exchange). Writers post through both replicas at
 * once and a TAXII client pages alternately through either: every object once, none lost. Then a stream of
 * envelopes queued for P is delivered; the replica holding P's delivery lease is killed with SIGKILL
 * mid-delivery; the other takes the lease over once it expires and completes the stream: P stores every object
 * exactly once, its receipts follow the envelopes' sequence, and the shared audit ledger verifies.
 *
 * <p>A second test runs the same three nodes inside the test's JVM to show that a release through one replica is
 * pushed at once by the replica that holds the partner's lease, woken through PostgreSQL.
 */
class ReplicaProcessTest
{
    private static final String PASSWORD = "changeit";
    private static final String WRITER = "writer";
    private static final String WRITER_PASSWORD = "correct horse battery staple";
    private static final String INBOUND = "exchange-inbound";
    private static final String SHARED = "7c7f3f0e-0d0b-4b5e-9a38-2f2b8e1d9a01";
    private static final String STREAM = "7c7f3f0e-0d0b-4b5e-9a38-2f2b8e1d9a02";
    private static final String GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration DELIVERY = Duration.ofSeconds(120);
    private static final int WRITERS_BATCHES = 8;
    private static final int BATCH_OBJECTS = 10;
    private static final int STREAM_ENVELOPES = 200;
    private static final Pattern INDICATOR_ID = Pattern.compile("\"id\"\\s*:\\s*\"(indicator--[0-9a-f-]{36})\"");

    @TempDir
    Path directory;

    private String classPath;
    private String databaseUrl;
    private final List<NodeProcess> started = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, NodeProcess> running = new TreeMap<>();

    record Result(int exitCode, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- out ---\n" + out + "\n--- err ---\n" + err;
        }
    }

    @AfterEach
    void stopEveryChild()
    {
        synchronized (started) {
            started.forEach(NodeProcess::close);
        }
    }

    @Test
    void twoReplicasOnOnePostgresqlServeConsistentlyAndTakeOverADeadReplicasDelivery()
            throws Exception
    {
        classPath = NodeProcess.snapshotClassPath(directory);
        // One envelope per request, one request at a time, rounds of 10: a partner that is behind would otherwise
        // receive the whole stream in a few pipelined requests, and there would be no delivery in progress to kill
        // the replica in.
        String exchangeSettings = String.join("\n",
                "exchange.delivery.envelopes-per-request=1",
                "exchange.delivery.requests-in-flight=1",
                "exchange.outbox.batch-size=10",
                "exchange.delivery.interval-milliseconds=100",
                "exchange.delivery.lease-milliseconds=5000",
                "exchange.outbox.retry-initial-milliseconds=100",
                "exchange.outbox.retry-max-milliseconds=500",
                "exchange.delivery.connect-timeout-milliseconds=1000",
                "exchange.delivery.request-timeout-milliseconds=3000");
        Map<String, Integer> ports = configure("replicas", exchangeSettings);

        // The node's identity is created once (by the first process on the database) and copied to the other replica.
        String nodeIdentity = identity("r1", directory.resolve("a.jwk"));
        Result withoutIdentity = cli("", "identity", "show", "--data-dir", dataDirectory("r2"));
        assertThat(withoutIdentity.exitCode()).as(withoutIdentity.toString()).isEqualTo(Main.INVALID_INPUT);
        assertThat(withoutIdentity.err()).contains("belongs to identity " + nodeIdentity, "has no exchange-identity.json", "copy that file");
        copyIdentity();
        assertThat(identity("r2", directory.resolve("a-copy.jwk"))).isEqualTo(nodeIdentity);
        // The policy is set through the other replica's data directory: it lives in the shared database.
        introduce(ports, nodeIdentity, "r2");
        assertThat(ok(cli("", "policy", "show", "--data-dir", dataDirectory("r1"))).out()).contains("\"green to p\"");
        ok(cli(WRITER_PASSWORD + "\n", "user", "add", "--data-dir", dataDirectory("r2"), WRITER, "--password-stdin", "--read", "*", "--write", "*"));
        List<String> stream = new ArrayList<>();
        List<String> streamJson = new ArrayList<>();
        for (int index = 0; index < STREAM_ENVELOPES; index++) {
            String id = "indicator--" + UUID.nameUUIDFromBytes(("stream-" + index).getBytes(StandardCharsets.UTF_8));
            stream.add(id);
            streamJson.add(indicator(id));
        }
        ok(cli("", "collection", "add", "--data-dir", dataDirectory("r1"), "--title", "stream", "--id", STREAM));
        Path bundle = directory.resolve("stream.json");
        Files.writeString(bundle, "{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":[" + String.join(",", streamJson) + "]}");
        ok(cli("", "import", "--data-dir", dataDirectory("r2"), "--collection", STREAM, bundle.toString()));

        start("r1");
        start("r2");

        // Concurrent writers, one through each replica; statuses read through the other replica.
        SSLContext trustingNode = trusting(directory.resolve("a.pem"));
        TaxiiClient first = client(ports.get("r1"), trustingNode);
        TaxiiClient second = client(ports.get("r2"), trustingNode);
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> throughFirst = CompletableFuture.runAsync(() -> write(first, second, "one", written));
        CompletableFuture<Void> throughSecond = CompletableFuture.runAsync(() -> write(second, first, "two", written));
        throughFirst.get(180, TimeUnit.SECONDS);
        throughSecond.get(180, TimeUnit.SECONDS);
        assertThat(written).hasSize(2 * WRITERS_BATCHES * BATCH_OBJECTS);

        // A client pages through either replica in turn, following each page's cursor on the other.
        List<String> paged = new ArrayList<>();
        Optional<String> next = Optional.empty();
        int pages = 0;
        do {
            TaxiiClient replica = pages % 2 == 0 ? first : second;
            ObjectsQuery query = ObjectsQuery.all().withLimit(7);
            TaxiiResources.Envelope page = replica.getObjects(SHARED, next.isPresent() ? query.withNext(next.get()) : query);
            page.objects().forEach(object -> paged.add(object.path("id").asString("")));
            next = page.next();
            pages++;
        }
        while (next.isPresent());
        assertThat(pages).isGreaterThan(10);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);

        // The stream is queued while P is down, so that both replicas have work waiting when P comes up.
        for (String id : stream) {
            ok(cli("", "release", "--data-dir", dataDirectory(id.hashCode() % 2 == 0 ? "r1" : "r2"), "--collection", STREAM, "--object", id, "--to", "p"));
        }
        // Watched from before P starts: P's start returns only once it answers, and by then the replicas, retrying
        // P all along, may have delivered much of the stream.
        CompletableFuture<String> delivering = CompletableFuture.supplyAsync(() -> {
            try {
                return awaitDeliveryInProgress();
            }
            catch (InterruptedException | SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        start("p");
        String victim = delivering.get(DELIVERY.toSeconds() + 10, TimeUnit.SECONDS);
        running.get(victim).kill();
        String survivor = victim.equals("r1") ? "r2" : "r1";
        System.out.println("killed " + victim + " holding p's delivery lease with " + stored() + " of " + STREAM_ENVELOPES + " envelopes stored");
        assertThat(stored()).as("the kill came before the stream was delivered").isLessThan(STREAM_ENVELOPES);

        await("the surviving replica delivers the rest of the stream", () -> stored() == STREAM_ENVELOPES);
        assertThat(leaseOwner()).isEqualTo(survivor);
        List<String> atPartner = indicators("p");
        for (String id : stream) {
            assertThat(Collections.frequency(atPartner, id)).as("copies of %s at p", id).isEqualTo(1);
        }
        Result receipts = ok(cli("", "audit", "query", "--data-dir", dataDirectory("p"), "--partner", "a", "--kind", "receipt"));
        List<Long> sequences = new ArrayList<>();
        for (String line : receipts.out().lines().toList()) {
            Matcher matcher = Pattern.compile("sequence (\\d+)").matcher(line.split("\t")[8]);
            assertThat(matcher.find()).as(line).isTrue();
            sequences.add(Long.parseLong(matcher.group(1)));
        }
        assertThat(sequences).as("receipts at p, in the order p stored them").hasSize(STREAM_ENVELOPES).isSorted().doesNotHaveDuplicates();
        assertThat(sequences.get(sequences.size() - 1)).isEqualTo(STREAM_ENVELOPES);

        // The survivor keeps serving, and the ledger both replicas appended to verifies.
        TaxiiClient surviving = survivor.equals("r1") ? first : second;
        assertThat(surviving.getObjects(SHARED, ObjectsQuery.all().withLimit(1)).objects()).hasSize(1);
        for (String name : List.of(survivor, "p")) {
            assertThat(running.get(name).terminate(Duration.ofSeconds(60))).as("%s stopped by SIGTERM", name).isIn(0, 130, 143);
        }
        assertThat(ok(cli("", "audit", "verify", "--data-dir", dataDirectory("r1"))).out()).contains("(schema vigie_exchange) verified");
        assertThat(ok(cli("", "audit", "verify", "--data-dir", dataDirectory("p"))).out()).contains("verified");
    }

    /**
     * Replica r1 holds P's delivery lease (for an hour), so r2 may not push to P; the delivery interval is an hour,
     * so no scheduled round comes within the test. An object released through r2's console reaches P only if
     * r2's commit wakes r1: r1's listener hears the commit's notification and r1 pushes at once. The live feed's
     * ledger poll is an hour too: the release reaches r1's console feed only because r2's ledger append notified
     * {@code vigie_exchange_ledger} at its commit and r1's listener woke r1's ledger tail.
     */
    @Test
    void aReleaseThroughOneReplicaIsPushedAtOnceByTheReplicaHoldingTheLease()
            throws Exception
    {
        String exchangeSettings = String.join("\n",
                "exchange.delivery.interval-milliseconds=3600000",
                "exchange.delivery.lease-milliseconds=3600000",
                "console.feed.ledger-poll-milliseconds=3600000");
        Map<String, Integer> ports = configure("wake", exchangeSettings);
        String nodeIdentity = identity("r1", directory.resolve("a.jwk"));
        copyIdentity();
        introduce(ports, nodeIdentity, "r1");
        String released = "indicator--" + UUID.randomUUID();
        Path bundle = directory.resolve("one.json");
        Files.writeString(bundle, "{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":[" + indicator(released) + "]}");
        ok(cli("", "import", "--data-dir", dataDirectory("r1"), "--collection", SHARED, bundle.toString()));

        try (VigieNode first = startInProcess("r1"); VigieNode second = startInProcess("r2"); VigieNode partner = startInProcess("p");
                ExchangeDatabase exchange = ExchangeDatabase.postgresql(new StoreConfig(databaseUrl, Optional.of("postgres"), Optional.empty(), 1))) {
            assertThat(DeliveryLeases.on(exchange, "r1", Duration.ofHours(1), InstantSource.system()).acquire("p")).as("r1 takes p's lease for an hour").isTrue();

            HttpClient http = HttpClient.newBuilder().sslContext(trusting(directory.resolve("a.pem"))).connectTimeout(Duration.ofSeconds(10)).build();
            String basic = "Basic " + Base64.getEncoder().encodeToString((first.initialization().administratorName() + ":"
                    + first.initialization().administratorPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(second.baseUri().resolve("console/api/login")).header("Authorization", basic)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String token = StixJson.parse(login.body()).get("token").stringValue();
            // r1's live feed is open (its first position sent) before the release.
            HttpResponse<java.util.stream.Stream<String>> feed = http.send(HttpRequest.newBuilder(first.baseUri().resolve("console/api/feed"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(feed.statusCode()).isEqualTo(200);
            java.util.Iterator<String> feedLines = feed.body().iterator();
            CompletableFuture<String> opened = CompletableFuture.supplyAsync(() -> {
                String line;
                do {
                    line = feedLines.next();
                }
                while (!line.startsWith("id: "));
                return line;
            });
            opened.get(Polling.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<String> releaseSeen = opened.thenApplyAsync(ignored -> {
                String line;
                do {
                    line = feedLines.next();
                }
                while (!(line.startsWith("data: ") && line.contains("\"released\"") && line.contains(released)));
                return line;
            });
            HttpResponse<String> release = http.send(HttpRequest.newBuilder(second.baseUri().resolve("console/api/sharing/release"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[\"" + released + "\"],\"partners\":[\"p\"]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(release.statusCode()).as(release.body()).isEqualTo(200);
            assertThat(release.body()).contains("\"queued\":true");
            // Nothing but the notification could bring it within the deadline: r1's ledger poll is an hour.
            assertThat(releaseSeen.get(Polling.DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("r1's feed shows the release made through r2")
                    .contains("\"direction\":\"released\"").contains("\"partner_id\":\"");
            feed.body().close();

            await("p stores the object released through r2", () -> stored() == 1);
            assertThat(leaseOwner()).as("the replica that pushed").isEqualTo("r1");
            assertThat(partner.store().findObjects(INBOUND, ObjectQuery.all(1).withIds(List.of(released))).objects()).hasSize(1);
        }
    }

    /** A database, ports, certificates and the properties of r1, r2 (on the database) and p (on SQLite); the ports by node. */
    private Map<String, Integer> configure(String database, String exchangeSettings)
            throws Exception
    {
        databaseUrl = TestPostgres.newDatabase(database);
        Map<String, Integer> ports = new TreeMap<>();
        for (String name : List.of("r1", "r2", "p")) {
            ports.put(name, NodeProcess.freePort());
        }
        createCertificates();
        for (String replica : List.of("r1", "r2")) {
            // Both replicas present the node's one certificate, as they would behind a load balancer.
            writeProperties(replica, ports.get(replica), "a", "want", String.join("\n",
                    "store.url=" + databaseUrl,
                    "store.user=postgres",
                    "exchange.replica-name=" + replica,
                    exchangeSettings));
        }
        writeProperties("p", ports.get("p"), "p", "need", exchangeSettings);
        return ports;
    }

    /** Gives r2 the node's identity, created by the first process on the database (r1's). */
    private void copyIdentity()
            throws IOException
    {
        Path identityCopy = Path.of(dataDirectory("r2"), "exchange-identity.json");
        Files.createFile(identityCopy, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(identityCopy, Files.readAllBytes(Path.of(dataDirectory("r1"), "exchange-identity.json")));
    }

    /** The node and p register each other; the policy (set through {@code policyReplica}) lets p have green objects; collection SHARED is made. */
    private void introduce(Map<String, Integer> ports, String nodeIdentity, String policyReplica)
            throws IOException
    {
        String partnerIdentity = identity("p", directory.resolve("p.jwk"));
        ok(cli("", "partner", "add", "--data-dir", dataDirectory("r1"), "--name", "p", "--identity", partnerIdentity, "--endpoint", "https://127.0.0.1:" + ports.get("p") + "/",
                "--certificate", directory.resolve("p.pem").toString(), "--signing-key", directory.resolve("p.jwk").toString()));
        ok(cli("", "partner", "add", "--data-dir", dataDirectory("p"), "--name", "a", "--identity", nodeIdentity, "--endpoint", "https://127.0.0.1:" + ports.get("r1") + "/",
                "--certificate", directory.resolve("a.pem").toString(), "--signing-key", directory.resolve("a.jwk").toString()));
        Path policy = directory.resolve("policy.json");
        Files.writeString(policy, "{\"name\": \"green to p\", \"rules\": [{\"name\": \"green\", \"effect\": \"allow\", \"partners\": [\"p\"], \"max_tlp\": \"green\"}]}");
        ok(cli("", "policy", "set", "--data-dir", dataDirectory(policyReplica), policy.toString()));
        ok(cli("", "collection", "add", "--data-dir", dataDirectory("r1"), "--title", "shared", "--id", SHARED));
    }

    private VigieNode startInProcess(String name)
    {
        return VigieNode.start(NodeConfig.load(Path.of(dataDirectory(name)), Map.of()), InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000));
    }

    private void write(TaxiiClient through, TaxiiClient other, String writer, List<String> written)
    {
        for (int batch = 0; batch < WRITERS_BATCHES; batch++) {
            List<String> objects = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int index = 0; index < BATCH_OBJECTS; index++) {
                String id = "indicator--" + UUID.nameUUIDFromBytes((writer + "-" + batch + "-" + index).getBytes(StandardCharsets.UTF_8));
                ids.add(id);
                objects.add(indicator(id));
            }
            TaxiiResources.Status status = through.addObjects(SHARED, objects);
            TaxiiResources.Status seenElsewhere = other.status(status.id());
            assertThat(seenElsewhere.successCount()).as("status %s through the other replica", status.id()).isEqualTo(BATCH_OBJECTS);
            written.addAll(ids);
        }
    }

    /** Polls the shared lease table until a replica holds P's unexpired lease while envelopes are still undelivered; returns its name. */
    private String awaitDeliveryInProgress()
            throws InterruptedException, SQLException
    {
        // One connection and one query per poll: delivery of the whole stream takes about a second, and a slower
        // poll could miss it.
        try (Connection connection = DriverManager.getConnection(databaseUrl + "&currentSchema=vigie_exchange");
                PreparedStatement statement = connection.prepareStatement("SELECT (SELECT COUNT(*) FROM vigie_exchange_outbox WHERE partner_id = 'p' AND state = 'STORED'), "
                        + "(SELECT owner FROM vigie_exchange_delivery_lease WHERE partner_id = 'p' AND expires_at > ?)")) {
            long deadline = System.nanoTime() + DELIVERY.toNanos();
            while (System.nanoTime() < deadline) {
                statement.setLong(1, System.currentTimeMillis() + 300);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    int stored = rows.getInt(1);
                    String owner = rows.getString(2);
                    if (stored >= STREAM_ENVELOPES) {
                        throw new AssertionError("the whole stream was delivered before a replica could be caught delivering it");
                    }
                    if (stored >= 1 && owner != null) {
                        return owner;
                    }
                }
                // Polling another process's state; nothing here waits for work to finish.
                TimeUnit.MILLISECONDS.sleep(2);
            }
        }
        throw new AssertionError("no replica was seen delivering to p within " + DELIVERY + "; logs: " + logs());
    }

    private String leaseOwner()
    {
        return query("SELECT owner FROM vigie_exchange_delivery_lease WHERE partner_id = 'p'").orElseThrow();
    }

    private int stored()
    {
        return Integer.parseInt(query("SELECT COUNT(*) FROM vigie_exchange_outbox WHERE partner_id = 'p' AND state = 'STORED'").orElseThrow());
    }

    private Optional<String> query(String sql)
    {
        try (Connection connection = DriverManager.getConnection(databaseUrl + "&currentSchema=vigie_exchange");
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        }
        catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private void await(String what, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DELIVERY + ": " + what + "; logs: " + logs());
            }
            // Polling another process's state; nothing here waits for work to finish.
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private String logs()
    {
        StringBuilder logs = new StringBuilder();
        running.forEach((name, process) -> logs.append("\n--- ").append(name).append(" ---\n").append(process.errors()));
        return logs.toString();
    }

    private List<String> indicators(String node)
    {
        Result export = ok(cli("", "export", "--data-dir", dataDirectory(node), "--collection", INBOUND, "--all-versions"));
        List<String> ids = new ArrayList<>();
        Matcher matcher = INDICATOR_ID.matcher(export.out());
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private void start(String name)
            throws InterruptedException
    {
        NodeProcess process = NodeProcess.serve(name, classPath, Path.of(dataDirectory(name)), directory.resolve(name + ".log"), START);
        started.add(process);
        running.put(name, process);
    }

    private String dataDirectory(String name)
    {
        return directory.resolve(name + "-data").toString();
    }

    private String identity(String name, Path publicKeyFile)
            throws IOException
    {
        List<String> lines = ok(cli("", "identity", "show", "--data-dir", dataDirectory(name))).out().lines().toList();
        Files.writeString(publicKeyFile, lines.get(1).substring("signing key: ".length()));
        return lines.get(0).substring("identity: ".length());
    }

    private void createCertificates()
            throws Exception
    {
        for (String name : List.of("a", "p")) {
            Path keystore = directory.resolve(name + ".p12");
            Keytool.run("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=node-" + name + ",O=Vigie test",
                    "-ext", "SAN=ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            Keytool.run("-exportcert", "-rfc", "-alias", name, "-keystore", keystore.toString(), "-storepass", PASSWORD, "-file", directory.resolve(name + ".pem").toString());
        }
        Keytool.run("-importcert", "-noprompt", "-alias", "p", "-file", directory.resolve("p.pem").toString(), "-storetype", "PKCS12",
                "-keystore", directory.resolve("a-trust.p12").toString(), "-storepass", PASSWORD);
        Keytool.run("-importcert", "-noprompt", "-alias", "a", "-file", directory.resolve("a.pem").toString(), "-storetype", "PKCS12",
                "-keystore", directory.resolve("p-trust.p12").toString(), "-storepass", PASSWORD);
    }

    private void writeProperties(String name, int port, String certificate, String clientAuthentication, String more)
            throws IOException
    {
        Path data = Path.of(dataDirectory(name));
        Files.createDirectories(data);
        Files.writeString(data.resolve("vigie.properties"), String.join("\n",
                "http.port=" + port,
                "http.tls.keystore=" + directory.resolve(certificate + ".p12"),
                "http.tls.keystore-password=" + PASSWORD,
                "http.tls.truststore=" + directory.resolve(certificate + "-trust.p12"),
                "http.tls.truststore-password=" + PASSWORD,
                "http.tls.client-auth=" + clientAuthentication,
                more,
                ""));
    }

    private static SSLContext trusting(Path certificate)
            throws Exception
    {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("node", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static TaxiiClient client(int port, SSLContext sslContext)
    {
        return TaxiiClient.builder(URI.create("https://127.0.0.1:" + port + "/"))
                .apiRoot("vigie")
                .credentials(ClientCredentials.basic(WRITER, WRITER_PASSWORD))
                .sslContext(sslContext)
                .build();
    }

    private static String indicator(String id)
    {
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[domain-name:value = '" + id.substring(11, 19) + ".example']\",\"pattern_type\":\"stix\","
                + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[\"" + GREEN + "\"]}";
    }

    private static Result ok(Result result)
    {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    private static Result cli(String standardInput, String... arguments)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new ByteArrayInputStream(standardInput.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InstantSource.system(), false, NodeStores::open, PasswordHasher.withIterations(1_000));
        int exitCode = Main.execute(context, arguments);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
