package org.vigie.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.StixObject;
import org.vigie.store.AddOutcome;
import org.vigie.store.ObjectStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

final class StoringSightingLog
        implements SightingLog
{
    private static final Logger LOG = LoggerFactory.getLogger(StoringSightingLog.class);
    private static final int BATCH_SIZE = 500;
    // The classic protocol's default; the store's writes are quick, so a dead member is rare here.
    private static final int SESSION_TIMEOUT_MILLIS = 45_000;

    private final ObjectStore store;
    private final String collectionId;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private CommittingConsumer consumer;

    private StoringSightingLog(ObjectStore store, String collectionId)
    {
        this.store = requireNonNull(store, "store is null");
        this.collectionId = requireNonNull(collectionId, "collectionId is null");
    }

    static SightingLog start(KafkaConfig config, ObjectStore store, String collectionId, String groupId)
    {
        requireNonNull(config, "config is null");
        requireNonNull(groupId, "groupId is null");
        if (store.findCollection(requireNonNull(collectionId, "collectionId is null")).isEmpty()) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "sighting log: collection " + collectionId + " (where sightings are stored) does not exist");
        }
        String topic = KafkaTopics.sightings(config);
        KafkaTopics.ensure(config, List.of(topic));
        StoringSightingLog log = new StoringSightingLog(store, collectionId);
        String name = config.clientId() + "-sighting-store";
        log.consumer = new CommittingConsumer(name, KafkaClients.groupConsumer(config, groupId, name, BATCH_SIZE, SESSION_TIMEOUT_MILLIS), topic, log::store);
        log.consumer.start();
        return log;
    }

    private void store(List<ConsumerRecord<String, String>> records)
    {
        List<StixObject> objects = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            try {
                objects.add(StixObject.fromJson(record.value() == null ? "null" : record.value()));
            }
            catch (VigieException e) {
                rejected.incrementAndGet();
                LOG.warn("kafka topic {} partition {} offset {}: skipped, not a STIX object: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        if (objects.isEmpty()) {
            return;
        }
        for (AddOutcome outcome : store.addObjects(collectionId, objects)) {
            switch (outcome.result()) {
                case STORED -> stored.incrementAndGet();
                case DUPLICATE -> duplicates.incrementAndGet();
            }
        }
    }

    @Override
    public long stored()
    {
        return stored.get();
    }

    @Override
    public long duplicates()
    {
        return duplicates.get();
    }

    @Override
    public long rejected()
    {
        return rejected.get();
    }

    @Override
    public long committed()
    {
        return consumer.committedRecords();
    }

    @Override
    public Optional<Throwable> failure()
    {
        return consumer.failure();
    }

    @Override
    public void close()
    {
        consumer.close();
    }
}
