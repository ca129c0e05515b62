package org.vigie.taxii.client;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.taxii.client.TaxiiResources.ApiRoot;
import org.vigie.taxii.client.TaxiiResources.Collection;
import org.vigie.taxii.client.TaxiiResources.Discovery;
import org.vigie.taxii.client.TaxiiResources.Envelope;
import org.vigie.taxii.client.TaxiiResources.Manifest;
import org.vigie.taxii.client.TaxiiResources.ManifestRecord;
import org.vigie.taxii.client.TaxiiResources.Status;
import org.vigie.taxii.client.TaxiiResources.StatusDetail;
import org.vigie.taxii.client.TaxiiResources.Versions;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A TAXII 2.1 client over {@link java.net.http}. Every failure is a {@link VigieException} whose code
 * reflects the HTTP status (401 AUTHENTICATION_REQUIRED, 403 ACCESS_DENIED, 404 RESOURCE_NOT_FOUND, 406
 * NOT_ACCEPTABLE, 413 CONTENT_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, other 4xx INVALID_ARGUMENT, the rest
 * TAXII_CLIENT_FAILURE) and whose message carries the server's error resource.
 *
 * <p>Idempotent requests (GET, DELETE) are retried by the {@link RetryPolicy}; POSTs never are, because
 * the server may have stored the objects before the connection failed. Thread-safe.
 */
public final class TaxiiClient
{
    public static final String TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1";
    private static final Set<Integer> RETRIED_STATUSES = Set.of(429, 502, 503, 504);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final URI baseUri;
    private final String apiRoot;
    private final ClientCredentials credentials;
    private final RetryPolicy retryPolicy;
    private final Sleeper sleeper;
    private final Duration requestTimeout;
    private final HttpClient http;

