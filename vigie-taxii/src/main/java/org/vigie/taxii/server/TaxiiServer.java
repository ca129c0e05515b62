package org.vigie.taxii.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.auth.AuthenticatedUser;
import org.vigie.taxii.auth.Authenticator;
import org.vigie.taxii.auth.PasswordHasher;

import java.net.URI;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The node's HTTP server: the TAXII 2.1 API (discovery at {@code /taxii2/}, one API root at
 * {@code /<taxii.api-root>/}) and the routes of {@link RouteContributor}s, all behind the same
 * authentication, on plain HTTP or (when a keystore is configured) HTTPS with optional client certificates.
 */
public final class TaxiiServer
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TaxiiServer.class);

    private final Javalin app;
    private final URI baseUri;
    private final int port;
    private final Authenticator authenticator;

    private TaxiiServer(Javalin app, URI baseUri, int port, Authenticator authenticator)
    {
        this.app = app;
        this.baseUri = baseUri;
        this.port = port;
        this.authenticator = authenticator;
    }

    /** Starts with the standard password hasher. */
    public static TaxiiServer start(TaxiiServerConfig config, ObjectStore store, InstantSource clock, List<RouteContributor> extraRoutes)
    {
        return start(config, store, clock, PasswordHasher.standard(), extraRoutes);
    }

    /**
     * Starts the server and returns once it listens. The hasher only verifies existing hashes (each hash
     * names its own iterations); it is a parameter so that tests may create users with a fast one.
     */
    public static TaxiiServer start(TaxiiServerConfig config, ObjectStore store, InstantSource clock, PasswordHasher hasher, List<RouteContributor> extraRoutes)
    {
        return start(config, store, clock, hasher, extraRoutes, PartnerReads.none());
    }

    /**
     * As above, with partners reading the TAXII endpoints under the release policy (see {@link PartnerReads}).
     * Partner requests may use the TAXII read endpoints only: every contributed route refuses them.
     */
    public static TaxiiServer start(TaxiiServerConfig config, ObjectStore store, InstantSource clock, PasswordHasher hasher, List<RouteContributor> extraRoutes,
            PartnerReads partnerReads)
    {
        requireNonNull(partnerReads, "partnerReads is null");
        requireNonNull(config, "config is null");
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(hasher, "hasher is null");
        List<RouteContributor> contributors = List.copyOf(requireNonNull(extraRoutes, "extraRoutes is null"));
        config.tls().ifPresent(TaxiiServer::checkTlsFiles);

        Authenticator authenticator = new Authenticator(
                store,
                hasher,
                clock,
                config.authenticationCacheTime(),
                Authenticator.DEFAULT_CACHE_SIZE,
                subject -> config.tls().flatMap(tls -> tls.userForSubject(subject)));
        RequestAuthentication authentication = new RequestAuthentication(authenticator, partnerReads);
        TaxiiApi api = new TaxiiApi(config, store, clock, partnerReads);

        Javalin app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            // The POST handler enforces max_content_length itself, with a TAXII error; Javalin must not cut earlier.
            javalin.http.maxRequestSize = Math.max(config.maxContentLength(), 1);
            javalin.router.ignoreTrailingSlashes = true;
            javalin.http.prefer405over404 = true;
            // Do not advertise the server software and version to scanners.
            javalin.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            javalin.jetty.host = config.bind();
            javalin.jetty.port = config.port();
            config.tls().ifPresent(tls -> addTlsConnector(javalin, config, tls));
            addTaxiiRoutes(javalin.routes, api, authentication);
            Routes routes = new ContributedRoutes(javalin.routes, authentication);
            for (RouteContributor contributor : contributors) {
                contributor.addRoutes(routes);
            }
            addErrorHandlers(javalin.routes);
        });
        try {
            app.start();
        }
        catch (RuntimeException e) {
            // Release the threads and any connector that did open.
            app.stop();
            throw new VigieException(ErrorCode.NODE_START_FAILED, "cannot start the HTTP server on " + config.bind() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        Server server = app.jettyServer().server();
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        String scheme = config.tls().isPresent() ? "https" : "http";
        String host = config.bind().equals("0.0.0.0") || config.bind().equals("::") ? "localhost" : config.bind();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        URI baseUri = URI.create(scheme + "://" + host + ":" + port + "/");
        LOG.info("TAXII server listening on {} (API root {})", baseUri, config.apiRoot());
        return new TaxiiServer(app, baseUri, port, authenticator);
    }

    /** The server's root URL, ending with a slash; the discovery resource is {@code baseUri().resolve("taxii2/")}. */
    public URI baseUri()
    {
        return baseUri;
    }

    public int port()
    {
        return port;
    }

    /** Forgets remembered credential verifications, so that a changed password or right applies at once. */
    public void clearAuthenticationCache()
    {
        authenticator.clearCache();
    }

    @Override
    public void close()
    {
        app.stop();
    }

    private static void addTaxiiRoutes(RoutesConfig routes, TaxiiApi api, RequestAuthentication authenticator)
    {
        String root = api.apiRootPath();
        taxii(routes, authenticator, HandlerType.GET, TaxiiApi.DISCOVERY_PATH, api::discovery);
        taxii(routes, authenticator, HandlerType.GET, root, api::apiRoot);
        taxii(routes, authenticator, HandlerType.GET, root + "status/{statusId}/", api::status);
        taxii(routes, authenticator, HandlerType.GET, root + "collections/", api::collections);
        taxii(routes, authenticator, HandlerType.GET, root + "collections/{collectionId}/", api::collection);
        taxii(routes, authenticator, HandlerType.GET, root + "collections/{collectionId}/manifest/", api::manifest);
        taxii(routes, authenticator, HandlerType.GET, root + "collections/{collectionId}/objects/", api::getObjects);
        taxii(routes, authenticator, HandlerType.POST, root + "collections/{collectionId}/objects/", api::addObjects);
        taxii(routes, authenticator, HandlerType.GET, root + "collections/{collectionId}/objects/{objectId}/", api::getObject);
        taxii(routes, authenticator, HandlerType.DELETE, root + "collections/{collectionId}/objects/{objectId}/", api::deleteObject);
        taxii(routes, authenticator, HandlerType.GET, root + "collections/{collectionId}/objects/{objectId}/versions/", api::versions);
    }

    // Authentication comes first (401 before anything is revealed), then content negotiation (406).
    private static void taxii(RoutesConfig routes, RequestAuthentication authenticator, HandlerType method, String path, Routes.AuthenticatedHandler handler)
    {
        routes.addHttpHandler(method, path, context -> {
            AuthenticatedUser user = authenticator.authenticate(context);
            MediaTypes.checkAcceptable(context.header("Accept"));
            handler.handle(context, user);
        });
    }

    private static void addErrorHandlers(RoutesConfig routes)
    {
        routes.exception(VigieException.class, (exception, context) -> {
            if (TaxiiErrors.httpStatus(exception.errorCode()) >= 500) {
                String errorId = UUID.randomUUID().toString();
                LOG.error("request {} {} failed, error id {}", context.method(), context.path(), errorId, exception);
                TaxiiErrors.write(context, exception.errorCode(), "internal error " + errorId + "; the server log has its details");
                return;
            }
            TaxiiErrors.write(context, exception);
        });
        routes.exception(HttpResponseException.class, (exception, context) -> {
            // Javalin's own responses (no such route, method not allowed) as TAXII error resources.
            ErrorCode code = exception.getStatus() == 404 ? ErrorCode.RESOURCE_NOT_FOUND : ErrorCode.INVALID_ARGUMENT;
            TaxiiErrors.write(context, exception.getStatus(), code, exception.getMessage());
        });
        routes.exception(Exception.class, (exception, context) -> {
            String errorId = UUID.randomUUID().toString();
            LOG.error("request {} {} failed unexpectedly, error id {}", context.method(), context.path(), errorId, exception);
            TaxiiErrors.write(context, ErrorCode.INTERNAL_ERROR, "internal error " + errorId + "; the server log has its details");
        });
    }

    private static void checkTlsFiles(TaxiiServerConfig.Tls tls)
    {
        if (!Files.isReadable(tls.keystore())) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key 'http.tls.keystore': cannot read " + tls.keystore());
        }
        if (tls.truststore().isPresent() && !Files.isReadable(tls.truststore().get())) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key 'http.tls.truststore': cannot read " + tls.truststore().get());
        }
    }

    private static void addTlsConnector(JavalinConfig javalin, TaxiiServerConfig config, TaxiiServerConfig.Tls tls)
    {
        javalin.jetty.addConnector((server, httpConfiguration) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tls.keystore().toString());
            ssl.setKeyStorePassword(tls.keystorePassword());
            ssl.setKeyStoreType("PKCS12");
            tls.truststore().ifPresent(truststore -> {
                ssl.setTrustStorePath(truststore.toString());
                ssl.setTrustStorePassword(tls.truststorePassword().orElseThrow());
                ssl.setTrustStoreType("PKCS12");
            });
            switch (tls.clientAuthentication()) {
                case NONE -> { }
                case WANT -> ssl.setWantClientAuth(true);
                case NEED -> ssl.setNeedClientAuth(true);
            }
            HttpConfiguration https = new HttpConfiguration(httpConfiguration);
            SecureRequestCustomizer customizer = new SecureRequestCustomizer();
            // Clients reach the node by IP or by names missing from its certificate; hostname checks are the client's job.
            customizer.setSniHostCheck(false);
            https.addCustomizer(customizer);
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
            connector.setHost(config.bind());
            connector.setPort(config.port());
            return connector;
        });
    }

    private static final class ContributedRoutes
            implements Routes
    {
        private final RoutesConfig routes;
        private final RequestAuthentication authenticator;

        ContributedRoutes(RoutesConfig routes, RequestAuthentication authenticator)
        {
            this.routes = routes;
            this.authenticator = authenticator;
        }

        @Override
        public void get(String path, AuthenticatedHandler handler)
        {
            add(HandlerType.GET, path, handler);
        }

        @Override
        public void post(String path, AuthenticatedHandler handler)
        {
            add(HandlerType.POST, path, handler);
        }

        @Override
        public void put(String path, AuthenticatedHandler handler)
        {
            add(HandlerType.PUT, path, handler);
        }

        @Override
        public void delete(String path, AuthenticatedHandler handler)
        {
            add(HandlerType.DELETE, path, handler);
        }

        @Override
        public void publicGet(String path, Handler handler)
        {
            routes.get(path, handler);
        }

        @Override
        public AuthenticatedUser authenticate(Context context)
        {
            return authenticator.authenticateNodeUser(context);
        }

        @Override
        public RoutesConfig javalin()
        {
            return routes;
        }

        private void add(HandlerType method, String path, AuthenticatedHandler handler)
        {
            routes.addHttpHandler(method, path, context -> handler.handle(context, authenticator.authenticateNodeUser(context)));
        }
    }
}
