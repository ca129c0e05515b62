package org.vigie.node.server;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.config.NodeConfig;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.server.RouteContributor;
import org.vigie.taxii.server.TaxiiServer;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

import static java.util.Objects.requireNonNull;

/**
 * A running node: the store of its data directory, initialised on first start, served by the TAXII
 * server with the node's own routes ({@code /health} for anyone, {@code /metrics} in Prometheus format for
 * administrators).
 */
public final class VigieNode
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(VigieNode.class);

    private final NodeConfig config;
    private final ObjectStore store;
    private final TaxiiServer server;
    private final NodeInitializer.Initialization initialization;

    private VigieNode(NodeConfig config, ObjectStore store, TaxiiServer server, NodeInitializer.Initialization initialization)
    {
        this.config = config;
        this.store = store;
        this.server = server;
        this.initialization = initialization;
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
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            List<RouteContributor> routes = List.of(nodeRoutes(registry));
            TaxiiServer server = TaxiiServer.start(config.server(), store, clock, hasher, routes);
            // Initialised only once the server listens: a start that fails (port taken) must not create an
            // administrator whose generated password nobody would ever see.
            NodeInitializer.Initialization initialization;
            try {
                initialization = NodeInitializer.initialize(store, config, hasher, clock);
            }
            catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            long started = System.nanoTime();
            LOG.info("node started on {} with data directory {} in {} ms (store {} ms, {} ms since JVM start)",
                    server.baseUri(), config.dataDirectory().toAbsolutePath(), (started - start) / 1_000_000, (storeOpened - start) / 1_000_000,
                    ManagementFactory.getRuntimeMXBean().getUptime());
            return new VigieNode(config, store, server, initialization);
        }
        catch (RuntimeException | Error e) {
            // Errors too: a half-started HTTP server would keep the JVM alive, serving nothing useful.
            store.close();
            if (e instanceof VigieException vigieException) {
                throw vigieException;
            }
            throw new VigieException(ErrorCode.NODE_START_FAILED, "cannot start the node on data directory " + config.dataDirectory() + ": " + e, e);
        }
    }

    private static RouteContributor nodeRoutes(PrometheusMeterRegistry registry)
    {
        return routes -> {
            routes.publicGet("/health", context -> context.contentType("text/plain").result("ok\n"));
            routes.get("/metrics", (context, user) -> {
                if (!user.administrator()) {
                    throw new VigieException(ErrorCode.ACCESS_DENIED, "metrics are visible to administrators only");
                }
                context.contentType("text/plain; version=0.0.4").result(registry.scrape());
            });
        };
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

    @Override
    public void close()
    {
        try {
            server.close();
        }
        finally {
            store.close();
        }
    }
}
