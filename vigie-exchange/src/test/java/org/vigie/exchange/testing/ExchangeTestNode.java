package org.vigie.exchange.testing;

import com.nimbusds.jose.jwk.OctetKeyPair;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.sqlite.SQLiteDataSource;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.LedgerStorage;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.reads.PolicyPartnerReads;
import org.vigie.exchange.service.ExchangeConfig;
import org.vigie.exchange.service.ExchangeService;
import org.vigie.exchange.service.LocalNode;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoredObject;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.server.TaxiiServer;
import org.vigie.taxii.server.TaxiiServerConfig;

import javax.sql.DataSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One exchange node for tests: its own SQLite files (exchange tables with the ledger, object store),
 * a real TAXII server on 127.0.0.1 with mutual TLS, and an {@link ExchangeService}. The service can be
 * "restarted" on the same files to show that nothing depends on memory.
 */
public final class ExchangeTestNode
        implements AutoCloseable
{
    private static final PasswordHasher FAST_HASHER = PasswordHasher.withIterations(1_000);

    private final String id;
    private final String tlsName;
    private final OctetKeyPair key;
    private final Path directory;
    private final TestCertificates certificates;
    private final MutableClock clock;
    private final AtomicBoolean failNextReceipt = new AtomicBoolean();
    private final AtomicReference<ReleasePolicy> policy = new AtomicReference<>(ReleasePolicy.denyAll());
    private ExchangeConfig config;
    private HikariDataSource pool;
    private ExchangeDatabase database;
    private AuditLedger ledger;
    private PartnerRegistry registry;
    private ObjectStore store;
    private ExchangeService service;
    private TaxiiServer server;
    private int port;

    public ExchangeTestNode(String id, Path directory, TestCertificates certificates, MutableClock clock)
    {
        this(id, TestPartners.newKey(id), directory, certificates, clock);
    }

    /** A node with a given signing key, so that another process can open the same node. */
    public ExchangeTestNode(String id, OctetKeyPair key, Path directory, TestCertificates certificates, MutableClock clock)
    {
        this(id, id, key, directory, certificates, clock);
    }

    /**
     * A node whose TLS key and certificate are those made under {@code tlsName}: many simulated nodes may
     * share one (each still has its own signing key, identity and files), which saves a keytool run each.
     */
    public ExchangeTestNode(String id, String tlsName, OctetKeyPair key, Path directory, TestCertificates certificates, MutableClock clock)
    {
        this.id = id;
        this.tlsName = tlsName;
        this.key = key;
        this.directory = directory;
        this.certificates = certificates;
        this.clock = clock;
        this.config = configuration(Map.of());
        open();
        startServer(0);
    }

    /** Pooled as in the node: opening a SQLite connection per transaction costs more than the transaction, and closing the last one checkpoints the WAL. */
    private static HikariDataSource pooled(String name, DataSource raw)
    {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setDataSource(raw);
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        return new HikariDataSource(hikari);
    }

    private void open()
    {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + directory.resolve(id + "-exchange.db"));
        dataSource.setJournalMode("WAL");
        dataSource.setSynchronous("NORMAL");
        dataSource.setBusyTimeout(10_000);
        pool = pooled("exchange-" + id, dataSource);
        database = ExchangeDatabase.on(pool);
        LedgerStorage jdbc = LedgerStorage.jdbc(database.dataSource());
        // Lets a test make the receiving transaction fail once, as a crash between storing and committing would.
        LedgerStorage storage = new FailingReceiptLedger(jdbc, failNextReceipt);
        ledger = AuditLedger.create(storage, clock);
        registry = PartnerRegistry.jdbc(database, ledger, "admin");
        store = ObjectStores.sqlite(directory.resolve(id + "-store.db"), clock);
        service = ExchangeService.create(config, new LocalNode(TestPartners.identityOf(id), key), database, store, registry, ledger,
                () -> ReleaseDecider.of(policy.get()), clock, new Random(id.hashCode()));
    }

    /** Starts the server; port 0 picks a free port, the previous port restarts it where partners expect it. */
    public void startServer(int requestedPort)
    {
        TaxiiServerConfig serverConfig = TaxiiServerConfig.fromProperties(Map.of(
                "http.port", String.valueOf(requestedPort),
                "http.tls.keystore", certificates.keystore(tlsName).toString(),
                "http.tls.keystore-password", TestCertificates.PASSWORD,
                "http.tls.truststore", certificates.truststore(tlsName).toString(),
                "http.tls.truststore-password", TestCertificates.PASSWORD,
                "http.tls.client-auth", "need"));
        // Partners read the standard TAXII endpoints under the policy, as in the node.
        PolicyPartnerReads partnerReads = PolicyPartnerReads.create(store, registry, () -> ReleaseDecider.of(policy.get()), service.markingResolver(), ledger, database, clock, Map.of());
        server = TaxiiServer.start(serverConfig, store, clock, FAST_HASHER, List.of(service.routes()), partnerReads);
        port = server.port();
    }

    public void stopServer()
    {
        server.close();
        server = null;
    }

    public void restartServer()
    {
        startServer(port);
    }

    private ExchangeConfig configuration(Map<String, String> properties)
    {
        return ExchangeConfig.fromProperties(properties)
                .withKeystore(certificates.keystore(tlsName), TestCertificates.PASSWORD)
                .withRetry(Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** A restart with these {@code exchange.*} properties (the test keystore and retry delays are kept). */
    public void restart(Map<String, String> exchangeProperties)
    {
        config = configuration(exchangeProperties);
        restart();
    }

    /** Closes everything but the files, and opens the node again on them (a process restart). */
    public void restart()
    {
        boolean serving = server != null;
        if (serving) {
            stopServer();
        }
        service.close();
        store.close();
        pool.close();
        open();
        if (serving) {
            startServer(port);
        }
    }

    public Partner asPartner()
    {
        return new Partner(id, "Node " + id, TestPartners.identityOf(id), URI.create("https://127.0.0.1:" + port + "/"), certificates.fingerprint(tlsName), key.toPublicJWK());
    }

    /** Registers the other nodes as partners of this one. */
    public void knows(ExchangeTestNode... others)
    {
        for (ExchangeTestNode other : others) {
            registry.putPartner(other.asPartner());
        }
    }

    /** The next receiving transaction fails after the objects were stored, before anything is committed. */
    public void failNextReceipt()
    {
        failNextReceipt.set(true);
    }

    public void policy(String json)
    {
        policy.set(ReleasePolicy.fromJson(json));
    }

    /** Ids of the objects in the inbound collection, marking-definitions left out, in the order they were added. */
    public List<String> inboundIds()
    {
        if (store.findCollection(config.inboxCollection()).isEmpty()) {
            return List.of();
        }
        return store.findObjects(config.inboxCollection(), ObjectQuery.all(1000)).objects().stream()
                .filter(stored -> !stored.object().type().equals("marking-definition"))
                .map(stored -> stored.object().id())
                .toList();
    }

    public Optional<StoredObject> inbound(String objectId)
    {
        if (store.findCollection(config.inboxCollection()).isEmpty()) {
            return Optional.empty();
        }
        return store.findObjects(config.inboxCollection(), ObjectQuery.all(1).withIds(List.of(objectId))).objects().stream().findFirst();
    }

    public String id()
    {
        return id;
    }

    public String identityId()
    {
        return TestPartners.identityOf(id);
    }

    public OctetKeyPair key()
    {
        return key;
    }

    public ExchangeService service()
    {
        return service;
    }

    public AuditLedger ledger()
    {
        return ledger;
    }

    public PartnerRegistry registry()
    {
        return registry;
    }

    public ObjectStore store()
    {
        return store;
    }

    public ExchangeDatabase database()
    {
        return database;
    }

    public URI baseUri()
    {
        return URI.create("https://127.0.0.1:" + port + "/");
    }

    @Override
    public void close()
    {
        if (server != null) {
            server.close();
        }
        service.close();
        store.close();
        pool.close();
    }
}
