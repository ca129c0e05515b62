package org.vigie.taxii.server;

/**
 * Mounts further endpoints (ingest, screening, the web console, server-sent events) on the TAXII
 * server, behind the same listener, TLS and authentication. Called once while the server starts.
 */
@FunctionalInterface
public interface RouteContributor
{
    void addRoutes(Routes routes);
}
