package org.vigie.taxii.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.vigie.taxii.auth.AuthenticatedUser;

/**
 * What a {@link RouteContributor} may add. Authenticated routes receive the {@link AuthenticatedUser};
 * a handler reports failures by throwing {@link org.vigie.error.VigieException} (see {@link TaxiiErrors}),
 * which the server answers with a TAXII error resource. Paths use Javalin's syntax ({@code /x/{id}}).
 */
public interface Routes
{
    @FunctionalInterface
    interface AuthenticatedHandler
    {
        void handle(Context context, AuthenticatedUser user)
                throws Exception;
    }

    void get(String path, AuthenticatedHandler handler);

    void post(String path, AuthenticatedHandler handler);

    void put(String path, AuthenticatedHandler handler);

    void delete(String path, AuthenticatedHandler handler);

    /** A route anyone may call, such as the login page or static assets of a web console. */
    void publicGet(String path, Handler handler);

    /** Authenticates a request by hand, for routes added through {@link #javalin()} (such as SSE). */
    AuthenticatedUser authenticate(Context context);

    /** Javalin's own routing, for what the methods above do not cover; such routes must call {@link #authenticate}. */
    RoutesConfig javalin();
}
