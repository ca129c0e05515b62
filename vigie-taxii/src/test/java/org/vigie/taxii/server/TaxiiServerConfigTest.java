package org.vigie.taxii.server;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import javax.security.auth.x500.X500Principal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaxiiServerConfigTest
{
    @Test
    void defaults()
    {
        TaxiiServerConfig config = TaxiiServerConfig.fromProperties(Map.of());
        assertThat(config.bind()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(6543);
        assertThat(config.tls()).isEmpty();
        assertThat(config.authenticationCacheTime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.title()).isEqualTo("Vigie TAXII server");
        assertThat(config.description()).isEmpty();
        assertThat(config.apiRoot()).isEqualTo("vigie");
        assertThat(config.maxContentLength()).isEqualTo(100L * 1024 * 1024);
        assertThat(config.pageSizeDefault()).isEqualTo(100);
        assertThat(config.pageSizeMax()).isEqualTo(1000);
        assertThat(TaxiiServerConfig.defaults()).isEqualTo(config);
    }

    @Test
    void fullMapping()
    {
        Map<String, String> properties = Map.ofEntries(
                Map.entry("http.bind", "0.0.0.0"),
                Map.entry("http.port", "0"),
                Map.entry("http.tls.keystore", "/etc/vigie/server.p12"),
                Map.entry("http.tls.keystore-password", "keystore secret"),
                Map.entry("http.tls.truststore", "/etc/vigie/clients.p12"),
                Map.entry("http.tls.truststore-password", "truststore secret"),
                Map.entry("http.tls.client-auth", "need"),
                Map.entry("http.tls.subject-users.alice", "CN=Alice, O=Example"),
                Map.entry("http.tls.subject-users.bob", "cn=bob,o=Example"),
                Map.entry("http.auth.cache-seconds", "5"),
                Map.entry("taxii.title", "Partner exchange"),
                Map.entry("taxii.description", "CERT partner feed"),
                Map.entry("taxii.api-root", "exchange"),
                Map.entry("taxii.max-content-length", "1048576"),
                Map.entry("taxii.page-size-default", "50"),
                Map.entry("taxii.page-size-max", "500"));
        TaxiiServerConfig config = TaxiiServerConfig.fromProperties(properties);
        assertThat(config.bind()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isZero();
        TaxiiServerConfig.Tls tls = config.tls().orElseThrow();
        assertThat(tls.keystore()).isEqualTo(Path.of("/etc/vigie/server.p12"));
        assertThat(tls.keystorePassword()).isEqualTo("keystore secret");
        assertThat(tls.truststore()).contains(Path.of("/etc/vigie/clients.p12"));
        assertThat(tls.truststorePassword()).contains("truststore secret");
        assertThat(tls.clientAuthentication()).isEqualTo(TaxiiServerConfig.ClientAuthentication.NEED);
        // Subjects compare canonically: case and spacing of the configured DN do not matter.
        assertThat(tls.userForSubject(new X500Principal("CN=alice,O=example"))).contains("alice");
        assertThat(tls.userForSubject(new X500Principal("CN=Bob, O=Example"))).contains("bob");
        assertThat(tls.userForSubject(new X500Principal("CN=carol"))).isEmpty();
        assertThat(tls.toString()).doesNotContain("secret");
        assertThat(config.authenticationCacheTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.title()).isEqualTo("Partner exchange");
        assertThat(config.description()).isEqualTo(Optional.of("CERT partner feed"));
        assertThat(config.apiRoot()).isEqualTo("exchange");
        assertThat(config.maxContentLength()).isEqualTo(1048576);
        assertThat(config.pageSizeDefault()).isEqualTo(50);
        assertThat(config.pageSizeMax()).isEqualTo(500);
    }

    @Test
    void everyErrorNamesTheKey()
    {
        assertInvalid(Map.of("http.port", "http"), "http.port");
        assertInvalid(Map.of("http.port", "70000"), "http.port");
        assertInvalid(Map.of("http.bind", " "), "http.bind");
        assertInvalid(Map.of("taxii.api-root", "a/b"), "taxii.api-root");
        assertInvalid(Map.of("taxii.max-content-length", "0"), "taxii.max-content-length");
        assertInvalid(Map.of("taxii.page-size-max", "0"), "taxii.page-size-max");
        assertInvalid(Map.of("taxii.page-size-default", "2000"), "taxii.page-size-default");
        assertInvalid(Map.of("taxii.page-size", "10"), "taxii.page-size");
        assertInvalid(Map.of("http.tls.keystore", "/k.p12"), "http.tls.keystore-password");
        assertInvalid(Map.of("http.tls.keystore", "/k.p12", "http.tls.keystore-password", "x", "http.tls.client-auth", "need"), "http.tls.truststore");
        assertInvalid(Map.of("http.tls.keystore", "/k.p12", "http.tls.keystore-password", "x", "http.tls.client-auth", "always"), "http.tls.client-auth");
        assertInvalid(Map.of("http.tls.client-auth", "need"), "http.tls.client-auth");
        assertInvalid(Map.of("http.tls.keystore", "/k.p12", "http.tls.keystore-password", "x", "http.tls.subject-users.alice", "not a dn"), "http.tls.subject-users.alice");
        assertInvalid(Map.of("http.tls.keystore", "/k.p12", "http.tls.keystore-password", "x", "http.tls.subject-users.alice", "CN=a", "http.tls.subject-users.bob", "cn=A"), "http.tls.subject-users.bob");
        assertInvalid(Map.of("http.auth.cache-seconds", "-1"), "http.auth.cache-seconds");
    }

    private static void assertInvalid(Map<String, String> properties, String key)
    {
        assertThatThrownBy(() -> TaxiiServerConfig.fromProperties(properties))
                .as(properties.toString())
                .isInstanceOfSatisfying(VigieException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).contains("'" + key + "'");
                });
    }
}
