package org.vigie.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.VigieException;
import org.vigie.pattern.Observation;
import org.vigie.pattern.cli.MatchTool;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.Match;
import org.vigie.pattern.match.MatcherOptions;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

final class KafkaMatchWorker
        implements MatchWorker
{
    static final String WORKER_HEADER = "vigie-worker";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaMatchWorker.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final KafkaConfig kafka;
    private final MatchWorkerConfig config;
    private final IndicatorSource indicators;
    private final String name;
    private final String sightingsTopic;
    private final BulkMatcher matcher;
    private final KafkaProducer<String, String> producer;
    private final ScheduledExecutorService updater;
    private final AtomicLong indicatorErrors = new AtomicLong();
    private final AtomicLong observations = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong sightings = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchNanoseconds = new AtomicLong();
    private final BatchObserver acknowledged;
    private CommittingConsumer consumer;

    /** Told of each batch whose sightings are acknowledged, before its offsets are committed (tests crash there). */
    interface BatchObserver
    {
        void acknowledged(long batch, int observations, int sightings);
    }

    private KafkaMatchWorker(KafkaConfig kafka, MatchWorkerConfig config, IndicatorSource indicators, InstantSource clock, BatchObserver acknowledged)
    {
        this.acknowledged = requireNonNull(acknowledged, "acknowledged is null");
        this.kafka = requireNonNull(kafka, "kafka is null");
        this.config = requireNonNull(config, "config is null");
        this.indicators = requireNonNull(indicators, "indicators is null");
        this.name = kafka.clientId() + "-match-worker-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
        this.sightingsTopic = KafkaTopics.sightings(kafka);
        this.matcher = BulkMatcher.create(requireNonNull(clock, "clock is null"), MatcherOptions.DEFAULT);
        this.producer = KafkaClients.producer(kafka, "match-worker-sightings");
        this.updater = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-indicators");
            thread.setDaemon(true);
            return thread;
        });
    }

    static MatchWorker start(KafkaConfig kafka, MatchWorkerConfig config, IndicatorSource indicators, InstantSource clock)
    {
        return start(kafka, config, indicators, clock, (batch, observations, sightings) -> {});
    }

    static MatchWorker start(KafkaConfig kafka, MatchWorkerConfig config, IndicatorSource indicators, InstantSource clock, BatchObserver acknowledged)
    {
        KafkaTopics.ensure(kafka, List.of(KafkaTopics.observations(kafka), KafkaTopics.sightings(kafka)));
        KafkaMatchWorker worker = new KafkaMatchWorker(kafka, config, indicators, clock, acknowledged);
        try {
            // Every indicator present at start is compiled before the first observation is read.
            for (JsonNode indicator : indicators.initial()) {
                worker.upsert(indicator);
            }
            worker.updater.scheduleWithFixedDelay(worker::refresh, config.indicatorRefresh().toMillis(), config.indicatorRefresh().toMillis(), TimeUnit.MILLISECONDS);
            worker.consumer = new CommittingConsumer(
                    worker.name,
                    KafkaClients.groupConsumer(kafka, config.groupId(), worker.name, config.batchSize(), (int) config.sessionTimeout().toMillis()),
                    KafkaTopics.observations(kafka),
                    worker::match);
            worker.consumer.start();
            return worker;
        }
        catch (RuntimeException e) {
            worker.close();
            throw e;
        }
    }

    private void refresh()
    {
        // A failing source (store briefly unavailable) is retried at the next refresh; matching goes on meanwhile.
        try {
            for (IndicatorUpdate update : indicators.updates()) {
                switch (update.kind()) {
                    case UPSERT -> upsert(update.indicator().orElseThrow());
                    case REMOVE -> matcher.remove(update.indicatorId());
                }
            }
            matcher.removeExpired();
        }
        catch (RuntimeException e) {
            LOG.warn("{}: reading indicator updates failed, retrying in {}: {}", name, config.indicatorRefresh(), e.toString());
        }
    }

    private void upsert(JsonNode indicator)
    {
        try {
            matcher.upsert(indicator);
        }
        catch (VigieException e) {
            indicatorErrors.incrementAndGet();
            LOG.warn("{}: indicator {} not loaded: {}", name, indicator.path("id").asString("(no id)"), e.getMessage());
        }
    }

    /** Matches a batch and returns once every sighting of it is acknowledged; the consumer then commits. */
    private void match(List<ConsumerRecord<String, String>> records)
    {
        long started = System.nanoTime();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        byte[] worker = name.getBytes(StandardCharsets.UTF_8);
        for (ConsumerRecord<String, String> record : records) {
            Observation observation;
            try {
                observation = ObservationRecords.decode(record.topic(), record.partition(), record.offset(), record.value());
            }
            catch (VigieException e) {
                rejected.incrementAndGet();
                LOG.warn("{}: skipped: {}", name, e.getMessage());
                continue;
            }
            // The record's own timestamp, not the clock: a batch matched again after a crash yields the very same
            // sightings (id and created), which the store then recognises as duplicates.
            Instant created = Instant.ofEpochMilli(record.timestamp());
            for (Match match : matcher.match(observation)) {
                ObjectNode sighting = MatchTool.sighting(match, created, config.createdByRef());
                ProducerRecord<String, String> out = new ProducerRecord<>(sightingsTopic, sighting.get("id").stringValue(), StixJson.compact(sighting));
                out.headers().add(WORKER_HEADER, worker);
                sends.add(producer.send(out));
            }
            observations.incrementAndGet();
        }
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            KafkaClients.acknowledged(send, "match worker " + name + ": sightings to " + sightingsTopic + " on " + kafka.bootstrapServers());
        }
        sightings.addAndGet(sends.size());
        batchNanoseconds.addAndGet(System.nanoTime() - started);
        acknowledged.acknowledged(batches.incrementAndGet(), records.size(), sends.size());
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int indicators()
    {
        return matcher.size();
    }

    @Override
    public long indicatorErrors()
    {
        return indicatorErrors.get();
    }

    @Override
    public long observations()
    {
        return observations.get();
    }

    @Override
    public long rejected()
    {
        return rejected.get();
    }

    @Override
    public long sightings()
    {
        return sightings.get();
    }

    @Override
    public long batches()
    {
        return batches.get();
    }

    @Override
    public long batchNanoseconds()
    {
        return batchNanoseconds.get();
    }

    @Override
    public long committed()
    {
        return consumer == null ? 0 : consumer.committedRecords();
    }

    @Override
    public Optional<Throwable> failure()
    {
        return consumer == null ? Optional.empty() : consumer.failure();
    }

    private void stopUpdater()
    {
        // Not interrupted at once: a refresh in progress finishes (a Kafka source waits at most a poll).
        updater.shutdown();
        try {
            if (!updater.awaitTermination(10, TimeUnit.SECONDS)) {
                updater.shutdownNow();
            }
        }
        catch (InterruptedException e) {
            updater.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        try {
            if (consumer != null) {
                consumer.close();
            }
        }
        finally {
            stopUpdater();
            try {
                producer.close();
            }
            finally {
                indicators.close();
            }
        }
    }
}
