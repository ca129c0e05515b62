package org.vigie.node.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.console.ConsoleConfig;
import org.vigie.console.ConsoleExchange;
import org.vigie.console.ConsoleRoutes;
import org.vigie.console.ObjectEvent;
import org.vigie.console.ObjectEvents;
import org.vigie.console.ObservedObjectStore;
import org.vigie.console.SearchDatabase;
import org.vigie.detection.DetectionConfig;
import org.vigie.detection.DetectionService;
import org.vigie.detection.ObservationPublisher;
import org.vigie.kafka.KafkaConfig;
import org.vigie.kafka.KafkaEventLogs;
import org.vigie.kafka.KafkaHealth;
import org.vigie.kafka.MatchWorkerConfig;
import org.vigie.node.cli.SanctionsListFiles;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.exchange.ExchangeWiring;
import org.vigie.screening.Screener;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.events.Cursor;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.server.RouteContributor;
import org.vigie.taxii.server.TaxiiServer;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A running node: the store of its data directory, initialised on first start, served by the TAXII
 * server with the node's own routes ({@code /health} (liveness) and {@code /ready} (readiness: store,
 * exchange and, with {@code kafka.enabled}, Kafka reachable) for anyone, {@code /metrics} in Prometheus
 * format for administrators, see {@link NodeMetrics}), the analyst console at {@code /}, sanctions screening at {@code /screening/match}, the
 * exchange inbox ({@code /exchange/v1/...}) and, when {@code detection.enabled}, live indicator matching
 * ({@code /ingest/...}).
 *
 * <p>Every write, whether over TAXII, from the console or from the exchange inbox, goes through one
 * {@link ObservedObjectStore}, so the console's live feed and the live matcher see it at once. With
 * {@code kafka.enabled}, the node's event log is on Kafka ({@link KafkaEvents}): one replica relays the store's
 * events, and the feed, search index and live matcher of every replica read them from Kafka.
 */
