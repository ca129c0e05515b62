package org.vigie.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.screening.Screener;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.auth.AuthenticatedUser;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import org.vigie.taxii.server.RouteContributor;
import org.vigie.taxii.server.Routes;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The analyst console, mounted on the node's {@link org.vigie.taxii.server.TaxiiServer}: its files at
 * {@code /} and its JSON API under {@code /console/api/}. Wiring in the node:
 * <pre>{@code
 * ObjectEvents events = ObjectEvents.create();
 * ObjectStore store = new ObservedObjectStore(ObjectStores.sqlite(file, clock), events);
 * SearchDatabase search = SearchDatabase.beside(storeConfig, dataDirectory);
 * ConsoleRoutes console = ConsoleRoutes.create(store, events, clock, PasswordHasher.standard(), screenerSupplier, consoleConfig, search);
 * TaxiiServer server = TaxiiServer.start(config, store, clock, List.of(console));
 * ... server.close(); console.close(); search.close();
 * }</pre>
 * With the exchange (Sharing screens): {@code console.withExchange(new ConsoleExchange(wiring.service(),
 * wiring.registry(), wiring.ledger(), wiring::deliverSoon, wiring.identityId()))} before the server starts.
 *
 * <p>Sign-in: the login form sends HTTP Basic credentials once to {@code POST /console/api/login},
 * which answers a bearer API token of the user (an {@link org.vigie.store.ApiToken}, the same kind
 * TAXII clients use); the console sends it on every later request and keeps it in the tab's session
 * storage only. API answers to a missing or wrong credential are 401 without a
 * {@code WWW-Authenticate} header, so that the browser never shows its own password dialog.
 */
