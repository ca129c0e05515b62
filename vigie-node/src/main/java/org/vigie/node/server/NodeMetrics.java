package org.vigie.node.server;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.detection.DetectionService;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.database.OutboxMonitor;
import org.vigie.kafka.KafkaEventLog;
import org.vigie.kafka.KafkaHealth;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.EventLog;
import org.vigie.taxii.server.RouteContributor;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The node's Prometheus metrics, scraped at {@code /metrics}:
 * <ul>
 * <li>{@code vigie_http_server_requests_seconds} (count, sum, max and histogram buckets) per method, route
 * (the matched path template, {@code unmatched} otherwise) and status: request rates and latencies;</li>
 * <li>{@code vigie_exchange_outbox_depth} and {@code vigie_exchange_last_receipt_age_seconds} per partner;</li>
 * <li>{@code vigie_event_log_position} (events committed) and {@code vigie_event_log_consumer_lag_events}
 * per consumer named in {@code metrics.event-log-consumers} (events committed after its saved cursor);</li>
 * <li>{@code vigie_console_search_index_behind_objects}: objects the console's search index does not hold yet;</li>
 * <li>{@code vigie_kafka_consumer_lag_records} of the matching workers' group and {@code vigie_event_log_relay_leader}
 * (1 on the replica relaying the event log to Kafka), with {@code kafka.enabled};</li>
 * <li>{@code vigie_detection_observations_total} and {@code vigie_detection_matches_total}: matcher
 * throughput as a rate;</li>
 * <li>the JVM's memory, threads and processors.</li>
 * </ul>
 * Values read from databases are refreshed at each scrape; a failing source is logged and keeps its last
 * values, so one unreachable database does not hide every other metric.
 */
