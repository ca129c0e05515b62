package org.vigie.exchange.service;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.partner.Partner;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * HTTPS with mutual TLS to partners: one client per partner, presenting this node's key and
 * trusting only the partner's pinned certificate. A client is rebuilt when the pin changes.
 */
final class PartnerTransport
{
    record Response(int status, String body) {}

    private record Pinned(String fingerprint, HttpClient client) {}

    private final ExchangeConfig config;
    private final Map<String, Pinned> clients = new ConcurrentHashMap<>();
    private volatile KeyManagerFactory keyManagers;

    PartnerTransport(ExchangeConfig config)
    {
        this.config = requireNonNull(config, "config is null");
    }

    static URI inboxUri(Partner partner)
    {
        return partner.endpoint().resolve(ExchangeService.INBOX_PATH);
    }

    Response post(Partner partner, URI uri, String contentType, String body)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = client(partner).send(postRequest(uri, contentType, body), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    /** As {@link #post}, without waiting: several requests to one partner may be in flight (on separate connections). */
    CompletableFuture<Response> postAsync(Partner partner, URI uri, String contentType, String body)
    {
        return client(partner).sendAsync(postRequest(uri, contentType, body), HttpResponse.BodyHandlers.ofString()).thenApply(response -> new Response(response.statusCode(), response.body()));
    }

    private HttpRequest postRequest(URI uri, String contentType, String body)
    {
        return HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    Response get(Partner partner, URI uri)
            throws IOException, InterruptedException
    {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = client(partner).send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    void close()
    {
        clients.clear();
    }

    private HttpClient client(Partner partner)
    {
        Pinned pinned = clients.compute(partner.id(), (id, existing) -> existing != null && existing.fingerprint().equals(partner.certificateSha256())
                ? existing
                : new Pinned(partner.certificateSha256(), build(partner)));
        return pinned.client();
    }

    private HttpClient build(Partner partner)
    {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers().getKeyManagers(), new TrustManager[] {new PinnedTrustManager(partner.id(), partner.certificateSha256())}, null);
            return HttpClient.newBuilder()
                    .sslContext(context)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(config.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        catch (GeneralSecurityException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "cannot set up TLS to partner " + partner.id() + ": " + e.getMessage(), e);
        }
    }

    private KeyManagerFactory keyManagers()
    {
        KeyManagerFactory loaded = keyManagers;
        if (loaded != null) {
            return loaded;
        }
        if (config.keystore().isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key '" + ExchangeConfig.KEYSTORE + "' is not set: this node has no TLS key to present to partners");
        }
        char[] password = config.keystorePassword().orElseThrow().toCharArray();
        try (InputStream input = Files.newInputStream(config.keystore().get())) {
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            keystore.load(input, password);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keystore, password);
            keyManagers = factory;
            return factory;
        }
        catch (IOException | GeneralSecurityException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key '" + ExchangeConfig.KEYSTORE + "': cannot load " + config.keystore().get() + ": " + e.getMessage(), e);
        }
    }
}