public final class VigieNode
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(VigieNode.class);
    private static final java.time.Duration KAFKA_TIMEOUT = java.time.Duration.ofSeconds(2);

    private final NodeConfig config;
    private final ObjectStore store;
    private final TaxiiServer server;
    private final NodeInitializer.Initialization initialization;
    private final List<AutoCloseable> features;
    private final ConsoleRoutes console;

    private VigieNode(NodeConfig config, ObjectStore store, TaxiiServer server, NodeInitializer.Initialization initialization, List<AutoCloseable> features,
            ConsoleRoutes console)
    {
        this.config = config;
        this.store = store;
        this.server = server;
        this.initialization = initialization;
        this.features = List.copyOf(features);
        this.console = console;
    }

    public static VigieNode start(NodeConfig config, InstantSource clock, BiFunction<NodeConfig, InstantSource, ObjectStore> storeOpener, PasswordHasher hasher)
    {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(storeOpener, "storeOpener is null");
        requireNonNull(hasher, "hasher is null");
        long start = System.nanoTime();
        ObjectStore store = storeOpener.apply(config, clock);
        long storeOpened = System.nanoTime();
        // Closed in reverse order of opening when the node stops or fails to start.
        List<AutoCloseable> features = new ArrayList<>();
        try {
            MetricsConfig metricsConfig = MetricsConfig.fromProperties(config.featureProperties());
            boolean kafkaEnabled = KafkaConfig.enabled(config.featureProperties());
            NodeMetrics metrics = new NodeMetrics(clock);
            Optional<CollectionInfo> createdCollection = NodeInitializer.createDefaultCollection(store, config);
            ObjectEvents events = ObjectEvents.create();
            // With Kafka, every reader of events() in the node (console feed and index) reads the Kafka log.
            Optional<KafkaEvents> kafkaEvents = Optional.empty();
            if (kafkaEnabled) {
                kafkaEvents = Optional.of(KafkaEvents.open(KafkaConfig.fromProperties(config.featureProperties()), config.store(), store));
                features.add(kafkaEvents.get());
            }
            ObjectStore observedStore = new ObservedObjectStore(kafkaEvents.map(kafka -> kafka.reading(store)).orElse(store), events);
            Supplier<Screener> screener = new ListsScreener(config.dataDirectory());

            List<RouteContributor> routes = new ArrayList<>();
            routes.add(metrics.requestTimer());
            routes.add(new ScreeningRoutes(screener, SanctionsListFiles.screenedRecords(config.dataDirectory())));
            // The console's search index on disk beside the store (search.db, or the store's PostgreSQL database); closed after the console.
            SearchDatabase searchDatabase = SearchDatabase.beside(config.store(), config.dataDirectory());
            features.add(searchDatabase);
            ConsoleRoutes console = ConsoleRoutes.create(observedStore, events, clock, hasher, screener, ConsoleConfig.fromProperties(config.featureProperties()), searchDatabase);
            features.add(console);
            metrics.watchSearchIndex(console::searchIndexBehind);
            metrics.watchFeedLedger(console::ledgerReads);
            routes.add(console);
            ExchangeWiring exchange = ExchangeWiring.open(config.dataDirectory(), config.store(), observedStore, config.toProperties(), clock);
            features.add(exchange);
            routes.add(exchange.routes());
            routes.add(exchange.administrationRoutes());
            console.withExchange(new ConsoleExchange(exchange.service(), exchange.registry(), exchange.ledger(), exchange::deliverSoon,
                    ExchangeWiring.inboxCollection(config.toProperties()), exchange.identityId()));
            // Taken before detection loads its indicators, so that no deletion committed meanwhile is missed; only
            // when detection runs (a Kafka log's end waits for its relay to catch up).
            boolean detecting = config.detection().enabled();
            Optional<Cursor> deletionsFrom = detecting && kafkaEvents.isEmpty() ? Optional.of(store.events().end()) : Optional.empty();
            Optional<Cursor> kafkaFrom = detecting ? kafkaEvents.map(kafka -> kafka.log().end()) : Optional.empty();
            Optional<DetectionService> detection = startDetection(config.detection(), observedStore, clock, observationPublisher(config, features));
            detection.ifPresent(service -> {
                features.add(service);
                routes.add(service.routes());
                metrics.watchDetection(service);
            });
            if (detection.isPresent()) {
                // With Kafka, KafkaEvents.follow brings every replica's deletions; without, the store's own log does,
                // this node's own among them, which reach the matcher once (DetectionDeletions).
                Optional<DetectionDeletions> deletions = kafkaEvents.isEmpty()
                        ? Optional.of(new DetectionDeletions(store.events(), deletionsFrom.orElseThrow(), detection.get()))
                        : Optional.empty();
                deletions.ifPresent(features::add);
                subscribeOwnChanges(events, detection.get(), deletions);
            }
            kafkaEvents.ifPresent(kafka -> {
                detection.ifPresent(service -> kafka.follow(store, service, kafkaFrom.orElseThrow()));
                kafka.storeSightings(KafkaConfig.fromProperties(config.featureProperties()), observedStore, config.detection());
                metrics.watchRelay(kafka.log());
            });
            metrics.watchOutboxes(exchange.database());
            metrics.watchEventLog(store.events(), eventLogConsumers(metricsConfig, kafkaEnabled, config));
            List<NodeMetrics.Check> checks = new ArrayList<>();
            checks.add(new NodeMetrics.Check("store", () -> storeReachable(store)));
            checks.add(new NodeMetrics.Check("exchange", exchange::reachable));
            if (kafkaEnabled) {
                KafkaConfig kafka = KafkaConfig.fromProperties(config.featureProperties());
                KafkaHealth kafkaHealth = KafkaHealth.open(kafka, KAFKA_TIMEOUT);
                features.add(kafkaHealth);
                checks.add(new NodeMetrics.Check("kafka", kafkaHealth::reachable));
                metrics.watchKafka(kafkaHealth, config.featureProperties().getOrDefault(MatchWorkerConfig.GROUP_ID, MatchWorkerConfig.DEFAULT_GROUP_ID));
            }
            routes.add(nodeRoutes(metrics, checks));
            TaxiiServer server = TaxiiServer.start(config.server(), observedStore, clock, hasher, routes, exchange.partnerReads());
            // Initialised only once the server listens: a start that fails (port taken) must not create an
            // administrator whose generated password nobody would ever see.
            NodeInitializer.Initialization initialization;
            try {
                initialization = NodeInitializer.initializeAdministrator(store, config, hasher, clock, createdCollection);
            }
            catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            long started = System.nanoTime();
            LOG.info("node started on {} with data directory {} in {} ms (store {} ms, {} ms since JVM start)",
                    server.baseUri(), config.dataDirectory().toAbsolutePath(), (started - start) / 1_000_000, (storeOpened - start) / 1_000_000,
                    ManagementFactory.getRuntimeMXBean().getUptime());
            return new VigieNode(config, store, server, initialization, features, console);
        }
        catch (RuntimeException | Error e) {
            // Errors too: a half-started HTTP server would keep the JVM alive, serving nothing useful.
            closeAll(features, e);
            store.close();
            if (e instanceof VigieException vigieException) {
                throw vigieException;
            }
            throw new VigieException(ErrorCode.NODE_START_FAILED, "cannot start the node on data directory " + config.dataDirectory() + ": " + e, e);
        }
    }

    /** The consumers whose lag {@code /metrics} reports: the configured ones and, with Kafka, the relay. */
    private static List<String> eventLogConsumers(MetricsConfig metricsConfig, boolean kafkaEnabled, NodeConfig config)
    {
        List<String> consumers = new ArrayList<>(metricsConfig.eventLogConsumers());
        if (kafkaEnabled) {
            String relay = KafkaEventLogs.relayCursorName(KafkaConfig.fromProperties(config.featureProperties()));
            if (!consumers.contains(relay)) {
                consumers.add(relay);
            }
        }
        return consumers;
    }

    /** With {@code detection.ingest=kafka}, where ingest publishes (NodeConfig has checked that Kafka and the workers' collection are set). */
    private static Optional<ObservationPublisher> observationPublisher(NodeConfig config, List<AutoCloseable> features)
    {
        DetectionConfig detection = config.detection();
        if (!detection.enabled()) {
            return Optional.empty();
        }
        return switch (detection.ingest()) {
            case LOCAL -> Optional.empty();
            case KAFKA -> {
                KafkaObservations observations = new KafkaObservations(KafkaConfig.fromProperties(config.featureProperties()),
                        MatchWorkerConfig.fromProperties(config.featureProperties()).indicatorCollection());
                features.add(observations);
                yield Optional.of(observations);
            }
        };
    }

    private static Optional<DetectionService> startDetection(DetectionConfig detectionConfig, ObjectStore store, InstantSource clock, Optional<ObservationPublisher> publisher)
    {
        if (!detectionConfig.enabled()) {
            return Optional.empty();
        }
        DetectionService service = DetectionService.create(detectionConfig, store, clock, publisher);
        service.startPeriodicRefresh();
        return Optional.of(service);
    }

    /**
     * Indicators stored or deleted through this node reach the matcher at once; the periodic refresh catches adds by
     * other processes, the store's log (through {@code deletions}) their deletions, and with Kafka KafkaEvents.follow
     * brings both from every replica. Changes committed before this subscription are in the log the followers read
     * from a position taken earlier.
     */
    private static void subscribeOwnChanges(ObjectEvents events, DetectionService service, Optional<DetectionDeletions> deletions)
    {
        events.subscribe(new ObjectEvents.Listener()
        {
            @Override
            public void added(ObjectEvent event)
            {
                service.onObjectsAdded(event.collectionId(), List.of(event.object()));
            }

            @Override
            public void deleted(String collectionId, String objectId)
            {
                if (deletions.isPresent()) {
                    deletions.get().deletedHere(collectionId, objectId);
                }
                else {
                    service.onObjectDeleted(collectionId, objectId);
                }
            }
        });
    }

    private static void closeAll(List<AutoCloseable> closeables, Throwable failure)
    {
        for (int index = closeables.size() - 1; index >= 0; index--) {
            try {
                closeables.get(index).close();
            }
            catch (Exception e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
                else {
                    LOG.warn("failed to close {} while stopping the node", closeables.get(index), e);
                }
            }
        }
    }

    private static RouteContributor nodeRoutes(NodeMetrics metrics, List<NodeMetrics.Check> checks)
    {
        return routes -> {
            // Liveness: the process serves HTTP. Readiness: it can also reach what requests need.
            routes.publicGet("/health", context -> context.contentType("text/plain").result("ok\n"));
            routes.publicGet("/ready", context -> {
                List<String> unreachable = new ArrayList<>();
                for (NodeMetrics.Check check : checks) {
                    if (!check.reachable().get()) {
                        unreachable.add(check.name());
                    }
                }
                context.contentType("text/plain");
                if (unreachable.isEmpty()) {
                    context.result("ready\n");
                }
                else {
                    context.status(503).result("not ready: " + String.join(", ", unreachable) + " unreachable\n");
                }
            });
            routes.get("/metrics", (context, user) -> {
                if (!user.administrator()) {
                    throw new VigieException(ErrorCode.ACCESS_DENIED, "metrics are visible to administrators only");
                }
                context.contentType("text/plain; version=0.0.4").result(metrics.scrape());
            });
        };
    }

    private static boolean storeReachable(ObjectStore store)
    {
        try {
            store.events().end();
            return true;
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    public URI baseUri()
    {
        return server.baseUri();
    }

    /** The discovery URL of the TAXII API. */
    public URI discoveryUri()
    {
        return server.baseUri().resolve("taxii2/");
    }

    public URI apiRootUri()
    {
        return server.baseUri().resolve(config.server().apiRoot() + "/");
    }

    public int port()
    {
        return server.port();
    }

    public NodeInitializer.Initialization initialization()
    {
        return initialization;
    }

    public List<CollectionInfo> collections()
    {
        return store.listCollections().stream().sorted(Comparator.comparing(CollectionInfo::id)).toList();
    }

    public ObjectStore store()
    {
        return store;
    }

    /** Waits until the console's search index (on disk, kept current in the background) holds every change committed to the store so far. */
    public void awaitConsoleIndex()
            throws InterruptedException
    {
        console.awaitSearchIndex();
    }

    /** Deletions reaching the live matcher without Kafka (tests count them); empty without detection or with Kafka. */
    Optional<DetectionDeletions> detectionDeletions()
    {
        return features.stream().filter(DetectionDeletions.class::isInstance).map(DetectionDeletions.class::cast).findFirst();
    }

    @Override
    public void close()
    {
        try {
            server.close();
        }
        finally {
            try {
                closeAll(features, null);
            }
            finally {
                store.close();
            }
        }
    }
}
