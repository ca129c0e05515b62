package org.vigie.node.exchange;

import org.vigie.node.cli.CommandContext;
import org.vigie.node.cli.Main;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.node.testing.Keytool;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectQuery;
import org.vigie.taxii.auth.PasswordHasher;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test nodes that exchange over real mutual TLS: each with its own data directory, EC key and certificate
 * made by {@code keytool}, a truststore holding the other's certificate, and partners registered through
 * the command line, as an operator does.
 */
final class TwoNodes
{
    static final String PASSWORD = "changeit";

    record Node(String name, Path data, Path keystore, Path certificate, Path truststore, int port) {}

    /** A node's identity id and the file holding its public signing key. */
    record Identity(String identityId, Path signingKey) {}

    private TwoNodes() {}

    /** A node's key, certificate and properties (TLS with client certificates requested, quick delivery rounds), plus {@code extra} properties. */
    static Node node(Path directory, String name, String... extra)
            throws Exception
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Node node = new Node(name, directory.resolve(name + "-data"), directory.resolve(name + ".p12"), directory.resolve(name + ".pem"),
                directory.resolve(name + "-trust.p12"), port);
        Keytool.run("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=node-" + name + ",O=Vigie test",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore", node.keystore().toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        Keytool.run("-exportcert", "-rfc", "-alias", name, "-keystore", node.keystore().toString(), "-storepass", PASSWORD, "-file", node.certificate().toString());
        Files.createDirectories(node.data());
        // Client certificates requested, not required: the exchange inbox checks them, browsers and administrators have none.
        List<String> properties = new ArrayList<>(List.of(
                "http.port=" + port,
                "http.tls.keystore=" + node.keystore(),
                "http.tls.keystore-password=" + PASSWORD,
                "http.tls.truststore=" + node.truststore(),
                "http.tls.truststore-password=" + PASSWORD,
                "http.tls.client-auth=want",
                "exchange.delivery.interval-milliseconds=100",
                "exchange.outbox.retry-initial-milliseconds=100",
                "exchange.outbox.retry-max-milliseconds=1000"));
        properties.addAll(List.of(extra));
        properties.add("");
        Files.writeString(node.data().resolve(NodeConfig.PROPERTIES_FILE), String.join("\n", properties));
        return node;
    }

    /** Puts {@code other}'s certificate in {@code node}'s truststore. */
    static void trust(Node node, Node other)
            throws Exception
    {
        Keytool.run("-importcert", "-noprompt", "-alias", other.name(), "-file", other.certificate().toString(), "-storetype", "PKCS12",
                "-keystore", node.truststore().toString(), "-storepass", PASSWORD);
    }

    static Identity identity(Path directory, Node node)
    {
        List<String> lines = cli("identity", "show", "--data-dir", node.data().toString()).lines().toList();
        Path key = directory.resolve(node.name() + ".jwk");
        try {
            Files.writeString(key, lines.get(1).substring("signing key: ".length()));
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Identity(lines.get(0).substring("identity: ".length()), key);
    }

    /** Registers {@code other} as a partner of {@code node} with {@code vigie partner add}. */
    static void partner(Node node, Node other, Identity identity)
    {
        cli("partner", "add", "--data-dir", node.data().toString(), "--name", other.name(), "--identity", identity.identityId(),
                "--endpoint", "https://127.0.0.1:" + other.port() + "/", "--certificate", other.certificate().toString(),
                "--signing-key", identity.signingKey().toString(), "--title", "node " + other.name());
    }

    static void policy(Path directory, Node node, String json)
            throws Exception
    {
        Path policy = directory.resolve(node.name() + "-policy.json");
        Files.writeString(policy, json);
        cli("policy", "set", "--data-dir", node.data().toString(), policy.toString());
    }

    static VigieNode start(Node node)
    {
        return VigieNode.start(NodeConfig.load(node.data(), Map.of()), InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000));
    }

    /** An HTTPS client that trusts the certificates of {@code node}'s truststore (the other nodes'). */
    static HttpClient client(Node node)
            throws Exception
    {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream input = Files.newInputStream(node.truststore())) {
            store.load(input, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Signs in to a node's console API and returns the bearer token. */
    static String login(HttpClient http, VigieNode node, String user, String password)
            throws Exception
    {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.baseUri().resolve("console/api/login"))
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StixJson.parse(response.body()).get("token").stringValue();
    }

    /** Runs a {@code vigie} command in-process; it must succeed. Returns its standard output. */
    static String cli(String... arguments)
    {
        return cliWithInput("", arguments);
    }

    /** As {@link #cli}, with this standard input. */
    static String cliWithInput(String input, String... arguments)
    {
        Result result = run(input, arguments);
        assertThat(result.exitCode()).as(String.join(" ", arguments) + "\n" + result.out() + result.err()).isZero();
        return result.out();
    }

    record Result(int exitCode, String out, String err) {}

    /** Runs a {@code vigie} command in-process, whatever its exit code. */
    static Result run(String input, String... arguments)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InstantSource.system(), false, NodeStores::open, PasswordHasher.withIterations(1_000));
        int exitCode = Main.execute(context, arguments);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Waits (polling, up to 60 s) until the object is in the node's collection. */
    static void awaitStored(VigieNode node, String collection, String objectId)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (node.store().findCollection(collection).isPresent()
                    && !node.store().findObjects(collection, ObjectQuery.all(1).withIds(List.of(objectId))).objects().isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(objectId + " did not reach collection " + collection + " within 60 s");
    }
}