public final class ConsoleRoutes
        implements RouteContributor, AutoCloseable
{
    public static final String API = "/console/api";
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final ObjectEvents events;
    private final StaticAssets assets;
    private final SearchIndex index;
    private final ConsoleApi api;
    private final SharingApi sharing;
    private final DetectionApi detection;
    private final ScreeningJobs jobs;
    private final FeedStream feed;
    private final ReleaseFeed releaseFeed;
    private final ObjectEvents.Subscription indexSubscription;
    private final Optional<SearchDatabase> ownedSearchDatabase;
    private Duration ledgerPollInterval;
    private Optional<LedgerTail> ledgerTail = Optional.empty();

    private ConsoleRoutes(ObjectStore store, ObjectEvents events, InstantSource clock, PasswordHasher hasher, Supplier<Screener> screener, ConsoleConfig config,
            SearchDatabase searchDatabase, boolean ownsSearchDatabase)
    {
        this.events = events;
        this.ledgerPollInterval = config.ledgerPollInterval();
        this.assets = new StaticAssets();
        this.ownedSearchDatabase = ownsSearchDatabase ? Optional.of(searchDatabase) : Optional.empty();
        this.index = new SearchIndex(store, searchDatabase);
        this.indexSubscription = events.subscribe(index);
        index.start();
        Supplier<Screener> loaded = memoize(screener);
        this.jobs = new ScreeningJobs(loaded);
        MarkingAccess access = new MarkingAccess(index, config);
        this.sharing = new SharingApi(store, access);
        Authoring authoring = new Authoring(store, clock, () -> sharing.exchange().map(ConsoleExchange::identityId));
        this.api = new ConsoleApi(store, index, access, new UserAdministration(store, hasher, clock), loaded, jobs, authoring, sharing);
        FeedEvents feedEvents = new FeedEvents(store, sharing);
        this.releaseFeed = new ReleaseFeed(store, sharing, api, access);
        this.feed = new FeedStream(store.events(), (event, user) -> user.canRead(event.collectionId())
                ? feedEvents.resolve(event).flatMap(resolved -> api.eventSummary(resolved, user))
                : Optional.empty(), releaseFeed, new FeedPositions(searchDatabase, clock), HEARTBEAT);
        this.detection = new DetectionApi(store, index, sharing, access);
    }

    /**
     * The console over {@code store}, which should be the {@link ObservedObjectStore} publishing to
     * {@code events} (objects authored in the console then reach the feed like any other). The hasher
     * hashes the tokens issued at login; the screener is asked for once, at the first screening.
     */
    public static ConsoleRoutes create(ObjectStore store, ObjectEvents events, InstantSource clock, PasswordHasher hasher, Supplier<Screener> screener)
    {
        return create(store, events, clock, hasher, screener, ConsoleConfig.defaults());
    }

    /**
     * As {@link #create(ObjectStore, ObjectEvents, InstantSource, PasswordHasher, Supplier)}, with the users' clearances of {@code config};
     * the search index is kept in a temporary file and built anew at each start (the node gives a {@link SearchDatabase}).
     */
    public static ConsoleRoutes create(ObjectStore store, ObjectEvents events, InstantSource clock, PasswordHasher hasher, Supplier<Screener> screener, ConsoleConfig config)
    {
        checkArguments(store, events, clock, hasher, screener, config);
        SearchDatabase temporary = SearchDatabase.temporary();
        try {
            return new ConsoleRoutes(store, events, clock, hasher, screener, config, temporary, true);
        }
        catch (RuntimeException e) {
            temporary.close();
            throw e;
        }
    }

    /**
     * As {@link #create(ObjectStore, ObjectEvents, InstantSource, PasswordHasher, Supplier, ConsoleConfig)}, with the persistent search
     * index in {@code searchDatabase}, which the caller closes after {@link #close()}.
     */
    public static ConsoleRoutes create(ObjectStore store, ObjectEvents events, InstantSource clock, PasswordHasher hasher, Supplier<Screener> screener, ConsoleConfig config,
            SearchDatabase searchDatabase)
    {
        checkArguments(store, events, clock, hasher, screener, config);
        requireNonNull(searchDatabase, "searchDatabase is null");
        return new ConsoleRoutes(store, events, clock, hasher, screener, config, searchDatabase, false);
    }

    private static void checkArguments(ObjectStore store, ObjectEvents events, InstantSource clock, PasswordHasher hasher, Supplier<Screener> screener, ConsoleConfig config)
    {
        requireNonNull(config, "config is null");
        requireNonNull(store, "store is null");
        requireNonNull(events, "events is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(hasher, "hasher is null");
        requireNonNull(screener, "screener is null");
    }

    /** As {@link #create(ObjectStore, ObjectEvents, InstantSource, PasswordHasher, Supplier)}, with the Sharing screens wired to {@code exchange}. */
    public static ConsoleRoutes create(ObjectStore store, ObjectEvents events, InstantSource clock, PasswordHasher hasher, Supplier<Screener> screener, ConsoleExchange exchange)
    {
        return create(store, events, clock, hasher, screener).withExchange(exchange);
    }

    /**
     * Wires the Sharing screens (and partner provenance in Detection) to the node's exchange; returns
     * this console. Called once, before or after the server starts: the sharing endpoints exist from
     * the start and answer an error naming this method until it is called.
     */
    public synchronized ConsoleRoutes withExchange(ConsoleExchange exchange)
    {
        requireNonNull(exchange, "exchange is null");
        // Refuses a second exchange before anything starts.
        sharing.attach(exchange);
        // One reader of the ledger for every live feed, woken by the ledger's appends (a release made here too).
        LedgerTail tail = new LedgerTail(exchange.ledger(), ledgerPollInterval);
        ledgerTail = Optional.of(tail);
        feed.attach(tail);
        return this;
    }

    /** How often the live feed's ledger tail looks for entries of other processes; before {@link #withExchange}, for tests. */
    synchronized ConsoleRoutes withLedgerPollInterval(Duration interval)
    {
        ledgerPollInterval = requireNonNull(interval, "interval is null");
        return this;
    }

    /** Queries of the exchange's ledger made for the live feeds so far (0 before the exchange is wired); for the node's metrics. */
    public synchronized long ledgerReads()
    {
        return ledgerTail.map(LedgerTail::reads).orElse(0L);
    }

    /** Store queries made to look up the objects of ledger entries for the live feeds (tests: one per entry and collection, whatever the number of feeds). */
    long releaseLookups()
    {
        return releaseFeed.lookups();
    }

    /**
     * Waits until the search index holds every change committed to the store so far (it is built and kept
     * current in the background); for benchmarks that time other work on a settled node.
     */
    public void awaitSearchIndex()
            throws InterruptedException
    {
        index.awaitWarm();
    }

    /** The search index (tests compare the Detection screen's counts with its rows). */
    SearchIndex searchIndex()
    {
        return index;
    }

    /** About how many objects the search index lacks now (0 when current); for the node's metrics. */
    public long searchIndexBehind()
    {
        return index.behind();
    }

    @Override
    public void addRoutes(Routes routes)
    {
        routes.publicGet("/", context -> assets.serve(context, "index.html"));
        for (String file : assets.files()) {
            routes.publicGet("/" + file, context -> assets.serve(context, file));
        }
        RoutesConfig javalin = routes.javalin();
        add(routes, javalin, HandlerType.POST, API + "/login", api::login);
        add(routes, javalin, HandlerType.GET, API + "/me", api::me);
        add(routes, javalin, HandlerType.GET, API + "/collections", api::collections);
        add(routes, javalin, HandlerType.GET, API + "/search", api::search);
        add(routes, javalin, HandlerType.POST, API + "/objects", api::author);
        add(routes, javalin, HandlerType.GET, API + "/objects/{objectId}", api::object);
        add(routes, javalin, HandlerType.GET, API + "/objects/{objectId}/relationships", api::relationships);
        add(routes, javalin, HandlerType.GET, API + "/feed", feed::stream);
        add(routes, javalin, HandlerType.POST, API + "/patterns/validate", api::validatePattern);
        add(routes, javalin, HandlerType.GET, API + "/markings", api::markings);
        add(routes, javalin, HandlerType.POST, API + "/screening/match", api::screen);
        add(routes, javalin, HandlerType.POST, API + "/screening/batch", api::startBatch);
        add(routes, javalin, HandlerType.GET, API + "/screening/batch/{jobId}", api::batchStatus);
        add(routes, javalin, HandlerType.GET, API + "/screening/batch/{jobId}/result", api::batchResult);
        add(routes, javalin, HandlerType.GET, API + "/sharing/partners", sharing::partners);
        add(routes, javalin, HandlerType.GET, API + "/sharing/partners/{partnerId}/outbox", sharing::outbox);
        add(routes, javalin, HandlerType.POST, API + "/sharing/preview", sharing::preview);
        add(routes, javalin, HandlerType.POST, API + "/sharing/release", sharing::release);
        add(routes, javalin, HandlerType.POST, API + "/sharing/recall", sharing::recall);
        add(routes, javalin, HandlerType.GET, API + "/sharing/recall/{objectId}", sharing::recallStatus);
        add(routes, javalin, HandlerType.GET, API + "/sharing/audit", sharing::audit);
        add(routes, javalin, HandlerType.GET, API + "/sharing/audit/verify", sharing::verify);
        add(routes, javalin, HandlerType.GET, API + "/detection/sightings", detection::sightings);
    }

    /** Ends open feed streams and screening runs; call before stopping the server. */
    @Override
    public void close()
    {
        feed.close();
        synchronized (this) {
            ledgerTail.ifPresent(LedgerTail::close);
        }
        jobs.close();
        indexSubscription.close();
        index.close();
        ownedSearchDatabase.ifPresent(SearchDatabase::close);
    }

    ObjectEvents events()
    {
        return events;
    }

    private static void add(Routes routes, RoutesConfig javalin, HandlerType method, String path, Routes.AuthenticatedHandler handler)
    {
        javalin.addHttpHandler(method, path, context -> {
            context.header("X-Content-Type-Options", "nosniff");
            AuthenticatedUser user;
            try {
                user = routes.authenticate(context);
            }
            catch (VigieException e) {
                if (e.errorCode() != ErrorCode.AUTHENTICATION_REQUIRED) {
                    throw e;
                }
                unauthenticated(context, e);
                return;
            }
            handler.handle(context, user);
        });
    }

    private static void unauthenticated(Context context, VigieException exception)
    {
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("title", "Unauthorized");
        body.put("description", exception.getMessage());
        body.put("error_code", exception.errorCode().code());
        body.put("http_status", "401");
        context.status(401);
        ConsoleJson.write(context, body);
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier)
    {
        return new Supplier<>()
        {
            private T value;

            @Override
            public synchronized T get()
            {
                if (value == null) {
                    value = requireNonNull(supplier.get(), "the screener supplier returned null");
                }
                return value;
            }
        };
    }
}