final class NodeMetrics
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);
    private static final String START_ATTRIBUTE = "vigie.metrics.start";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final InstantSource clock;
    private final List<Runnable> refreshers = new CopyOnWriteArrayList<>();
    // One timer per method, route template and status, looked up by a small key: building and registering a
    // timer (its id, sorted tags, the registry's look-up) on every request cost about a twentieth of a page's CPU.
    // Bounded: routes are templates and methods and statuses are few.
    private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();

    private record RequestKey(String method, String route, int status)
    {
        RequestKey
        {
            requireNonNull(method, "method is null");
            requireNonNull(route, "route is null");
        }

        // Written out: a record's generated equals and hashCode go through method handles that showed in the profile.
        @Override
        public boolean equals(Object other)
        {
            return other instanceof RequestKey key && status == key.status && method.equals(key.method) && route.equals(key.route);
        }

        @Override
        public int hashCode()
        {
            return (method.hashCode() * 31 + route.hashCode()) * 31 + status;
        }
    }

    NodeMetrics(InstantSource clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Times every request of the server (TAXII, console, exchange, ingest, these endpoints). */
    RouteContributor requestTimer()
    {
        return routes -> {
            routes.javalin().before(context -> context.attribute(START_ATTRIBUTE, Timer.start(registry)));
            routes.javalin().after(this::recordRequest);
        };
    }

    private void recordRequest(Context context)
    {
        Timer.Sample sample = context.attribute(START_ATTRIBUTE);
        if (sample == null) {
            return;
        }
        RequestKey key = new RequestKey(context.method().name(), route(context), context.statusCode());
        Timer timer = requestTimers.get(key);
        sample.stop(timer != null ? timer : requestTimers.computeIfAbsent(key, this::newRequestTimer));
    }

    private Timer newRequestTimer(RequestKey key)
    {
        return Timer.builder("vigie_http_server_requests")
                .description("HTTP requests by method, matched route and status")
                .tags("method", key.method(), "route", key.route(), "status", Integer.toString(key.status()))
                .publishPercentileHistogram()
                .register(registry);
    }

    private static String route(Context context)
    {
        // The route template, not the path: paths carry ids, and each would be a new time series.
        Endpoint endpoint;
        try {
            endpoint = context.endpoints().lastHttpEndpoint();
        }
        catch (RuntimeException e) {
            return "unmatched";
        }
        return endpoint == null ? "unmatched" : endpoint.path;
    }

    /** Outbox depth and age of the last stored receipt, per partner. */
    void watchOutboxes(ExchangeDatabase database)
    {
        requireNonNull(database, "database is null");
        MultiGauge depth = MultiGauge.builder("vigie_exchange_outbox_depth").description("Envelopes queued for the partner and not yet stored by it").register(registry);
        MultiGauge age = MultiGauge.builder("vigie_exchange_last_receipt_age_seconds").description("Seconds since the partner's last STORED receipt was recorded").baseUnit("seconds")
                .register(registry);
        refreshers.add(refresher("exchange outboxes", () -> {
            Instant now = clock.instant();
            List<MultiGauge.Row<?>> depths = new ArrayList<>();
            List<MultiGauge.Row<?>> ages = new ArrayList<>();
            for (OutboxMonitor.PartnerOutbox partner : OutboxMonitor.partners(database)) {
                Tags tags = Tags.of("partner", partner.partnerId());
                depths.add(MultiGauge.Row.of(tags, partner.depth()));
                partner.lastStoredReceipt().ifPresent(last -> ages.add(MultiGauge.Row.of(tags, Math.max(0, Duration.between(last, now).toMillis()) / 1_000.0)));
            }
            depth.register(depths, true);
            age.register(ages, true);
        }));
    }

    /** The event log's position and the lag of the named consumers behind it. */
    void watchEventLog(EventLog log, List<String> consumers)
    {
        requireNonNull(log, "log is null");
        List<String> names = List.copyOf(consumers);
        MultiGauge position = MultiGauge.builder("vigie_event_log_position").description("Events committed to the store's event log (sum of its positions)").register(registry);
        MultiGauge lag = MultiGauge.builder("vigie_event_log_consumer_lag_events").description("Events committed after the consumer's saved cursor").register(registry);
        refreshers.add(refresher("event log", () -> {
            Cursor end = log.end();
            position.register(List.of(MultiGauge.Row.of(Tags.empty(), total(end))), true);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (String consumer : names) {
                Cursor saved = log.savedCursor(consumer).orElse(log.beginning());
                rows.add(MultiGauge.Row.of(Tags.of("consumer", consumer), lag(end, saved)));
            }
            lag.register(rows, true);
        }));
    }

    /** Events between two cursors of one log: per named position, how far the end is ahead. */
    static long lag(Cursor end, Cursor consumer)
    {
        long lag = 0;
        for (Map.Entry<String, Long> position : end.positions().entrySet()) {
            lag += Math.max(0, position.getValue() - consumer.position(position.getKey()).orElse(0));
        }
        return lag;
    }

    private static long total(Cursor cursor)
    {
        return cursor.positions().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether this replica relays the store's event log to Kafka now (1) or not (0). */
    void watchRelay(KafkaEventLog log)
    {
        requireNonNull(log, "log is null");
        Gauge.builder("vigie_event_log_relay_leader", log, relay -> relay.relaying() ? 1 : 0)
                .description("1 while this replica relays the store's event log to Kafka, 0 otherwise").register(registry);
    }

    /** The matching workers' consumer-group lag on the observations topic. */
    void watchKafka(KafkaHealth kafka, String groupId)
    {
        MultiGauge lag = MultiGauge.builder("vigie_kafka_consumer_lag_records").description("Observation records not yet committed by the matching workers' consumer group")
                .register(registry);
        refreshers.add(refresher("Kafka consumer lag", () -> lag.register(List.of(MultiGauge.Row.of(Tags.of("group", groupId), kafka.observationLag(groupId))), true)));
    }

    /** Observations matched and matches found by the live matcher, as counters (their rate is the throughput). */
    void watchDetection(DetectionService service)
    {
        requireNonNull(service, "service is null");
        FunctionCounter.builder("vigie_detection_observations", service, detection -> detection.status().observations())
                .description("Observations matched against the indicators").register(registry);
        FunctionCounter.builder("vigie_detection_matches", service, detection -> detection.status().matches())
                .description("Matches (sightings) found").register(registry);
        FunctionCounter.builder("vigie_detection_observations_published", service, detection -> detection.status().published())
                .description("Observations published to the Kafka matching workers (detection.ingest=kafka)").register(registry);
        Gauge.builder("vigie_detection_indicators", service, detection -> detection.status().indicators())
                .description("Indicators held by the matcher").register(registry);
    }

    /** How many objects the console's search index lacks (0 when it holds every committed change), read at each scrape. */
    void watchSearchIndex(LongSupplier behind)
    {
        requireNonNull(behind, "behind is null");
        AtomicLong value = new AtomicLong();
        Gauge.builder("vigie_console_search_index_behind_objects", value, AtomicLong::get)
                .description("Objects committed to the store that the console's search index does not hold yet").register(registry);
        refreshers.add(refresher("search index lag", () -> value.set(behind.getAsLong())));
    }

    void watchFeedLedger(LongSupplier reads)
    {
        requireNonNull(reads, "reads is null");
        // Read through a value the refresher holds, as the search index lag is: Micrometer keeps a meter's object
        // weakly, and nothing else held the supplier, so a garbage collection could leave the counter without a
        // value (the likely cause of a NodeMetricsTest failure seen in a full suite run).
        AtomicLong value = new AtomicLong();
        FunctionCounter.builder("vigie_console_feed_ledger_reads", value, AtomicLong::get)
                .description("Queries of the exchange's audit ledger made for the console's live feeds (one per change, whatever the number of open feeds)").register(registry);
        refreshers.add(refresher("live feed ledger reads", () -> value.set(reads.getAsLong())));
    }

    /** Refreshes the values read from databases, then renders every metric in Prometheus text format. */
    String scrape()
    {
        refreshers.forEach(Runnable::run);
        return registry.scrape();
    }

    private static Runnable refresher(String what, Runnable refresh)
    {
        return () -> {
            try {
                refresh.run();
            }
            catch (RuntimeException e) {
                LOG.warn("metrics: cannot read the {}: {}", what, e.getMessage());
            }
        };
    }

    /** For readiness: named checks that each answer whether a dependency is reachable. */
    record Check(String name, Supplier<Boolean> reachable)
    {
        Check
        {
            requireNonNull(name, "name is null");
            requireNonNull(reachable, "reachable is null");
        }
    }
}
