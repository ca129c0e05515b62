package org.vigie.node.cli;

import org.vigie.kafka.IndicatorSource;
import org.vigie.kafka.IndicatorSources;
import org.vigie.kafka.KafkaEventLog;
import org.vigie.kafka.KafkaEventLogs;
import org.vigie.kafka.KafkaHealth;
import org.vigie.kafka.KafkaConfig;
import org.vigie.kafka.MatchWorker;
import org.vigie.kafka.MatchWorkerConfig;
import org.vigie.node.config.NodeConfig;
import org.vigie.store.ObjectStore;
import picocli.CommandLine;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "match-worker", mixinStandardHelpOptions = true,
        description = {"Run one matching worker: a member of a Kafka consumer group over the observations topic, holding the compiled indicators of a collection and writing sightings to the sightings topic.",
                "Reads kafka.* and match-worker.* keys from the data directory's vigie.properties; the options below override them. With kafka.enabled=true, indicator changes (deletions too) come from the node's event log on Kafka; otherwise from the store's own event log.",
                "Serves /metrics and /health on match-worker.metrics-port when set. Runs until stopped (Ctrl+C or SIGTERM)."})
final class MatchWorkerCommand
        implements Callable<Integer>
{
    /** Prefix of the line giving the metrics URL, for scripts and tests. */
    static final String METRICS_LINE = "Metrics: ";
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(5);

    private final CommandContext context;

    @CommandLine.Mixin
    DataDirectoryOption dataDirectory;

    @CommandLine.Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka brokers (overrides kafka.bootstrap-servers).")
    String bootstrapServers;

    @CommandLine.Option(names = "--indicators", paramLabel = "COLLECTION", description = "Collection whose indicators are matched (overrides match-worker.indicator-collection).")
    String indicatorCollection;

    @CommandLine.Option(names = "--group-id", paramLabel = "GROUP", description = "Consumer group (overrides match-worker.group-id).")
    String groupId;

    @CommandLine.Option(names = "--metrics-port", paramLabel = "N", description = "Port of the worker's /metrics and /health (overrides match-worker.metrics-port; 0: none).")
    Integer metricsPort;

    MatchWorkerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
            throws InterruptedException
    {
        NodeConfig config = dataDirectory.load();
        Map<String, String> properties = new TreeMap<>(config.featureProperties());
        putIfPresent(properties, KafkaConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        putIfPresent(properties, MatchWorkerConfig.INDICATOR_COLLECTION, indicatorCollection);
        putIfPresent(properties, MatchWorkerConfig.GROUP_ID, groupId);
        putIfPresent(properties, MatchWorkerConfig.METRICS_PORT, metricsPort == null ? null : metricsPort.toString());
        // Both validate their own keys and name the bad one; each ignores the other's.
        KafkaConfig kafka = KafkaConfig.fromProperties(properties);
        MatchWorkerConfig workerConfig = MatchWorkerConfig.fromProperties(properties);
        boolean eventLogOnKafka = KafkaConfig.enabled(properties);
        try (ObjectStore store = context.openStore(config);
                KafkaEventLog events = eventLogOnKafka ? KafkaEventLogs.reading(kafka, store.events()) : null;
                KafkaHealth health = KafkaHealth.open(kafka, KAFKA_TIMEOUT)) {
            // With the node's event log on Kafka, indicator changes (deletions too) come from it; otherwise from the
            // store's own event log, which the node writes in the transaction of each change.
            IndicatorSource indicators = events != null
                    ? IndicatorSources.fromEventLog(events, store, workerConfig.indicatorCollection())
                    : IndicatorSources.fromStore(store, workerConfig.indicatorCollection());
            MatchWorker worker = MatchWorker.start(kafka, workerConfig, indicators, context.clock());
            MatchWorkerEndpoint endpoint = null;
            try {
                if (workerConfig.metricsPort() != 0) {
                    endpoint = MatchWorkerEndpoint.start(workerConfig.metricsBind(), workerConfig.metricsPort(), worker, health, workerConfig.groupId());
                }
                return run(worker, workerConfig, endpoint);
            }
            finally {
                if (endpoint != null) {
                    endpoint.close();
                }
            }
        }
    }

    private int run(MatchWorker worker, MatchWorkerConfig workerConfig, MatchWorkerEndpoint endpoint)
            throws InterruptedException
    {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "vigie-match-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        context.out().println("match worker " + worker.name() + " joined group " + workerConfig.groupId() + " with " + worker.indicators() + " indicators");
        if (endpoint != null) {
            context.out().println(METRICS_LINE + "http://" + workerConfig.metricsBind() + ":" + endpoint.port() + "/metrics");
        }
        context.out().flush();
        // Wakes to notice a worker that failed on its own (its batch is redelivered to the other members).
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (worker.failure().isPresent()) {
                Runtime.getRuntime().removeShutdownHook(hook);
                worker.close();
                context.err().println("vigie: match worker stopped: " + worker.failure().get());
                return Main.FAILURE;
            }
        }
        return Main.OK;
    }

    private static void putIfPresent(Map<String, String> properties, String key, String value)
    {
        if (value != null) {
            properties.put(key, value);
        }
    }
}
