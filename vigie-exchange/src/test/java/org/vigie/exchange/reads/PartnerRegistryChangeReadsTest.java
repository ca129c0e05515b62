package org.vigie.exchange.reads;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partner reading TAXII by its certificate is recognised from the registry kept in memory between
 * requests; a change made by another process on the same exchange database (the CLI beside the running
 * node) applies to the partner's next request: a partner re-pinned to a new certificate is refused with the
 * old one and let in with the new one, a removed partner is refused.
 */
class PartnerRegistryChangeReadsTest
{
    private static final String SHARED = "shared";

    @TempDir
    static Path certificateDirectory;
    private static TestCertificates certificates;

    @TempDir
    Path directory;

    private ReadsFixture node;

    @BeforeAll
    static void makeCertificates()
            throws Exception
    {
        certificates = TestCertificates.create(certificateDirectory, List.of("node", "b", "b-renewed"));
    }

    @BeforeEach
    void start()
    {
        node = new ReadsFixture(directory, ReadsFixture.mutualTls(certificates, "node"), Map.of());
        node.registry.putPartner(partnerB(certificates.fingerprint("b")));
        node.policy.set(ReleasePolicy.fromJson("{\"name\":\"test\",\"rules\":[{\"name\":\"b reads shared\",\"effect\":\"allow\",\"partners\":[\"b\"],\"collections\":[\"" + SHARED + "\"]}]}"));
        node.collection(SHARED);
        node.add(SHARED, List.of(TestObjects.indicator(1, Tlp.GREEN)));
    }

    @AfterEach
    void stop()
    {
        node.close();
    }

    @Test
    void aPartnerRePinnedToANewCertificateIsRefusedWithTheOldOneOnItsNextRequest()
    {
        assertThat(status("b")).isEqualTo(200);
        assertThat(status("b-renewed")).isEqualTo(401);

        changeRegistryFromAnotherProcess(registry -> registry.putPartner(partnerB(certificates.fingerprint("b-renewed"))));

        assertThat(status("b")).isEqualTo(401);
        assertThat(status("b-renewed")).isEqualTo(200);
        assertThat(node.ledger.query(AuditQuery.all().withPartner("b").withKinds(Set.of(AuditKind.PARTNER_READ)))).hasSize(2);
    }

    @Test
    void aRemovedPartnerIsRefusedOnItsNextRequest()
    {
        assertThat(status("b")).isEqualTo(200);

        changeRegistryFromAnotherProcess(registry -> registry.removePartner("b"));

        assertThat(status("b")).isEqualTo(401);
        assertThat(node.registry.partner("b")).isEmpty();
    }

    private int status(String certificate)
    {
        HttpClient client = HttpClient.newBuilder().sslContext(certificates.clientContext(certificate)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUri() + "vigie/collections/" + SHARED + "/objects/"))
                .header("Accept", "application/taxii+json;version=2.1").GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
        catch (Exception e) {
            throw new AssertionError("GET " + request.uri() + " with certificate " + certificate + " failed", e);
        }
    }

    private static Partner partnerB(String certificateSha256)
    {
        return new Partner("b", "Node b", TestPartners.identityOf("b"), URI.create("https://127.0.0.1:1/"), certificateSha256, TestPartners.newKey("b").toPublicJWK());
    }

    /** Opens the node's exchange file a second time, with its own pool and registry, as the CLI does. */
    private void changeRegistryFromAnotherProcess(Consumer<PartnerRegistry> change)
    {
        try (ExchangeDatabase database = ExchangeDatabase.sqlite(directory.resolve("exchange.db"))) {
            AuditLedger ledger = AuditLedger.create(LedgerStorage.jdbc(database.dataSource()), node.clock);
            change.accept(PartnerRegistry.jdbc(database, ledger, "cli:admin"));
        }
    }
}
