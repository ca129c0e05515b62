package org.vigie.taxii.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.client.ClientCredentials;
import org.vigie.taxii.client.RetryPolicy;
import org.vigie.taxii.client.TaxiiClient;
import org.vigie.taxii.client.TaxiiResources;
import org.vigie.taxii.testing.MutableClock;
import org.vigie.taxii.testing.TestNode;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigie.taxii.testing.TestNode.SHARED;

/**
 * HTTPS with required client certificates, using real certificates made by the JDK's keytool: a mapped
 * certificate subject authenticates as its user, an unmapped one is unauthenticated, and a client without
 * a certificate cannot connect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualTlsTest
{
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path directory;

    private TestNode node;

    @BeforeAll
    void startServer()
            throws Exception
    {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", path("server.p12"), "-storepass", PASSWORD, "-keypass", PASSWORD);
        for (String user : List.of("alice", "mallory")) {
            keytool("-genkeypair", "-alias", user, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + user + ",O=Example",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", path(user + ".p12"), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-alias", user, "-keystore", path(user + ".p12"), "-storepass", PASSWORD, "-file", path(user + ".cer"));
            keytool("-importcert", "-noprompt", "-alias", user, "-file", path(user + ".cer"), "-keystore", path("server-trust.p12"), "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        keytool("-exportcert", "-alias", "server", "-keystore", path("server.p12"), "-storepass", PASSWORD, "-file", path("server.cer"));
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", path("server.cer"), "-keystore", path("client-trust.p12"), "-storetype", "PKCS12", "-storepass", PASSWORD);

        TaxiiServerConfig config = TaxiiServerConfig.fromProperties(Map.of(
                "http.port", "0",
                "http.tls.keystore", path("server.p12"),
                "http.tls.keystore-password", PASSWORD,
                "http.tls.truststore", path("server-trust.p12"),
                "http.tls.truststore-password", PASSWORD,
                "http.tls.client-auth", "need",
                "http.tls.subject-users.alice", "CN=alice,O=Example"));
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        node = new TestNode(ObjectStores.inMemory(clock), clock, config, List.of());
        node.users().createUser("alice", "unused password", List.of(SHARED), List.of(), false);
    }

    @AfterAll
    void stopServer()
    {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void serverSpeaksHttpsOnly()
    {
        assertThat(node.server().baseUri().getScheme()).isEqualTo("https");
    }

    @Test
    void mappedCertificateSubjectAuthenticatesAsItsUser()
            throws Exception
    {
        TaxiiClient client = client(sslContext("alice"), ClientCredentials.none());
        List<TaxiiResources.Collection> collections = client.collections();
        assertThat(collections).extracting(TaxiiResources.Collection::id).containsExactly(SHARED);
        assertThat(collections.get(0).canWrite()).isFalse();
    }

    @Test
    void explicitCredentialsWinOverTheCertificate()
            throws Exception
    {
        TaxiiClient client = client(sslContext("alice"), ClientCredentials.basic("admin", TestNode.PASSWORD));
        assertThat(client.collections()).hasSize(2);
    }

    @Test
    void unmappedCertificateSubjectIsUnauthenticated()
            throws Exception
    {
        TaxiiClient client = client(sslContext("mallory"), ClientCredentials.none());
        assertThatThrownBy(client::collections)
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_REQUIRED));
    }

    @Test
    void clientWithoutCertificateCannotConnect()
            throws Exception
    {
        TaxiiClient client = client(sslContext(null), ClientCredentials.basic("admin", TestNode.PASSWORD));
        assertThatThrownBy(client::collections)
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TAXII_CLIENT_FAILURE));
    }

    @Test
    void wantedClientCertificatesAreOptional()
            throws Exception
    {
        TaxiiServerConfig config = TaxiiServerConfig.fromProperties(Map.of(
                "http.port", "0",
                "http.tls.keystore", path("server.p12"),
                "http.tls.keystore-password", PASSWORD,
                "http.tls.truststore", path("server-trust.p12"),
                "http.tls.truststore-password", PASSWORD,
                "http.tls.client-auth", "want",
                "http.tls.subject-users.alice", "CN=alice,O=Example"));
        try (TaxiiServer wanting = TaxiiServer.start(config, node.store(), node.clock(), TestNode.FAST_HASHER, List.of())) {
            TaxiiClient withoutCertificate = TaxiiClient.builder(wanting.baseUri()).sslContext(sslContext(null))
                    .credentials(ClientCredentials.basic("reader", TestNode.PASSWORD)).retryPolicy(RetryPolicy.none()).build();
            assertThat(withoutCertificate.collections()).extracting(TaxiiResources.Collection::id).containsExactly(SHARED);
            TaxiiClient withCertificate = TaxiiClient.builder(wanting.baseUri()).sslContext(sslContext("alice")).retryPolicy(RetryPolicy.none()).build();
            assertThat(withCertificate.collections()).extracting(TaxiiResources.Collection::canRead).containsExactly(true);
            TaxiiClient anonymous = TaxiiClient.builder(wanting.baseUri()).sslContext(sslContext(null)).retryPolicy(RetryPolicy.none()).build();
            assertThatThrownBy(anonymous::collections)
                    .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_REQUIRED));
        }
    }

    private TaxiiClient client(SSLContext sslContext, ClientCredentials credentials)
    {
        return TaxiiClient.builder(node.server().baseUri()).sslContext(sslContext).credentials(credentials).retryPolicy(RetryPolicy.none()).build();
    }

    private SSLContext sslContext(String clientKey)
            throws Exception
    {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("client-trust.p12"));
        SSLContext context = SSLContext.getInstance("TLS");
        if (clientKey == null) {
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(clientKey + ".p12"), PASSWORD.toCharArray());
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private KeyStore load(String name)
            throws Exception
    {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(directory.resolve(name))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private String path(String name)
    {
        return directory.resolve(name).toString();
    }

    private static void keytool(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
