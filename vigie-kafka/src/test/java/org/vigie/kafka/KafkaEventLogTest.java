package org.vigie.kafka;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.stix.StixObject;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.TestObjects;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.EventLogContractTest;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-log contract on Kafka: an SQLite store's events relayed to a real in-process broker and read back.
 * Each test uses its own topic prefix, as its store starts its sequences again at 1.
 */
public class KafkaEventLogTest
        extends EventLogContractTest
{
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static KafkaTestCluster cluster;

    @TempDir
    Path directory;

    private KafkaConfig config;
    private boolean relayStarted;

    @BeforeAll
    public static void startKafka()
            throws Exception
    {
        cluster = KafkaTestCluster.start();
    }

    @AfterAll
    public static void stopKafka()
            throws Exception
    {
        cluster.close();
    }

    @Override
    protected ObjectStore createStore(InstantSource clock)
    {
        config = KafkaConfig.defaults()
                .withBootstrapServers(cluster.bootstrapServers())
                .withTopicPrefix("test-" + PREFIXES.incrementAndGet() + ".");
        relayStarted = false;
        return ObjectStores.sqlite(directory.resolve("store.db"), clock);
    }

    @Override
    protected EventLog openLog(ObjectStore store)
    {
        // The first log opened relays the store's events; the others are consumers reconnecting elsewhere.
        if (!relayStarted) {
            relayStarted = true;
            return KafkaEventLogs.relaying(config, store.events());
        }
        return KafkaEventLogs.reading(config, store.events());
    }

    @Override
    protected void closeLog(EventLog log)
    {
        KafkaEventLog kafka = (KafkaEventLog) log;
        assertThat(kafka.relayFailure()).isEmpty();
        kafka.close();
    }

    @Override
    protected boolean totallyOrdered()
    {
        return false;
    }

    @Test
    public void restartedRelayResumesWithoutLossAndReadersSkipItsCopies()
    {
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < 30; index++) {
            ids.add(TestObjects.newId("indicator"));
        }
        store.addObjects(COLLECTION, ids.stream().map(id -> TestObjects.version(id, T1, "first")).toList());
        Cursor relayed = log.end();
        ((KafkaEventLog) log).close();
        // Written while no relay runs; then the relay's saved cursor is moved back, as when a relay dies after
        // sending a batch and before saving its cursor: the new relay sends the last 10 events again.
        store.addObjects(COLLECTION, ids.stream().map(id -> TestObjects.version(id, T2, "second")).toList());
        Cursor saved = store.events().savedCursor("kafka-relay/" + config.topicPrefix()).orElseThrow();
        assertThat(saved.positions()).containsEntry("sequence", 30L);
        store.events().saveCursor("kafka-relay/" + config.topicPrefix(), saved.with("sequence", 20L));

        try (KafkaEventLog restarted = KafkaEventLogs.relaying(config, store.events())) {
            Cursor end = restarted.end();
            EventBatch all = readUntil(restarted, restarted.beginning(), 60, 7);
            assertThat(all.events()).extracting(Event::sequence).doesNotHaveDuplicates().hasSize(60);
            assertThat(new HashSet<>(all.events().stream().map(Event::sequence).toList())).hasSize(60).allMatch(sequence -> sequence >= 1 && sequence <= 60);
            // The copies are in the topics (70 records), yet readers see 60 events.
            assertThat(end.positions()).isNotEmpty();
            assertThat(((KafkaEventLogImplementation) restarted).records()).isEqualTo(70);
            assertThat(restarted.poll(all.next(), 100).events()).isEmpty();
            assertThat(relayed.positions()).isNotEmpty();
            assertThat(restarted.relayFailure()).isEmpty();
        }
    }

    @Test
    public void relayThroughput()
    {
        int batches = 20;
        int batchSize = 500;
        long started = System.nanoTime();
        for (int batch = 0; batch < batches; batch++) {
            List<StixObject> objects = new ArrayList<>();
            for (int index = 0; index < batchSize; index++) {
                objects.add(TestObjects.version(TestObjects.newId("indicator"), T1, "bulk"));
            }
            store.addObjects(batch % 2 == 0 ? COLLECTION : OTHER_COLLECTION, objects);
        }
        long written = System.nanoTime();
        log.end();
        long relayedAt = System.nanoTime();
        EventBatch all = readUntil(log, log.beginning(), batches * batchSize, 1_000);
        long readAt = System.nanoTime();
        assertThat(all.events()).extracting(Event::sequence).doesNotHaveDuplicates();
        Map<String, Long> perCollection = new LinkedHashMap<>();
        all.events().forEach(event -> perCollection.merge(event.collectionId(), 1L, Long::sum));
        assertThat(perCollection).containsEntry(COLLECTION, 5_000L).containsEntry(OTHER_COLLECTION, 5_000L);
        // A figure for docs/BENCHMARKS.md, not an assertion: timing depends on the machine.
        System.out.printf("relay: %d events stored in %d ms; relay caught up %d ms later; read back in %d ms (%.0f events/s through the relay, %.0f events/s read)%n",
                batches * batchSize, (written - started) / 1_000_000, (relayedAt - written) / 1_000_000, (readAt - relayedAt) / 1_000_000,
                batches * batchSize / ((relayedAt - started) / 1e9), batches * batchSize / ((readAt - relayedAt) / 1e9));
        Set<Optional<java.time.Instant>> versions = new HashSet<>(all.events().stream().map(Event::version).toList());
        assertThat(versions).containsExactly(Optional.of(T1));
    }
}
