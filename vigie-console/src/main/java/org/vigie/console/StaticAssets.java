package org.vigie.console;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's files, read once from the classpath folder {@value #FOLDER} and served from memory.
 * Only the files named here are served (no path from the request reaches the classpath). Every
 * response carries a strict Content-Security-Policy: scripts and styles only from this origin, no
 * inline code, no frames, requests only to this origin.
 */
final class StaticAssets
{
    static final String FOLDER = "/org/vigie/console/static/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final List<String> FILES = List.of(
            "index.html", "style.css", "app.js", "api.js", "badges.js", "feed.js", "knowledge.js", "graph.js", "graph-layout.js",
            "screening.js", "authoring.js", "sharing.js", "detection.js");

    private record Asset(byte[] content, String contentType) {}

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    StaticAssets()
    {
        for (String file : FILES) {
            try (InputStream in = StaticAssets.class.getResourceAsStream(FOLDER + file)) {
                if (in == null) {
                    throw new VigieException(ErrorCode.INTERNAL_ERROR, "console asset " + FOLDER + file + " is missing from the classpath");
                }
                assets.put(file, new Asset(in.readAllBytes(), contentType(file)));
            }
            catch (IOException e) {
                throw new VigieException(ErrorCode.IO_ERROR, "cannot read console asset " + FOLDER + file + ": " + e.getMessage(), e);
            }
        }
    }

    List<String> files()
    {
        return List.copyOf(assets.keySet());
    }

    void serve(Context context, String file)
    {
        Asset asset = assets.get(file);
        if (asset == null) {
            throw new VigieException(ErrorCode.RESOURCE_NOT_FOUND, "no console file " + file);
        }
        securityHeaders(context);
        context.header("Cache-Control", "no-cache");
        context.contentType(asset.contentType());
        context.result(asset.content());
    }

    static void securityHeaders(Context context)
    {
        context.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        context.header("X-Content-Type-Options", "nosniff");
        context.header("Referrer-Policy", "no-referrer");
        context.header("X-Frame-Options", "DENY");
    }

    private static String contentType(String file)
    {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        throw new IllegalArgumentException("no content type known for " + file);
    }
}
