package org.vigie.kafka;

import org.vigie.config.ConfigurationValues;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A matching worker ({@code vigie match-worker}): keys {@code match-worker.group-id} (the consumer group the
 * workers share), {@code match-worker.indicator-collection} (required: the collection whose indicators are
 * matched), {@code match-worker.batch-size} (observations per poll; their offsets are committed together),
 * {@code match-worker.indicator-refresh-ms} (how often indicator changes are fetched),
 * {@code match-worker.session-timeout-ms} (how long a silent worker keeps its partitions),
 * {@code match-worker.created-by-ref} (identity put on sightings; absent: none), and the worker's own
 * {@code /metrics} and {@code /health} endpoint: {@code match-worker.metrics-port} (0, the default: none) and
 * {@code match-worker.metrics-bind} (its address, {@code 127.0.0.1} by default).
 */
public record MatchWorkerConfig(String groupId, String indicatorCollection, int batchSize, Duration indicatorRefresh, Duration sessionTimeout, Optional<String> createdByRef,
                                int metricsPort, String metricsBind)
{
    public static final String GROUP_ID = "match-worker.group-id";
    public static final String INDICATOR_COLLECTION = "match-worker.indicator-collection";
    public static final String BATCH_SIZE = "match-worker.batch-size";
    public static final String INDICATOR_REFRESH = "match-worker.indicator-refresh-ms";
    public static final String SESSION_TIMEOUT = "match-worker.session-timeout-ms";
    public static final String CREATED_BY_REF = "match-worker.created-by-ref";
    public static final String METRICS_PORT = "match-worker.metrics-port";
    public static final String METRICS_BIND = "match-worker.metrics-bind";

    public static final String DEFAULT_GROUP_ID = "vigie-match-workers";
    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final int MAXIMUM_BATCH_SIZE = 100_000;
    public static final Duration DEFAULT_INDICATOR_REFRESH = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);
    // The broker's default bounds (group.min.session.timeout.ms, group.max.session.timeout.ms).
    public static final Duration MINIMUM_SESSION_TIMEOUT = Duration.ofSeconds(6);
    public static final Duration MAXIMUM_SESSION_TIMEOUT = Duration.ofMinutes(30);
    public static final int DEFAULT_METRICS_PORT = 0;
    public static final String DEFAULT_METRICS_BIND = "127.0.0.1";

    private static final List<String> KEYS = List.of(GROUP_ID, INDICATOR_COLLECTION, BATCH_SIZE, INDICATOR_REFRESH, SESSION_TIMEOUT, CREATED_BY_REF, METRICS_PORT,
            METRICS_BIND);
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern IDENTITY = Pattern.compile("identity--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public MatchWorkerConfig
    {
        requireNonNull(groupId, "groupId is null");
        requireNonNull(indicatorCollection, "indicatorCollection is null");
        requireNonNull(indicatorRefresh, "indicatorRefresh is null");
        requireNonNull(sessionTimeout, "sessionTimeout is null");
        requireNonNull(createdByRef, "createdByRef is null");
        requireNonNull(metricsBind, "metricsBind is null");
        if (!GROUP.matcher(groupId).matches()) {
            throw ConfigurationValues.invalid(GROUP_ID, groupId, "may hold only letters, digits, '.', '_' and '-', 1 to 200 of them");
        }
        if (indicatorCollection.isBlank()) {
            throw ConfigurationValues.invalid(INDICATOR_COLLECTION, "is required: the collection whose indicators the workers match");
        }
        if (batchSize < 1 || batchSize > MAXIMUM_BATCH_SIZE) {
            throw ConfigurationValues.invalid(BATCH_SIZE, Integer.toString(batchSize), "is outside 1.." + MAXIMUM_BATCH_SIZE);
        }
        if (indicatorRefresh.toMillis() < 10 || indicatorRefresh.compareTo(Duration.ofHours(1)) > 0) {
            throw ConfigurationValues.invalid(INDICATOR_REFRESH, Long.toString(indicatorRefresh.toMillis()), "is outside 10..3600000");
        }
        if (sessionTimeout.compareTo(MINIMUM_SESSION_TIMEOUT) < 0 || sessionTimeout.compareTo(MAXIMUM_SESSION_TIMEOUT) > 0) {
            throw ConfigurationValues.invalid(SESSION_TIMEOUT, Long.toString(sessionTimeout.toMillis()),
                    "is outside " + MINIMUM_SESSION_TIMEOUT.toMillis() + ".." + MAXIMUM_SESSION_TIMEOUT.toMillis() + " (the broker's default bounds)");
        }
        if (createdByRef.isPresent() && !IDENTITY.matcher(createdByRef.get()).matches()) {
            throw ConfigurationValues.invalid(CREATED_BY_REF, createdByRef.get(), "is not an identity id (identity--<uuid>)");
        }
        if (metricsPort < 0 || metricsPort > 65_535) {
            throw ConfigurationValues.invalid(METRICS_PORT, Integer.toString(metricsPort), "is outside 0 (no endpoint)..65535");
        }
        if (metricsBind.isBlank()) {
            throw ConfigurationValues.invalid(METRICS_BIND, metricsBind, "must not be blank; give the address to listen on, such as 0.0.0.0");
        }
    }

    public static MatchWorkerConfig defaults(String indicatorCollection)
    {
        return new MatchWorkerConfig(DEFAULT_GROUP_ID, indicatorCollection, DEFAULT_BATCH_SIZE, DEFAULT_INDICATOR_REFRESH, DEFAULT_SESSION_TIMEOUT, Optional.empty(), DEFAULT_METRICS_PORT,
                DEFAULT_METRICS_BIND);
    }

    public MatchWorkerConfig withGroupId(String group)
    {
        return new MatchWorkerConfig(group, indicatorCollection, batchSize, indicatorRefresh, sessionTimeout, createdByRef, metricsPort, metricsBind);
    }

    public MatchWorkerConfig withBatchSize(int size)
    {
        return new MatchWorkerConfig(groupId, indicatorCollection, size, indicatorRefresh, sessionTimeout, createdByRef, metricsPort, metricsBind);
    }

    public MatchWorkerConfig withIndicatorRefresh(Duration refresh)
    {
        return new MatchWorkerConfig(groupId, indicatorCollection, batchSize, refresh, sessionTimeout, createdByRef, metricsPort, metricsBind);
    }

    public MatchWorkerConfig withSessionTimeout(Duration timeout)
    {
        return new MatchWorkerConfig(groupId, indicatorCollection, batchSize, indicatorRefresh, timeout, createdByRef, metricsPort, metricsBind);
    }

    public MatchWorkerConfig withMetricsPort(int port)
    {
        return new MatchWorkerConfig(groupId, indicatorCollection, batchSize, indicatorRefresh, sessionTimeout, createdByRef, port, metricsBind);
    }

    /** Reads the {@code match-worker.*} keys of a node configuration; unknown ones are rejected, by name. */
    public static MatchWorkerConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        ConfigurationValues values = ConfigurationValues.of(properties);
        values.rejectUnknownKeys("match-worker.", KEYS);
        // Blank counts as absent here: "is required" says more than "must not be blank".
        String collection = Optional.ofNullable(properties.get(INDICATOR_COLLECTION)).map(String::strip).filter(text -> !text.isEmpty())
                .orElseThrow(() -> ConfigurationValues.invalid(INDICATOR_COLLECTION, "is required: the collection whose indicators the workers match"));
        // Bounds of the whole numbers are checked by the constructor, which says which.
        return new MatchWorkerConfig(
                values.text(GROUP_ID, DEFAULT_GROUP_ID),
                collection,
                values.wholeNumber(BATCH_SIZE, DEFAULT_BATCH_SIZE, Integer.MIN_VALUE, Integer.MAX_VALUE),
                Duration.ofMillis(values.wholeNumber(INDICATOR_REFRESH, DEFAULT_INDICATOR_REFRESH.toMillis(), Long.MIN_VALUE, Long.MAX_VALUE)),
                Duration.ofMillis(values.wholeNumber(SESSION_TIMEOUT, DEFAULT_SESSION_TIMEOUT.toMillis(), Long.MIN_VALUE, Long.MAX_VALUE)),
                Optional.ofNullable(properties.get(CREATED_BY_REF)).map(String::strip).filter(text -> !text.isEmpty()),
                values.wholeNumber(METRICS_PORT, DEFAULT_METRICS_PORT, Integer.MIN_VALUE, Integer.MAX_VALUE),
                // Not through text(): a blank address gets the constructor's more helpful message.
                properties.getOrDefault(METRICS_BIND, DEFAULT_METRICS_BIND).strip());
    }
}
