package org.vigie.node.cli;

import org.vigie.kafka.IndicatorSources;
import org.vigie.kafka.KafkaConfig;
import org.vigie.kafka.MatchWorker;
import org.vigie.kafka.MatchWorkerConfig;
import org.vigie.node.config.NodeConfig;
import org.vigie.store.ObjectStore;
import picocli.CommandLine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "match-worker", mixinStandardHelpOptions = true,
        description = {"Run one matching worker: a member of a Kafka consumer group over the observations topic, holding the compiled indicators of a collection and writing sightings to the sightings topic.",
                "Reads kafka.* and match-worker.* keys from the data directory's vigie.properties; the options below override them. Runs until stopped (Ctrl+C or SIGTERM)."})
final class MatchWorkerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @CommandLine.Mixin
    DataDirectoryOption dataDirectory;

    @CommandLine.Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka brokers (overrides kafka.bootstrap-servers).")
    String bootstrapServers;

    @CommandLine.Option(names = "--indicators", paramLabel = "COLLECTION", description = "Collection whose indicators are matched (overrides match-worker.indicator-collection).")
    String indicatorCollection;

    @CommandLine.Option(names = "--group-id", paramLabel = "GROUP", description = "Consumer group (overrides match-worker.group-id).")
    String groupId;

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
        // Both validate their own keys and name the bad one; each ignores the other's.
        KafkaConfig kafka = KafkaConfig.fromProperties(properties);
        MatchWorkerConfig workerConfig = MatchWorkerConfig.fromProperties(properties);
        try (ObjectStore store = context.openStore(config)) {
            MatchWorker worker = MatchWorker.start(kafka, workerConfig, IndicatorSources.fromStore(store, workerConfig.indicatorCollection()), context.clock());
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                worker.close();
                stopped.countDown();
            }, "vigie-match-worker-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            context.out().println("match worker " + worker.name() + " joined group " + workerConfig.groupId() + " with " + worker.indicators() + " indicators");
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
    }

    private static void putIfPresent(Map<String, String> properties, String key, String value)
    {
        if (value != null) {
            properties.put(key, value);
        }
    }
}
