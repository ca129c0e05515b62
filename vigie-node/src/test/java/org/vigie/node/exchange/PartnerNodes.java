package org.vigie.node.exchange;

import org.vigie.node.cli.CommandContext;
import org.vigie.node.cli.Main;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.node.testing.Keytool;
import org.vigie.taxii.auth.PasswordHasher;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real nodes that exchange with each other, for tests of the node's wiring: each with its own data
 * directory, TLS key and certificate made by keytool, client certificates requested, quick delivery
 * rounds; partners registered through the command line.
 */
final class PartnerNodes
{
    static final String PASSWORD = "changeit";

    record Node(String name, Path data, Path keystore, Path certificate, Path truststore, int port) {}

    private PartnerNodes() {}

    static Node node(Path directory, String name)
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
        // Client certificates requested, not required: the exchange inbox checks them, the console's browser has none.
        Files.writeString(node.data().resolve(NodeConfig.PROPERTIES_FILE), String.join("\n",
                "http.port=" + port,
                "http.tls.keystore=" + node.keystore(),
                "http.tls.keystore-password=" + PASSWORD,
                "http.tls.truststore=" + node.truststore(),
                "http.tls.truststore-password=" + PASSWORD,
                "http.tls.client-auth=want",
                "exchange.delivery.interval-milliseconds=100",
                "exchange.outbox.retry-initial-milliseconds=100",
                "exchange.outbox.retry-max-milliseconds=1000",
                ""));
        return node;
    }

    /** Puts {@code other}'s certificate in {@code node}'s truststore. */
    static void certificates(Node node, Node other)
            throws Exception
    {
        Keytool.run("-importcert", "-noprompt", "-alias", other.name(), "-file", other.certificate().toString(), "-storetype", "PKCS12",
                "-keystore", node.truststore().toString(), "-storepass", PASSWORD);
    }

    /** The node's identity id and the file holding its public signing key. */
    static String[] identity(Path directory, Node node)
            throws Exception
    {
        List<String> lines = cli("identity", "show", "--data-dir", node.data().toString()).lines().toList();
        Path key = directory.resolve(node.name() + ".jwk");
        Files.writeString(key, lines.get(1).substring("signing key: ".length()));
        return new String[] {lines.get(0).substring("identity: ".length()), key.toString()};
    }

    static void partner(Node node, Node other, String[] identity)
    {
        cli("partner", "add", "--data-dir", node.data().toString(), "--name", other.name(), "--identity", identity[0],
                "--endpoint", "https://127.0.0.1:" + other.port() + "/", "--certificate", other.certificate().toString(),
                "--signing-key", identity[1], "--title", "node " + other.name());
    }

    static VigieNode start(Node node)
    {
        return VigieNode.start(NodeConfig.load(node.data(), Map.of()), InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000));
    }

    static SSLContext trusting(Path truststore)
            throws Exception
    {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream input = Files.newInputStream(truststore)) {
            store.load(input, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    static String cli(String... arguments)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InstantSource.system(), false, NodeStores::open, PasswordHasher.withIterations(1_000));
        int exitCode = Main.execute(context, arguments);
        assertThat(exitCode).as(String.join(" ", arguments) + "\n" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
