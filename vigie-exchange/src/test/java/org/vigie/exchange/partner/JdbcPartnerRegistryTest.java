package org.vigie.exchange.partner;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.testing.SteppingClock;
import org.vigie.exchange.testing.TestDatabase;
import org.vigie.exchange.testing.TestPartners;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry contract on a real SQLite file, plus what only the SQL registry does: survive a reopen and audit every change. */
class JdbcPartnerRegistryTest
        extends PartnerRegistryTest
{
    @TempDir
    Path directory;

    private AuditLedger ledger;

    @Override
    protected PartnerRegistry newRegistry()
    {
        ExchangeDatabase database = database();
        ledger = AuditLedger.create(LedgerStorage.jdbc(database.dataSource()), new SteppingClock(Instant.parse("2026-04-01T09:00:00Z"), Duration.ofSeconds(1)));
        return PartnerRegistry.jdbc(database, ledger, "admin");
    }

    private TestDatabase testDatabase;

    /** Where the registry lives; PostgreSQL in the subclass. */
    TestDatabase newDatabase()
    {
        return TestDatabase.sqlite(directory.resolve("registry.db"));
    }

    @AfterEach
    void closeDatabase()
    {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    /** The same database each call, opened again (as after a restart). */
    private ExchangeDatabase database()
    {
        if (testDatabase == null) {
            testDatabase = newDatabase();
        }
        return testDatabase.open();
    }

    @Test
    void partnersAndGroupsSurviveAReopenAndEveryChangeIsAudited()
    {
        PartnerRegistry registry = newRegistry();
        Partner alpha = TestPartners.partner("alpha", TestPartners.newKey("a"));
        Partner beta = TestPartners.partner("beta", TestPartners.newKey("b"));
        registry.putPartner(alpha);
        registry.putPartner(beta);
        registry.putGroup(new TrustGroup("forum", "Forum", TrustGroupKind.MULTILATERAL, List.of("alpha", "beta")));
        Partner moved = new Partner("alpha", alpha.name(), alpha.identityId(), URI.create("https://alpha.example:8443/"), alpha.certificateSha256(), alpha.signingKey());
        registry.putPartner(moved);
        registry.removePartner("beta");

        PartnerRegistry reopened = newRegistry();

        assertThat(reopened.partners()).containsExactly(moved);
        assertThat(reopened.partner("alpha").orElseThrow().signingKey().toJSONString()).isEqualTo(alpha.signingKey().toJSONString());
        assertThat(reopened.group("forum").orElseThrow().memberPartnerIds()).containsExactly("alpha");
        List<AuditEntry> changes = ledger.query(AuditQuery.all().withKinds(Set.of(AuditKind.PARTNER_CHANGE)));
        assertThat(changes).extracting(AuditEntry::detail).containsExactly(
                "added partner alpha (" + alpha.identityId() + ", endpoint https://alpha.example/taxii2/, certificate sha256 " + alpha.certificateSha256() + ")",
                "added partner beta (" + beta.identityId() + ", endpoint https://beta.example/taxii2/, certificate sha256 " + beta.certificateSha256() + ")",
                "trust group forum (MULTILATERAL) now has members [alpha, beta]",
                "trust group forum (MULTILATERAL) now has members [alpha, beta]",
                "changed partner alpha; endpoint https://alpha.example/taxii2/ -> https://alpha.example:8443/",
                "removed partner beta and its trust group memberships");
        assertThat(changes).extracting(AuditEntry::actor).containsOnly("admin");
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void aRejectedChangeLeavesNeitherRowsNorLedgerEntries()
    {
        PartnerRegistry registry = newRegistry();
        Partner alpha = TestPartners.partner("alpha", TestPartners.newKey("a"));
        registry.putPartner(alpha);
        Partner impostor = new Partner("other", "Other", alpha.identityId(), alpha.endpoint(), alpha.certificateSha256(), alpha.signingKey());

        assertThatThrownBy(() -> registry.putPartner(impostor)).isInstanceOf(VigieException.class).hasMessageContaining("already belongs to partner alpha");

        assertThat(registry.partners()).containsExactly(alpha);
        assertThat(ledger.query(AuditQuery.all())).hasSize(1);
    }
}