    private TaxiiClient(Builder builder)
    {
        this.baseUri = builder.baseUri;
        this.apiRoot = builder.apiRoot;
        this.credentials = builder.credentials;
        this.retryPolicy = builder.retryPolicy;
        this.sleeper = builder.sleeper;
        this.requestTimeout = builder.requestTimeout;
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout);
        builder.sslContext.ifPresent(http::sslContext);
        this.http = http.build();
    }

    /** A client of the server at {@code baseUri} (such as {@code https://node:6543/}). */
    public static Builder builder(URI baseUri)
    {
        return new Builder(baseUri);
    }

    public static final class Builder
    {
        private final URI baseUri;
        private String apiRoot = "vigie";
        private ClientCredentials credentials = ClientCredentials.none();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Sleeper sleeper = Sleeper.system();
        private Optional<SSLContext> sslContext = Optional.empty();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(120);

        private Builder(URI baseUri)
        {
            requireNonNull(baseUri, "baseUri is null");
            String text = baseUri.toString();
            this.baseUri = text.endsWith("/") ? baseUri : URI.create(text + "/");
        }

        /** The API root's name, the first path segment of its URL (default {@code vigie}). */
        public Builder apiRoot(String name)
        {
            this.apiRoot = requireNonNull(name, "name is null");
            return this;
        }

        public Builder credentials(ClientCredentials credentials)
        {
            this.credentials = requireNonNull(credentials, "credentials is null");
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy)
        {
            this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy is null");
            return this;
        }

        public Builder sleeper(Sleeper sleeper)
        {
            this.sleeper = requireNonNull(sleeper, "sleeper is null");
            return this;
        }

        /** TLS settings: trusted server certificates and, for mutual TLS, the client's key. */
        public Builder sslContext(SSLContext sslContext)
        {
            this.sslContext = Optional.of(sslContext);
            return this;
        }

        public Builder connectTimeout(Duration timeout)
        {
            this.connectTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        public Builder requestTimeout(Duration timeout)
        {
            this.requestTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        public TaxiiClient build()
        {
            return new TaxiiClient(this);
        }
    }

    // --- endpoints ---

    public Discovery discovery()
    {
        JsonNode node = get(baseUri.resolve("taxii2/")).body();
        return new Discovery(node.path("title").asString(""), optionalText(node, "description"), optionalText(node, "default"), texts(node.path("api_roots")));
    }

    public ApiRoot apiRoot()
    {
        JsonNode node = get(apiRootUri("")).body();
        return new ApiRoot(node.path("title").asString(""), optionalText(node, "description"), texts(node.path("versions")), node.path("max_content_length").asLong(0));
    }

    public List<Collection> collections()
    {
        JsonNode node = get(apiRootUri("collections/")).body();
        List<Collection> collections = new ArrayList<>();
        for (JsonNode collection : node.path("collections")) {
            collections.add(collection(collection));
        }
        return List.copyOf(collections);
    }

    public Collection collection(String collectionId)
    {
        return collection(get(collectionUri(collectionId, "")).body());
    }

    /** One page of objects. */
    public Envelope getObjects(String collectionId, ObjectsQuery query)
    {
        return envelope(get(collectionUri(collectionId, "objects/" + query.toQueryString())));
    }

    /**
     * Every object matching the query, fetched page by page (following {@code next}) as the iteration
     * proceeds. Each page is a request: an iteration sees objects added before it reached them.
     */
    public Iterable<JsonNode> allObjects(String collectionId, ObjectsQuery query)
    {
        return () -> new PagingIterator(collectionId, query);
    }

    /** The versions of one object selected by the query's {@code versions} and {@code specVersions} (default: latest). */
    public Envelope getObject(String collectionId, String objectId, ObjectsQuery query)
    {
        return envelope(get(collectionUri(collectionId, "objects/" + encodeSegment(objectId) + "/" + query.toQueryString())));
    }

    public Versions versions(String collectionId, String objectId, ObjectsQuery query)
    {
        Response response = get(collectionUri(collectionId, "objects/" + encodeSegment(objectId) + "/versions/" + query.toQueryString()));
        JsonNode node = response.body();
        return new Versions(node.path("more").asBoolean(false), optionalText(node, "next"), texts(node.path("versions")),
                response.header("X-TAXII-Date-Added-First"), response.header("X-TAXII-Date-Added-Last"));
    }

    public Manifest manifest(String collectionId, ObjectsQuery query)
    {
        Response response = get(collectionUri(collectionId, "manifest/" + query.toQueryString()));
        JsonNode node = response.body();
        List<ManifestRecord> records = new ArrayList<>();
        for (JsonNode record : node.path("objects")) {
            records.add(new ManifestRecord(record.path("id").asString(""), record.path("date_added").asString(""), record.path("version").asString(""), record.path("media_type").asString("")));
        }
        return new Manifest(node.path("more").asBoolean(false), optionalText(node, "next"), records,
                response.header("X-TAXII-Date-Added-First"), response.header("X-TAXII-Date-Added-Last"));
    }

    /** POSTs objects (each the JSON text of one STIX object) in one envelope; returns the status resource. */
    public Status addObjects(String collectionId, List<String> objectJsons)
    {
        StringBuilder body = new StringBuilder(objectJsons.stream().mapToInt(String::length).sum() + objectJsons.size() + 16);
        body.append("{\"objects\":[");
        for (int index = 0; index < objectJsons.size(); index++) {
            if (index > 0) {
                body.append(',');
            }
            body.append(objectJsons.get(index));
        }
        body.append("]}");
        return addEnvelope(collectionId, body.toString());
    }

    /** POSTs a ready-made TAXII envelope (or STIX bundle) text. */
    public Status addEnvelope(String collectionId, String envelopeJson)
    {
        HttpRequest request = request(collectionUri(collectionId, "objects/"))
                .header("Content-Type", TAXII_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(envelopeJson, StandardCharsets.UTF_8))
                .build();
        return status(send(request, false).body());
    }

    public Status status(String statusId)
    {
        return status(get(apiRootUri("status/" + encodeSegment(statusId) + "/")).body());
    }

    /**
     * Polls a status resource until it is complete, waiting {@code interval} between polls, at most
     * {@code maxPolls} times; fails with TAXII_CLIENT_FAILURE when it is still pending.
     */
    public Status awaitStatus(String statusId, Duration interval, int maxPolls)
    {
        for (int poll = 1; ; poll++) {
            Status status = status(statusId);
            if (status.complete()) {
                return status;
            }
            if (poll >= maxPolls) {
                throw new VigieException(ErrorCode.TAXII_CLIENT_FAILURE, "status " + statusId + " is still " + status.status() + " after " + maxPolls + " polls");
            }
            pause(interval);
        }
    }

    /** Deletes the versions of an object selected by the query's {@code versions} and {@code specVersions}. */
    public void deleteObject(String collectionId, String objectId, ObjectsQuery query)
    {
        HttpRequest request = request(collectionUri(collectionId, "objects/" + encodeSegment(objectId) + "/" + query.toQueryString())).DELETE().build();
        send(request, true);
    }

    // --- plumbing ---

    private record Response(int status, JsonNode body, Function<String, Optional<String>> headers)
    {
        Optional<String> header(String name)
        {
            return headers.apply(name);
        }
    }

    private final class PagingIterator
            implements Iterator<JsonNode>
    {
        private final String collectionId;
        private ObjectsQuery query;
        private Iterator<JsonNode> page = List.<JsonNode>of().iterator();
        private boolean more = true;

        PagingIterator(String collectionId, ObjectsQuery query)
        {
            this.collectionId = collectionId;
            this.query = query;
        }

        @Override
        public boolean hasNext()
        {
            while (!page.hasNext() && more) {
                Envelope envelope = getObjects(collectionId, query);
                page = envelope.objects().iterator();
                more = envelope.more() && envelope.next().isPresent();
                if (more) {
                    query = query.withNext(envelope.next().get());
                }
            }
            return page.hasNext();
        }

        @Override
        public JsonNode next()
        {
            if (!hasNext()) {
                throw new NoSuchElementException("no more objects in collection " + collectionId);
            }
            return page.next();
        }
    }

    private Response get(URI uri)
    {
        return send(request(uri).GET().build(), true);
    }

    private HttpRequest.Builder request(URI uri)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", TAXII_MEDIA_TYPE);
        credentials.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private Response send(HttpRequest request, boolean idempotent)
    {
        int attempts = idempotent ? retryPolicy.maxAttempts() : 1;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            catch (IOException e) {
                if (attempt >= attempts) {
                    throw new VigieException(ErrorCode.TAXII_CLIENT_FAILURE, request.method() + " " + request.uri() + " failed after " + attempt + " attempt(s): " + e, e);
                }
                pause(retryPolicy.backoff(attempt));
                continue;
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VigieException(ErrorCode.TAXII_CLIENT_FAILURE, request.method() + " " + request.uri() + " was interrupted", e);
            }
            int status = response.statusCode();
            if (RETRIED_STATUSES.contains(status) && attempt < attempts) {
                pause(retryAfter(response).orElse(retryPolicy.backoff(attempt)));
                continue;
            }
            if (status < 200 || status > 299) {
                throw failure(request, response);
            }
            JsonNode body = response.body().isEmpty() ? MAPPER.createObjectNode() : parse(request, response.body());
            return new Response(status, body, name -> response.headers().firstValue(name));
        }
    }

    private Optional<Duration> retryAfter(HttpResponse<String> response)
    {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            Duration wait = Duration.ofSeconds(Long.parseLong(header.get().strip()));
            return Optional.of(wait.compareTo(retryPolicy.maxBackoff()) > 0 ? retryPolicy.maxBackoff() : wait);
        }
        catch (NumberFormatException e) {
            // An HTTP-date: fall back to the policy's own backoff.
            return Optional.empty();
        }
    }

    private void pause(Duration duration)
    {
        try {
            sleeper.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigieException(ErrorCode.TAXII_CLIENT_FAILURE, "interrupted while waiting to retry", e);
        }
    }

    private static VigieException failure(HttpRequest request, HttpResponse<String> response)
    {
        int status = response.statusCode();
        String detail = response.body();
        try {
            JsonNode error = MAPPER.readTree(response.body());
            detail = error.path("title").asString("") + ": " + error.path("description").asString("")
                    + (error.has("error_code") ? " (error_code " + error.path("error_code").asString("") + ")" : "");
        }
        catch (JacksonException e) {
            // Not a TAXII error resource: report the raw body.
        }
        ErrorCode code = switch (status) {
            case 401 -> ErrorCode.AUTHENTICATION_REQUIRED;
            case 403 -> ErrorCode.ACCESS_DENIED;
            case 404 -> ErrorCode.RESOURCE_NOT_FOUND;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.CONTENT_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 400 && status < 500 ? ErrorCode.INVALID_ARGUMENT : ErrorCode.TAXII_CLIENT_FAILURE;
        };
        return new VigieException(code, request.method() + " " + request.uri() + " answered HTTP " + status + ": " + detail);
    }

    private static JsonNode parse(HttpRequest request, String body)
    {
        try {
            return MAPPER.readTree(body);
        }
        catch (JacksonException e) {
            throw new VigieException(ErrorCode.TAXII_CLIENT_FAILURE, request.method() + " " + request.uri() + " answered a body that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private Envelope envelope(Response response)
    {
        JsonNode node = response.body();
        List<JsonNode> objects = new ArrayList<>();
        node.path("objects").forEach(objects::add);
        return new Envelope(node.path("more").asBoolean(false), optionalText(node, "next"), objects,
                response.header("X-TAXII-Date-Added-First"), response.header("X-TAXII-Date-Added-Last"));
    }

    private static Collection collection(JsonNode node)
    {
        return new Collection(node.path("id").asString(""), node.path("title").asString(""), optionalText(node, "description"), optionalText(node, "alias"),
                node.path("can_read").asBoolean(false), node.path("can_write").asBoolean(false), texts(node.path("media_types")));
    }

    private static Status status(JsonNode node)
    {
        return new Status(node.path("id").asString(""), node.path("status").asString(""), optionalText(node, "request_timestamp"),
                node.path("total_count").asInt(0), node.path("success_count").asInt(0), node.path("failure_count").asInt(0), node.path("pending_count").asInt(0),
                details(node.path("successes")), details(node.path("failures")), details(node.path("pendings")));
    }

    private static List<StatusDetail> details(JsonNode array)
    {
        List<StatusDetail> details = new ArrayList<>();
        for (JsonNode detail : array) {
            details.add(new StatusDetail(detail.path("id").asString(""), optionalText(detail, "version"), optionalText(detail, "message")));
        }
        return List.copyOf(details);
    }

    private static Optional<String> optionalText(JsonNode node, String property)
    {
        JsonNode value = node.get(property);
        return value != null && value.isString() ? Optional.of(value.stringValue()) : Optional.empty();
    }

    private static List<String> texts(JsonNode array)
    {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asString("")));
        return List.copyOf(texts);
    }

    private URI apiRootUri(String rest)
    {
        return baseUri.resolve(encodeSegment(apiRoot) + "/" + rest);
    }

    private URI collectionUri(String collectionId, String rest)
    {
        return apiRootUri("collections/" + encodeSegment(collectionId) + "/" + rest);
    }

    private static String encodeSegment(String segment)
    {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
