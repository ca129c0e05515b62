package org.vigie.exchange.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Real TLS material made with the JDK's keytool: per name a PKCS12 keystore {@code name.p12} with a
 * self-signed EC certificate for 127.0.0.1, and a truststore
 * {@code name-trust.p12} holding the certificates of all the other names.
 */
public final class TestCertificates
{
    public static final String PASSWORD = "changeit";

    private final Path directory;

    private TestCertificates(Path directory)
    {
        this.directory = directory;
    }

    public static TestCertificates create(Path directory, List<String> names)
            throws IOException, InterruptedException
    {
        // Keys and certificates come from keytool; the truststores are assembled here, which saves a keytool run per pair.
        for (String name : names) {
            keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name + ",O=Vigie test",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", directory.resolve(name + ".p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        }
        try {
            for (String name : names) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                for (String other : names) {
                    if (!other.equals(name)) {
                        trust.setCertificateEntry(other, load(directory.resolve(other + ".p12")).getCertificate(other));
                    }
                }
                try (java.io.OutputStream output = Files.newOutputStream(directory.resolve(name + "-trust.p12"))) {
                    trust.store(output, PASSWORD.toCharArray());
                }
            }
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot assemble the truststores", e);
        }
        return new TestCertificates(directory);
    }

    /** Certificates made earlier in this directory (by another process). */
    public static TestCertificates existing(Path directory)
    {
        return new TestCertificates(directory);
    }

    public Path keystore(String name)
    {
        return directory.resolve(name + ".p12");
    }

    public Path truststore(String name)
    {
        return directory.resolve(name + "-trust.p12");
    }

    public X509Certificate certificate(String name)
    {
        try {
            return (X509Certificate) load(keystore(name)).getCertificate(name);
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot read the certificate of " + name, e);
        }
    }

    public String fingerprint(String name)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate(name).getEncoded()));
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot fingerprint the certificate of " + name, e);
        }
    }

    /** A client context presenting {@code clientName}'s key and trusting what {@code clientName}'s truststore holds. */
    public SSLContext clientContext(String clientName)
    {
        try {
            KeyStore keys = load(keystore(clientName));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(truststore(clientName)));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot build a TLS client context for " + clientName, e);
        }
    }

    private static KeyStore load(Path path)
            throws Exception
    {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream input = Files.newInputStream(path)) {
            store.load(input, PASSWORD.toCharArray());
        }
        return store;
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
