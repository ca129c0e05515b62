package org.vigie.exchange.service;

import org.vigie.config.ConfigurationValues;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Configuration of the exchange. Keys (all optional):
 * <ul>
 * <li>{@code exchange.inbox.collection} (default {@code exchange-inbound}): the collection of the object
 * store that received objects are stored in (created if missing)</li>
 * <li>{@code exchange.outbox.retry-initial-milliseconds} (default 1000) and
 * {@code exchange.outbox.retry-max-milliseconds} (default 300000): the delay before the n-th retry is
 * {@code min(max, initial * 2^(n-1))}, of which a random half is kept (jitter)</li>
 * <li>{@code exchange.outbox.batch-size} (default 1000): envelopes pushed per partner per delivery round</li>
 * <li>{@code exchange.delivery.envelopes-per-request} (default 50): a partner that is behind gets up to this
 * many envelopes in one request (at most 16 MiB), stored and committed together by the partner</li>
 * <li>{@code exchange.delivery.requests-in-flight} (default 3, 1..16): requests sent to a partner that is behind
 * before the first answer is awaited (the partner verifies the next while it stores the one before, in order)</li>
 * <li>{@code exchange.delivery.parallel-partners} (default 16): partners pushed to at the same time in a round</li>
 * <li>{@code exchange.delivery.connect-timeout-milliseconds} (default 5000),
 * {@code exchange.delivery.request-timeout-milliseconds} (default 30000)</li>
 * <li>{@code exchange.tls.keystore}, {@code exchange.tls.keystore-password}: PKCS12 keystore with this
 * node's TLS key and certificate, presented to partners (normally the same as {@code http.tls.keystore});
 * required to push</li>
 * <li>{@code exchange.follow-new-versions} (default false): a new version written to the store whose markings
 * and labels are unchanged (only its content changed) is sent to the partners that hold the object; by default
 * only revocations and narrowed markings follow on their own (see {@link ExchangeService#followStore})</li>
 * </ul>
 */
public record ExchangeConfig(
        String inboxCollection,
        Duration retryInitial,
        Duration retryMax,
        int batchSize,
        int envelopesPerRequest,
        int requestsInFlight,
        int parallelPartners,
        Duration connectTimeout,
        Duration requestTimeout,
        Optional<Path> keystore,
        Optional<String> keystorePassword,
        boolean followNewVersions)
{
    public static final String INBOX_COLLECTION = "exchange.inbox.collection";
    public static final String RETRY_INITIAL = "exchange.outbox.retry-initial-milliseconds";
    public static final String RETRY_MAX = "exchange.outbox.retry-max-milliseconds";
    public static final String BATCH_SIZE = "exchange.outbox.batch-size";
    public static final String ENVELOPES_PER_REQUEST = "exchange.delivery.envelopes-per-request";
    public static final String REQUESTS_IN_FLIGHT = "exchange.delivery.requests-in-flight";
    public static final String PARALLEL_PARTNERS = "exchange.delivery.parallel-partners";
    public static final String CONNECT_TIMEOUT = "exchange.delivery.connect-timeout-milliseconds";
    public static final String REQUEST_TIMEOUT = "exchange.delivery.request-timeout-milliseconds";
    public static final String KEYSTORE = "exchange.tls.keystore";
    public static final String KEYSTORE_PASSWORD = "exchange.tls.keystore-password";
    public static final String FOLLOW_NEW_VERSIONS = "exchange.follow-new-versions";

    public static final String DEFAULT_INBOX_COLLECTION = "exchange-inbound";
    private static final Set<String> KEYS = Set.of(INBOX_COLLECTION, RETRY_INITIAL, RETRY_MAX, BATCH_SIZE, ENVELOPES_PER_REQUEST, REQUESTS_IN_FLIGHT, PARALLEL_PARTNERS, CONNECT_TIMEOUT, REQUEST_TIMEOUT, KEYSTORE, KEYSTORE_PASSWORD,
            FOLLOW_NEW_VERSIONS);
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public ExchangeConfig
    {
        requireNonNull(inboxCollection, "inboxCollection is null");
        requireNonNull(retryInitial, "retryInitial is null");
        requireNonNull(retryMax, "retryMax is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(keystore, "keystore is null");
        requireNonNull(keystorePassword, "keystorePassword is null");
        if (!COLLECTION.matcher(inboxCollection).matches()) {
            throw ConfigurationValues.invalid(INBOX_COLLECTION, inboxCollection, "must be 1 to 128 letters, digits, '.', '_' or '-'");
        }
        if (retryInitial.toMillis() < 1) {
            throw ConfigurationValues.invalid(RETRY_INITIAL, Long.toString(retryInitial.toMillis()), "must be at least 1");
        }
        if (retryMax.compareTo(retryInitial) < 0) {
            throw ConfigurationValues.invalid(RETRY_MAX, Long.toString(retryMax.toMillis()), "must not be less than " + RETRY_INITIAL + " (" + retryInitial.toMillis() + ")");
        }
        if (batchSize < 1) {
            throw ConfigurationValues.invalid(BATCH_SIZE, Integer.toString(batchSize), "must be at least 1");
        }
        if (envelopesPerRequest < 1) {
            throw ConfigurationValues.invalid(ENVELOPES_PER_REQUEST, Integer.toString(envelopesPerRequest), "must be at least 1");
        }
        if (requestsInFlight < 1 || requestsInFlight > 16) {
            throw ConfigurationValues.invalid(REQUESTS_IN_FLIGHT, Integer.toString(requestsInFlight), "is outside 1..16");
        }
        if (parallelPartners < 1 || parallelPartners > 1_000) {
            throw ConfigurationValues.invalid(PARALLEL_PARTNERS, Integer.toString(parallelPartners), "is outside 1..1000");
        }
        if (connectTimeout.toMillis() < 1) {
            throw ConfigurationValues.invalid(CONNECT_TIMEOUT, Long.toString(connectTimeout.toMillis()), "must be at least 1");
        }
        if (requestTimeout.toMillis() < 1) {
            throw ConfigurationValues.invalid(REQUEST_TIMEOUT, Long.toString(requestTimeout.toMillis()), "must be at least 1");
        }
        if (keystore.isPresent() != keystorePassword.isPresent()) {
            throw ConfigurationValues.invalid(keystore.isPresent() ? KEYSTORE_PASSWORD : KEYSTORE, "must be set together with " + (keystore.isPresent() ? KEYSTORE : KEYSTORE_PASSWORD));
        }
    }

    public static ExchangeConfig defaults()
    {
        return fromProperties(Map.of());
    }

    /** Reads the {@code exchange.*} keys; unknown {@code exchange.*} keys are rejected so a misspelt key is not ignored. */
    public static ExchangeConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        ConfigurationValues values = ConfigurationValues.of(properties);
        values.rejectUnknownKeys("exchange.", KEYS);
        // Bounds beyond "fits an int" are checked by the constructor, which names each key's own range.
        return new ExchangeConfig(
                properties.getOrDefault(INBOX_COLLECTION, DEFAULT_INBOX_COLLECTION).strip(),
                Duration.ofMillis(values.wholeNumber(RETRY_INITIAL, 1_000L, Long.MIN_VALUE, Integer.MAX_VALUE)),
                Duration.ofMillis(values.wholeNumber(RETRY_MAX, 300_000L, Long.MIN_VALUE, Integer.MAX_VALUE)),
                values.wholeNumber(BATCH_SIZE, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE),
                values.wholeNumber(ENVELOPES_PER_REQUEST, 50, Integer.MIN_VALUE, Integer.MAX_VALUE),
                values.wholeNumber(REQUESTS_IN_FLIGHT, 3, Integer.MIN_VALUE, Integer.MAX_VALUE),
                values.wholeNumber(PARALLEL_PARTNERS, 16, Integer.MIN_VALUE, Integer.MAX_VALUE),
                Duration.ofMillis(values.wholeNumber(CONNECT_TIMEOUT, 5_000L, Long.MIN_VALUE, Integer.MAX_VALUE)),
                Duration.ofMillis(values.wholeNumber(REQUEST_TIMEOUT, 30_000L, Long.MIN_VALUE, Integer.MAX_VALUE)),
                Optional.ofNullable(properties.get(KEYSTORE)).map(String::strip).filter(value -> !value.isEmpty()).map(Path::of),
                Optional.ofNullable(properties.get(KEYSTORE_PASSWORD)).filter(value -> !value.isEmpty()),
                values.bool(FOLLOW_NEW_VERSIONS, false));
    }

    public ExchangeConfig withKeystore(Path path, String password)
    {
        return new ExchangeConfig(inboxCollection, retryInitial, retryMax, batchSize, envelopesPerRequest, requestsInFlight, parallelPartners, connectTimeout, requestTimeout, Optional.of(path), Optional.of(password), followNewVersions);
    }

    public ExchangeConfig withRetry(Duration initial, Duration max)
    {
        return new ExchangeConfig(inboxCollection, initial, max, batchSize, envelopesPerRequest, requestsInFlight, parallelPartners, connectTimeout, requestTimeout, keystore, keystorePassword, followNewVersions);
    }

    public ExchangeConfig withFollowNewVersions(boolean follow)
    {
        return new ExchangeConfig(inboxCollection, retryInitial, retryMax, batchSize, envelopesPerRequest, requestsInFlight, parallelPartners, connectTimeout, requestTimeout, keystore, keystorePassword, follow);
    }

    @Override
    public String toString()
    {
        // Never print the password.
        return "ExchangeConfig[inboxCollection=" + inboxCollection + ", retryInitial=" + retryInitial + ", retryMax=" + retryMax + ", batchSize=" + batchSize + ", envelopesPerRequest=" + envelopesPerRequest + ", requestsInFlight=" + requestsInFlight + ", parallelPartners=" + parallelPartners
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", keystore=" + keystore + ", followNewVersions=" + followNewVersions + "]";
    }
}
