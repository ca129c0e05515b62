package org.vigie.node.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.kafka.KafkaHealth;
import org.vigie.kafka.MatchWorker;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * A matching worker's own HTTP endpoint ({@code match-worker.metrics-port}): {@code GET /health} answers
 * {@code ok} (200) while the worker runs and 503 once it has stopped on an error, and {@code GET /metrics}
 * the worker's Prometheus metrics: observations, matches and rejected records (counters: per second with
 * {@code rate()}), batches and their time, the group's consumer lag on the observations topic and the
 * indicators held, with the JVM's. Unauthenticated, like any Prometheus exporter: bind it to an address only
 * the monitoring network reaches.
 */
final class MatchWorkerEndpoint
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(MatchWorkerEndpoint.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private MatchWorkerEndpoint(HttpServer server, MatchWorker worker, KafkaHealth kafka, String groupId)
    {
        this.server = server;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        FunctionCounter.builder("vigie_match_worker_observations", worker, MatchWorker::observations)
                .description("Observations matched by this worker").register(registry);
        FunctionCounter.builder("vigie_match_worker_matches", worker, MatchWorker::sightings)
                .description("Matches found, each written as a sighting and acknowledged by Kafka").register(registry);
        FunctionCounter.builder("vigie_match_worker_rejected", worker, MatchWorker::rejected)
                .description("Records skipped as unreadable observations").register(registry);
        FunctionTimer.builder("vigie_match_worker_batch", worker, MatchWorker::batches, MatchWorker::batchNanoseconds, TimeUnit.NANOSECONDS)
                .description("Batches matched, from the first record decoded to the last sighting acknowledged").register(registry);
        Gauge.builder("vigie_match_worker_indicators", worker, MatchWorker::indicators)
                .description("Indicators held by this worker's matcher").register(registry);
        // Read at each scrape; the last value stays when Kafka does not answer, the failure is logged.
        AtomicLong lag = new AtomicLong(-1);
        Gauge.builder("vigie_match_worker_consumer_lag_records", () -> {
            try {
                lag.set(kafka.observationLag(groupId));
            }
            catch (VigieException e) {
                LOG.warn("match worker metrics: {}", e.getMessage());
            }
            return lag.get();
        }).description("Observation records the workers' consumer group has not committed yet (-1 before the first reading)").tag("group", groupId).register(registry);
        server.createContext("/health", exchange -> answer(exchange, worker.failure().isEmpty() ? 200 : 503,
                worker.failure().map(failure -> "stopped: " + failure.getMessage() + "\n").orElse("ok\n"), "text/plain; charset=utf-8"));
        server.createContext("/metrics", exchange -> answer(exchange, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "vigie-match-worker-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
    }

    /** Listens on {@code bind}:{@code port} (0 is not allowed here: the caller starts no endpoint then). */
    static MatchWorkerEndpoint start(String bind, int port, MatchWorker worker, KafkaHealth kafka, String groupId)
    {
        requireNonNull(bind, "bind is null");
        requireNonNull(worker, "worker is null");
        requireNonNull(kafka, "kafka is null");
        requireNonNull(groupId, "groupId is null");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "match-worker.metrics-port: cannot listen on " + bind + ":" + port + ": " + e.getMessage());
        }
        MatchWorkerEndpoint endpoint = new MatchWorkerEndpoint(server, worker, kafka, groupId);
        server.start();
        return endpoint;
    }

    private static void answer(HttpExchange exchange, int status, String body, String contentType)
            throws IOException
    {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    int port()
    {
        return server.getAddress().getPort();
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }
}
