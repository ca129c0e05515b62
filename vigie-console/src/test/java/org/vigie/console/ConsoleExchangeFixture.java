package org.vigie.console;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.partner.TrustGroupKind;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Partners for console tests, as vigie-exchange's own tests make them: real Ed25519 signing keys and
 * the SHA-256 pins of real self-signed certificates made once per JVM by the JDK's keytool.
 */
final class ConsoleExchangeFixture
{
    static final String LOCAL_IDENTITY = "identity--2f6c3a9e-7d41-4b8e-9c0a-1e5d3f7b9a21";
    static final String BRAVO = "cert-bravo";
    static final String CHARLIE = "cert-charlie";
    static final String BRAVO_IDENTITY = "identity--6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a51";
    static final String CHARLIE_IDENTITY = "identity--7b2a1d3f-4c5e-4f60-9bac-1d2e3f4a5b62";
    static final String FORUM = "eu-forum";
    /** Green goes to the forum's members; anything else is withheld by default. */
    static final String POLICY = "{\"name\":\"console-test\",\"rules\":[{\"name\":\"forum gets green\",\"effect\":\"allow\",\"groups\":[\"" + FORUM + "\"],\"max_tlp\":\"green\"}]}";
    private static final String PASSWORD = "changeit";
    private static final Map<String, String> FINGERPRINTS = new ConcurrentHashMap<>();

    private ConsoleExchangeFixture() {}

    static void registerPartners(PartnerRegistry registry)
    {
        registry.putPartner(new Partner(BRAVO, "CERT Bravo", BRAVO_IDENTITY, URI.create("https://127.0.0.1:1/taxii2/"), fingerprint(BRAVO), newKey(BRAVO).toPublicJWK()));
        registry.putPartner(new Partner(CHARLIE, "CERT Charlie", CHARLIE_IDENTITY, URI.create("https://127.0.0.1:1/taxii2/"), fingerprint(CHARLIE), newKey(CHARLIE).toPublicJWK()));
        registry.putGroup(new TrustGroup(FORUM, "EU forum", TrustGroupKind.MULTILATERAL, List.of(BRAVO, CHARLIE)));
    }

    static OctetKeyPair newKey(String keyId)
    {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyID(keyId).generate();
        }
        catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an Ed25519 key", e);
        }
    }

    /** The SHA-256 of a self-signed EC certificate for this partner, made by keytool. */
    static String fingerprint(String name)
    {
        return FINGERPRINTS.computeIfAbsent(name, ConsoleExchangeFixture::makeCertificate);
    }

    private static String makeCertificate(String name)
    {
        try {
            Path directory = Files.createTempDirectory("vigie-console-certificate");
            Path keystore = directory.resolve(name + ".p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + name + ",O=Vigie test", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed for " + name + ": " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream input = Files.newInputStream(keystore)) {
                store.load(input, PASSWORD.toCharArray());
            }
            byte[] encoded = store.getCertificate(name).getEncoded();
            Files.delete(keystore);
            Files.delete(directory);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
        }
        catch (IOException | InterruptedException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate for " + name, e);
        }
    }
}
