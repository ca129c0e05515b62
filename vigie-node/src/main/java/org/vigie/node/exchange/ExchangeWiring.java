package org.vigie.node.exchange;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.database.DeliveryLeases;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.database.OutboxListener;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.reads.PolicyPartnerReads;
import org.vigie.exchange.service.ExchangeService;
import org.vigie.exchange.service.ReleaseResult;
import org.vigie.exchange.service.ReleaseTargets;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoreConfig;
import org.vigie.store.events.Subscription;
import org.vigie.taxii.server.PartnerReads;
import org.vigie.taxii.server.RouteContributor;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The exchange of one node, opened beside its store: the exchange database (exchange tables, partners,
 * release policy and audit ledger: {@code <data-dir>/exchange.db} when the store is on SQLite, the store's
 * PostgreSQL database otherwise, shared by the node's replicas), the node's identity
 * ({@code <data-dir>/exchange-identity.json}: STIX identity id and Ed25519 key, created on first start,
 * owner-only), the {@link ExchangeService}, and a delivery scheduler (one thread calling
 * {@code deliverDue} every {@code exchange.delivery.interval-milliseconds} and as soon as outbox entries are
 * queued). How queued entries wake delivery depends on the database, one way each: on SQLite (one process
 * delivers) {@link #release} and {@link #deliverSoon} wake the scheduler in-process; on PostgreSQL every
 * queuing transaction notifies at its commit and each replica's {@link OutboxListener} wakes its own scheduler,
 * so an entry queued through any replica (or by a command) is pushed at once by whichever replica takes the
 * partner's lease. Replicas deliver each partner's outbox one at a time, under leases of
 * {@code exchange.delivery.lease-milliseconds}. A serving node also follows the store's event log once
 * ({@link ExchangeService#followStore}) so that revocations, narrowed markings and deletions written without a
 * release reach the partners holding the object and, with {@code exchange.sightings-back.enabled} (the default),
 * sightings of indicators received from partners go back to them ({@link SightingsBack}). Mount {@link #routes()} on the TAXII server (TLS with client
 * certificates); stop the server before {@link #close()}.
 */
public final class ExchangeWiring
        implements AutoCloseable
{
    private final ExchangeStorage storage;
    private final ExchangeService service;
    private final Optional<DeliveryScheduler> scheduler;
    private final Optional<OutboxListener> listener;
    private final PartnerReads partnerReads;
    private final Optional<Subscription> follower;

    private ExchangeWiring(ExchangeStorage storage, ExchangeService service, Optional<DeliveryScheduler> scheduler, Optional<OutboxListener> listener,
            PartnerReads partnerReads, Optional<Subscription> follower)
    {
        this.follower = requireNonNull(follower, "follower is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.service = requireNonNull(service, "service is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.partnerReads = requireNonNull(partnerReads, "partnerReads is null");
    }

    /**
     * Opens the exchange of a running node and starts its delivery scheduler.
     *
     * @param properties the node's configuration keys; the {@code exchange.*} keys are read (unknown ones
     * rejected, naming the key) and {@code http.tls.keystore} is the default key to push with; other keys are ignored
     */
    public static ExchangeWiring open(Path dataDirectory, StoreConfig storeConfig, ObjectStore store, Map<String, String> properties, InstantSource clock)
    {
        return open(dataDirectory, storeConfig, store, properties, clock, true, "system");
    }

    /** For commands: the same exchange without a scheduler (the running node delivers what they queue). */
    static ExchangeWiring openWithoutDelivery(Path dataDirectory, StoreConfig storeConfig, ObjectStore store, Map<String, String> properties, InstantSource clock, String actor)
    {
        return open(dataDirectory, storeConfig, store, properties, clock, false, actor);
    }

    private static ExchangeWiring open(Path dataDirectory, StoreConfig storeConfig, ObjectStore store, Map<String, String> properties, InstantSource clock, boolean deliver,
            String actor)
    {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        // Validated first, so a bad key stops the start before any file is created.
        ExchangeSettings settings = ExchangeSettings.fromProperties(properties);
        ExchangeStorage storage = ExchangeStorage.open(dataDirectory, storeConfig, clock, actor);
        try {
            StoredPolicy policy = storage.policy();
            Supplier<ReleaseDecider> decider = () -> ReleaseDecider.of(policy.current());
            DeliveryLeases leases = DeliveryLeases.on(storage.database(), settings.replicaName(), settings.leaseDuration(), clock);
            ExchangeService service = ExchangeService.create(settings.config(), storage.identity().localNode(), storage.database(), store, storage.registry(), storage.ledger(),
                    decider, clock, new SecureRandom(), leases);
            PartnerReads partnerReads = PolicyPartnerReads.create(store, storage.registry(), decider, service.markingResolver(), storage.ledger(), storage.database(), clock,
                    settings.partnerUsers());
            Optional<DeliveryScheduler> scheduler = deliver ? Optional.of(new DeliveryScheduler(service::deliverDue, settings.deliveryInterval())) : Optional.empty();
            Optional<OutboxListener> listener = scheduler.flatMap(running -> OutboxListener.start(storage.database(), running::deliverSoon,
                    storage.ledger()::announceAppendedElsewhere));
            // Only a delivering node follows the log: commands that open the exchange send nothing by themselves.
            Runnable wake = () -> {
                if (listener.isEmpty()) {
                    scheduler.ifPresent(DeliveryScheduler::deliverSoon);
                }
            };
            // Changes written to the store (a TAXII POST, the console's edit, a deletion) reach the partners holding the
            // object, and (exchange.sightings-back.enabled) sightings of indicators received from partners go back to
            // them: one follower reads the log for both. On PostgreSQL the queuing transaction's NOTIFY wakes delivery;
            // on SQLite the scheduler is asked.
            Optional<Subscription> follower;
            try {
                follower = deliver
                        ? Optional.of(settings.sightingsBackEnabled()
                                ? service.followStore(store.events(), new SightingsBack(store, service, settings.config().inboxCollection()), wake)
                                : service.followStore(store.events(), wake))
                        : Optional.empty();
            }
            catch (RuntimeException e) {
                // The threads started above would outlive a failed start.
                listener.ifPresent(OutboxListener::close);
                scheduler.ifPresent(DeliveryScheduler::close);
                throw e;
            }
            return new ExchangeWiring(storage, service, scheduler, listener, partnerReads, follower);
        }
        catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** For {@code vigie export --partner}: the exchange of a data directory, without delivery, to read under the policy and audit. */
    public static ExchangeWiring openForExport(Path dataDirectory, StoreConfig storeConfig, ObjectStore store, Map<String, String> properties, InstantSource clock)
    {
        return open(dataDirectory, storeConfig, store, properties, clock, false, "export");
    }

    /**
     * Partner reads under the policy in effect, for {@code TaxiiServer.start}: a partner's pinned client
     * certificate, or a user of {@code exchange.partner-users}, reads TAXII as that partner.
     */
    public PartnerReads partnerReads()
    {
        return partnerReads;
    }

    /** The collection the exchange stores received objects in, from the node's configuration keys. */
    public static String inboxCollection(Map<String, String> properties)
    {
        return ExchangeSettings.fromProperties(properties).config().inboxCollection();
    }

    /** Every key but {@code exchange.*}: for configuration classes that reject keys they do not know. */
    public static SortedMap<String, String> withoutExchangeKeys(Map<String, String> properties)
    {
        return ExchangeSettings.withoutExchangeKeys(properties);
    }

    /** The inbox, receipts and partner pull endpoints, for {@code TaxiiServer.start}. */
    public RouteContributor routes()
    {
        return service.routes();
    }

    /** Administration of partners, trust groups and the release policy over HTTP, for administrators ({@code /admin/exchange/...}). */
    public RouteContributor administrationRoutes()
    {
        return new ExchangeAdministrationRoutes(storage);
    }

    public ExchangeService service()
    {
        return service;
    }

    /** Releases and has the envelopes pushed at once (see the class comment for how delivery is woken). */
    public ReleaseResult release(List<ReleaseItem> items, ReleaseTargets targets, String actor)
    {
        ReleaseResult result = service.release(items, targets, actor);
        deliverSoon();
        return result;
    }

    /** As {@link #release}, offering the latest version of every object of a collection. */
    public ReleaseResult releaseCollection(String collectionId, ReleaseTargets targets, String actor)
    {
        ReleaseResult result = service.releaseCollection(collectionId, targets, actor);
        deliverSoon();
        return result;
    }

    /**
     * After a release or recall made directly on {@link #service()}: on SQLite, asks the scheduler for a round
     * now; on PostgreSQL nothing, since the release's commit already woke every replica's listener, this one's too.
     */
    public void deliverSoon()
    {
        if (listener.isEmpty()) {
            scheduler.ifPresent(DeliveryScheduler::deliverSoon);
        }
    }


    /** This node's STIX identity id, as partners register it. */
    public String identityId()
    {
        return storage.identity().identityId();
    }

    /** This node's public Ed25519 signing key, as partners pin it. */
    public OctetKeyPair publicSigningKey()
    {
        return storage.identity().publicKey();
    }

    public ReleasePolicy policy()
    {
        return storage.policy().current();
    }

    public PartnerRegistry registry()
    {
        return storage.registry();
    }

    public AuditLedger ledger()
    {
        return storage.ledger();
    }

    /** Delivery rounds run so far by the scheduler (0 without one). */
    long deliveryRounds()
    {
        return scheduler.map(DeliveryScheduler::rounds).orElse(0L);
    }

    /** Whether the exchange database answers now (readiness). */
    public boolean reachable()
    {
        return storage.database().reachable();
    }

    /** The exchange database, for monitoring (outbox depth, receipts). */
    public ExchangeDatabase database()
    {
        return storage.database();
    }

    /** Stops the listener, the scheduler (a round in progress finishes), the service and the exchange database; the object store is the caller's. */
    @Override
    public void close()
    {
        try {
            follower.ifPresent(Subscription::close);
            listener.ifPresent(OutboxListener::close);
            scheduler.ifPresent(DeliveryScheduler::close);
        }
        finally {
            try {
                service.close();
            }
            finally {
                storage.close();
            }
        }
    }
}
