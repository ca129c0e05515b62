package org.vigie.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.pattern.Observation;
import org.vigie.pattern.cli.MatchTool;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.Match;
import org.vigie.pattern.match.MatcherOptions;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoredObject;
import org.vigie.store.TestClock;
import org.vigie.store.VersionFilter;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.kafka.KafkaTestSupport.await;
import static org.vigie.kafka.KafkaTestSupport.header;

/** Matching workers against a real in-process broker; the scale-out test runs the workers as child JVMs. */
public class MatchWorkerTest
{
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final String INDICATORS = "1f6a3d2e-4c5b-4a69-8e7f-0a1b2c3d4e5f";
    private static final String SIGHTINGS = "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static KafkaTestCluster cluster;

    @TempDir
    Path directory;

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

    private static KafkaConfig kafka(String clientId, int partitions)
    {
        return new KafkaConfig(cluster.bootstrapServers(), "match-" + PREFIXES.incrementAndGet() + ".", clientId, partitions, Optional.empty());
    }

    /**
     * Three workers in child JVMs share a six-partition observation topic; one is killed (SIGKILL) in the middle
     * of a batch (its sightings written, its offsets not committed) while half the observations are still to come. Every observation is committed by the group, and the sightings, once
     * de-duplicated by their deterministic id, are exactly those a single in-process matcher finds: none lost,
     * none extra; the node's store holds each once, copies delivered again being recognised as duplicates.
     */
    @Test
    public void threeWorkerProcessesOneKilledMidStreamMatchEveryObservationOnceInEffect()
            throws Exception
    {
        int indicators = 100;
        int observations = 6_000;
        int every = 5;
        KafkaConfig kafka = kafka("scale-out", 6);
        Path indicatorStore = directory.resolve("indicators.db");
        TestClock storeClock = new TestClock(MatchingData.NOW);
        try (ObjectStore store = ObjectStores.sqlite(indicatorStore, storeClock)) {
            store.createCollection(CollectionInfo.of(INDICATORS, "indicators"));
            store.addObjects(INDICATORS, IntStream.range(0, indicators).mapToObj(MatchingData::indicator).toList());
        }
        // The reference: one matcher, in this JVM, over the same observations.
        BulkMatcher reference = BulkMatcher.create(InstantSource.fixed(MatchingData.NOW), MatcherOptions.DEFAULT);
        IntStream.range(0, indicators).forEach(index -> reference.upsert(MatchingData.indicator(index).tree()));
        Set<String> expectedIds = new HashSet<>();
        Set<List<String>> expectedPairs = new HashSet<>();
        for (int index = 0; index < observations; index++) {
            List<JsonNode> objects = MatchingData.observation(index, indicators, every);
            for (Match match : reference.match(Observation.fromObjects(objects).get(0))) {
                expectedIds.add(MatchTool.sighting(match, MatchingData.NOW, Optional.empty()).get("id").stringValue());
            }
            if (MatchingData.matches(index, every)) {
                expectedPairs.add(List.of(MatchingData.indicatorId(index % indicators), MatchingData.observedDataId(index)));
            }
        }
        assertThat(expectedIds).hasSize(observations / every);

        String group = "workers";
        List<Process> workers = new ArrayList<>();
        ObjectStore node = ObjectStores.inMemory(storeClock);
        node.createCollection(CollectionInfo.of(SIGHTINGS, "sightings"));
        try (ObservationLog log = ObservationLog.open(kafka);
                SightingLog sightingLog = SightingLog.startStoring(kafka, node, SIGHTINGS, "node");
                KafkaTestSupport.TopicReaderForTests sightings = new KafkaTestSupport.TopicReaderForTests(kafka.bootstrapServers(), SightingLog.topic(kafka));
                Admin admin = KafkaTestSupport.admin(kafka.bootstrapServers())) {
            // worker-a stops between writing the sightings of its third batch (or a later one with sightings) and
            // committing its offsets; it is killed there.
            workers.add(startWorker(kafka, "worker-a", indicatorStore, group, 3));
            workers.add(startWorker(kafka, "worker-b", indicatorStore, group, 0));
            workers.add(startWorker(kafka, "worker-c", indicatorStore, group, 0));
            for (String name : List.of("worker-a", "worker-b", "worker-c")) {
                Path output = directory.resolve(name + ".log");
                await(name + " started (see " + output + ")", TIMEOUT, () -> read(output).contains("started "));
            }
            Process victim = workers.get(0);
            String victimName = "worker-a-match-worker-" + victim.pid() + "-1";
            publish(log, 0, observations / 2, indicators, every);
            Path victimOutput = directory.resolve("worker-a.log");
            await("worker-a holds a batch", TIMEOUT, () -> read(victimOutput).contains("holding batch"));
            Matcher held = Pattern.compile("holding batch (\\d+) of (\\d+) observations, (\\d+) sightings").matcher(read(victimOutput));
            assertThat(held.find()).isTrue();
            int heldSightings = Integer.parseInt(held.group(3));
            victim.destroyForcibly();
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
            publish(log, observations / 2, observations, indicators, every);

            await("the workers committed every observation", TIMEOUT, () -> KafkaTestSupport.lag(admin, group, ObservationLog.topic(kafka)) == 0);
            await("the node stored every sighting", TIMEOUT, () -> KafkaTestSupport.lag(admin, "node", SightingLog.topic(kafka)) == 0);

            List<ConsumerRecord<String, String>> records = sightings.readToEnd();
            Map<String, String> byId = new HashMap<>();
            Set<List<String>> pairs = new HashSet<>();
            Map<String, Integer> perWorker = new HashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                JsonNode sighting = StixJson.parse(record.value());
                assertThat(record.key()).isEqualTo(sighting.get("id").stringValue());
                // A copy delivered again is the very same object, created time included.
                String earlier = byId.putIfAbsent(record.key(), record.value());
                assertThat(earlier == null || earlier.equals(record.value())).as("copies of %s are identical", record.key()).isTrue();
                assertThat(sighting.get("observed_data_refs")).hasSize(1);
                pairs.add(List.of(sighting.get("sighting_of_ref").stringValue(), sighting.get("observed_data_refs").get(0).stringValue()));
                perWorker.merge(header(record, KafkaMatchWorker.WORKER_HEADER), 1, Integer::sum);
            }
            assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(expectedIds);
            assertThat(pairs).containsExactlyInAnyOrderElementsOf(expectedPairs);
            // The held batch's sightings were written by the victim and again by the worker that took its partition.
            Set<String> victimIds = new HashSet<>();
            Set<String> otherIds = new HashSet<>();
            for (ConsumerRecord<String, String> record : records) {
                (header(record, KafkaMatchWorker.WORKER_HEADER).equals(victimName) ? victimIds : otherIds).add(record.key());
            }
            long writtenTwice = victimIds.stream().filter(otherIds::contains).count();
            assertThat(heldSightings).isPositive();
            assertThat(writtenTwice).isGreaterThanOrEqualTo(heldSightings);
            assertThat(records.size() - expectedIds.size()).isGreaterThanOrEqualTo(heldSightings);

            assertThat(sightingLog.failure()).isEmpty();
            assertThat(node.countObjects(SIGHTINGS)).isEqualTo(expectedIds.size());
            assertThat(sightingLog.stored()).isEqualTo(expectedIds.size());
            assertThat(sightingLog.stored() + sightingLog.duplicates()).isEqualTo(records.size());
            List<String> storedIds = node.findObjects(SIGHTINGS, ObjectQuery.all(10_000).withVersions(VersionFilter.ALL)).objects().stream()
                    .map(StoredObject::object).map(StixObject::id).toList();
            assertThat(storedIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedIds);
            // A figure for the report: copies are the victim's batch delivered again (zero when it was idle).
            System.out.printf("scale-out: %d observations, %d sightings expected, %d sighting records (%d copies; the killed worker's held batch %s had %s sightings), per worker %s%n",
                    observations, expectedIds.size(), records.size(), records.size() - expectedIds.size(), held.group(1), heldSightings, perWorker);
        }
        finally {
            for (Process worker : workers) {
                stop(worker);
            }
            node.close();
        }
    }

    private static void publish(ObservationLog log, int from, int to, int indicators, int every)
    {
        for (int index = from; index < to; index++) {
            List<JsonNode> objects = MatchingData.observation(index, indicators, every);
            log.publish(objects.get(0), objects);
        }
        log.flush();
    }

    private Process startWorker(KafkaConfig kafka, String clientId, Path indicatorStore, String group, int holdAfterBatch)
            throws Exception
    {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath, MatchWorkerProcess.class.getName(),
                kafka.bootstrapServers(), kafka.topicPrefix(), clientId, indicatorStore.toString(), INDICATORS, group, "50", "6000", Integer.toString(kafka.partitions()), Integer.toString(holdAfterBatch));
        builder.redirectErrorStream(true);
        builder.redirectOutput(directory.resolve(clientId + ".log").toFile());
        return builder.start();
    }

    private static void stop(Process worker)
            throws InterruptedException
    {
        if (!worker.isAlive()) {
            return;
        }
        try {
            worker.getOutputStream().close();
        }
        catch (java.io.IOException e) {
            // Its input is already closed: it is stopping.
        }
        if (!worker.waitFor(30, TimeUnit.SECONDS)) {
            worker.destroyForcibly();
            worker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file);
        }
        catch (java.io.IOException e) {
            return "";
        }
    }

    /**
     * New indicators in the store reach a running worker, and so do deletions; observations published before an
     * indicator existed are not matched against it afterwards; an unreadable record is skipped without blocking its
     * partition.
     */
    @Test
    public void workerFollowsNewIndicatorsFromTheStoreAndSkipsUnreadableRecords()
    {
        KafkaConfig kafka = kafka("store-source", 1);
        TestClock storeClock = new TestClock(MatchingData.NOW);
        try (ObjectStore store = ObjectStores.inMemory(storeClock)) {
            store.createCollection(CollectionInfo.of(INDICATORS, "indicators"));
            store.addObjects(INDICATORS, List.of(MatchingData.indicator(0)));
            MatchWorkerConfig config = MatchWorkerConfig.defaults(INDICATORS).withGroupId("store-source").withIndicatorRefresh(Duration.ofMillis(20));
            try (ObservationLog log = ObservationLog.open(kafka);
                    MatchWorker worker = MatchWorker.start(kafka, config, IndicatorSources.fromStore(store, INDICATORS), InstantSource.fixed(MatchingData.NOW));
                    KafkaProducer<String, String> raw = KafkaClients.producer(kafka, "raw")) {
                assertThat(worker.indicators()).isEqualTo(1);
                raw.send(new ProducerRecord<>(ObservationLog.topic(kafka), "garbage", "{not json"));
                raw.flush();
                publish(log, 1, MatchingData.indicatorAddress(1));
                await("two records committed", TIMEOUT, () -> worker.committed() == 2);
                assertThat(worker.rejected()).isEqualTo(1);

                storeClock.advance(Duration.ofSeconds(1));
                store.addObjects(INDICATORS, List.of(MatchingData.indicator(1)));
                await("the new indicator loaded", TIMEOUT, () -> worker.indicators() == 2);
                publish(log, 2, MatchingData.indicatorAddress(1));
                publish(log, 3, MatchingData.indicatorAddress(0));
                publish(log, 4, "192.168.0.1");
                await("five records committed", TIMEOUT, () -> worker.committed() == 5);

                assertThat(sightingPairs(kafka)).containsExactlyInAnyOrder(
                        List.of(MatchingData.indicatorId(1), MatchingData.observedDataId(2)),
                        List.of(MatchingData.indicatorId(0), MatchingData.observedDataId(3)));
                assertThat(worker.observations()).isEqualTo(4);
                assertThat(worker.sightings()).isEqualTo(2);

                // The store's own event log brings deletions too.
                assertThat(store.deleteObject(INDICATORS, MatchingData.indicatorId(0), VersionFilter.ALL, List.of())).isEqualTo(1);
                await("the deleted indicator removed", TIMEOUT, () -> worker.indicators() == 1);
                assertThat(worker.failure()).isEmpty();
            }
        }
    }

    /** With the Kafka event log as source, deleted indicators leave the worker and new versions replace old ones. */
    @Test
    public void workerFollowsIndicatorChangesFromTheKafkaEventLog()
    {
        KafkaConfig kafka = kafka("event-source", 1);
        TestClock storeClock = new TestClock(MatchingData.NOW);
        try (ObjectStore store = ObjectStores.inMemory(storeClock)) {
            store.createCollection(CollectionInfo.of(INDICATORS, "indicators"));
            store.addObjects(INDICATORS, List.of(MatchingData.indicator(0), MatchingData.indicator(1)));
            MatchWorkerConfig config = MatchWorkerConfig.defaults(INDICATORS).withGroupId("event-source").withIndicatorRefresh(Duration.ofMillis(20));
            try (KafkaEventLog events = KafkaEventLogs.relaying(kafka, store.events());
                    ObservationLog log = ObservationLog.open(kafka);
                    MatchWorker worker = MatchWorker.start(kafka, config, IndicatorSources.fromEventLog(events, store, INDICATORS), InstantSource.fixed(MatchingData.NOW))) {
                assertThat(worker.indicators()).isEqualTo(2);
                storeClock.advance(Duration.ofSeconds(1));
                store.addObjects(INDICATORS, List.of(MatchingData.indicator(2)));
                await("the added indicator loaded", TIMEOUT, () -> worker.indicators() == 3);
                storeClock.advance(Duration.ofSeconds(1));
                assertThat(store.deleteObject(INDICATORS, MatchingData.indicatorId(0), VersionFilter.ALL, List.of())).isEqualTo(1);
                await("the deleted indicator removed", TIMEOUT, () -> worker.indicators() == 2);

                publish(log, 10, MatchingData.indicatorAddress(0));
                publish(log, 11, MatchingData.indicatorAddress(1));
                publish(log, 12, MatchingData.indicatorAddress(2));
                await("three observations committed", TIMEOUT, () -> worker.committed() == 3);
                assertThat(sightingPairs(kafka)).containsExactlyInAnyOrder(
                        List.of(MatchingData.indicatorId(1), MatchingData.observedDataId(11)),
                        List.of(MatchingData.indicatorId(2), MatchingData.observedDataId(12)));
                assertThat(worker.failure()).isEmpty();
                assertThat(events.relayFailure()).isEmpty();
            }
        }
    }

    /**
     * Each caller of publishAcknowledged returns once its own records are acknowledged, with their count: one record
     * per observed-data, keyed by its id, carrying the objects it references and no others.
     */
    @Test
    public void publishedObservationsAreAcknowledgedPerCaller()
            throws Exception
    {
        KafkaConfig kafka = kafka("publish-acknowledged", 3);
        try (ObservationLog log = ObservationLog.open(kafka)) {
            List<Thread> callers = new ArrayList<>();
            Map<Integer, Integer> counts = new ConcurrentHashMap<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int caller = 0; caller < 4; caller++) {
                int first = caller * 10;
                Thread thread = new Thread(() -> {
                    List<JsonNode> objects = new ArrayList<>();
                    for (int index = first; index < first + 5; index++) {
                        objects.addAll(MatchingData.observation(index, MatchingData.indicatorAddress(index)));
                    }
                    counts.put(first, log.publishAcknowledged(objects));
                });
                // A caller's failure is the test's failure, with its cause, not a line on standard error.
                thread.setUncaughtExceptionHandler((failed, failure) -> failures.add(failure));
                callers.add(thread);
                thread.start();
            }
            for (Thread thread : callers) {
                thread.join();
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " of 4 callers failed");
                failures.forEach(error::addSuppressed);
                throw error;
            }
            assertThat(counts).hasSize(4).allSatisfy((first, count) -> assertThat(count).isEqualTo(5));
        }
        try (KafkaTestSupport.TopicReaderForTests reader = new KafkaTestSupport.TopicReaderForTests(kafka.bootstrapServers(), ObservationLog.topic(kafka))) {
            List<ConsumerRecord<String, String>> records = reader.readToEnd();
            assertThat(records).hasSize(20);
            for (ConsumerRecord<String, String> record : records) {
                JsonNode value = StixJson.parse(record.value());
                assertThat(value.get(0).get("id").stringValue()).isEqualTo(record.key());
                assertThat(value).hasSize(2);
                assertThat(value.get(1).get("type").stringValue()).isEqualTo("ipv4-addr");
            }
            assertThat(records.stream().map(ConsumerRecord::key).distinct()).hasSize(20);
        }
    }

    /** The same sighting delivered twice is stored once; a record that is no STIX object is skipped. */
    @Test
    public void sightingsDeliveredAgainAreStoredAsDuplicates()
    {
        KafkaConfig kafka = kafka("sighting-store", 2);
        try (ObjectStore node = ObjectStores.inMemory(new TestClock(MatchingData.NOW))) {
            node.createCollection(CollectionInfo.of(SIGHTINGS, "sightings"));
            List<Match> matches = new ArrayList<>();
            BulkMatcher matcher = BulkMatcher.create(InstantSource.fixed(MatchingData.NOW), MatcherOptions.DEFAULT);
            matcher.upsert(MatchingData.indicator(0).tree());
            matches.addAll(matcher.match(Observation.fromObjects(MatchingData.observation(20, MatchingData.indicatorAddress(0))).get(0)));
            matches.addAll(matcher.match(Observation.fromObjects(MatchingData.observation(21, MatchingData.indicatorAddress(0))).get(0)));
            List<JsonNode> sightings = matches.stream().map(match -> (JsonNode) MatchTool.sighting(match, MatchingData.OBSERVED, Optional.empty())).toList();
            assertThat(sightings).hasSize(2);
            try (SightingLog log = SightingLog.startStoring(kafka, node, SIGHTINGS, "node");
                    KafkaProducer<String, String> producer = KafkaClients.producer(kafka, "sightings")) {
                for (JsonNode sighting : List.of(sightings.get(0), sightings.get(1), sightings.get(0))) {
                    producer.send(new ProducerRecord<>(SightingLog.topic(kafka), sighting.get("id").stringValue(), StixJson.compact(sighting)));
                }
                producer.send(new ProducerRecord<>(SightingLog.topic(kafka), "garbage", "[]"));
                producer.flush();
                await("four records committed", TIMEOUT, () -> log.committed() == 4);
                assertThat(log.stored()).isEqualTo(2);
                assertThat(log.duplicates()).isEqualTo(1);
                assertThat(log.rejected()).isEqualTo(1);
                assertThat(log.failure()).isEmpty();
                assertThat(node.countObjects(SIGHTINGS)).isEqualTo(2);
            }
        }
    }

    private static void publish(ObservationLog log, int index, String address)
    {
        List<JsonNode> objects = MatchingData.observation(index, address);
        assertThat(log.publishAll(objects)).isEqualTo(1);
        log.flush();
    }

    private static List<List<String>> sightingPairs(KafkaConfig kafka)
    {
        try (KafkaTestSupport.TopicReaderForTests reader = new KafkaTestSupport.TopicReaderForTests(kafka.bootstrapServers(), SightingLog.topic(kafka))) {
            return reader.readToEnd().stream()
                    .map(record -> StixJson.parse(record.value()))
                    .map(sighting -> List.of(sighting.get("sighting_of_ref").stringValue(), sighting.get("observed_data_refs").get(0).stringValue()))
                    .toList();
        }
    }
}
