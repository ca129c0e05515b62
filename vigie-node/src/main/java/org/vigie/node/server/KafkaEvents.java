package org.vigie.node.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.detection.DetectionConfig;
import org.vigie.detection.DetectionService;
import org.vigie.kafka.KafkaConfig;
import org.vigie.kafka.KafkaEventLog;
import org.vigie.kafka.KafkaEventLogs;
import org.vigie.kafka.RelayLeadership;
import org.vigie.kafka.RelayLeaderships;
import org.vigie.kafka.SightingLog;
import org.vigie.stix.StixObject;
import org.vigie.store.ForwardingObjectStore;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoreConfig;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The node's event log on Kafka ({@code kafka.enabled}). The store's event table stays the source, written in
 * the transaction of each change; one replica of the deployment (the leader, see {@link RelayLeaderships})
 * relays it to Kafka, and every replica's consumers read Kafka: the console's live feed and search index
 * (through {@link #reading}, whose {@code events()} is this log) and live detection's indicators (through
 * {@link #follow}). The exchange's outbox does not follow this log: releases write no store event, and
 * delivery is woken by the exchange's own database (see {@code ExchangeWiring}). The replicas also store the matching workers' sightings
 * ({@link #storeSightings}).
 */
final class KafkaEvents
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEvents.class);
    private static final String INDICATOR_PREFIX = "indicator--";
    private static final Duration SIGHTINGS_RETRY = Duration.ofSeconds(5);

    private final KafkaEventLog log;
    private final Object monitor = new Object();
    private Subscription subscription;
    private Thread sightingsThread;
    private boolean closed;

    private KafkaEvents(KafkaEventLog log)
    {
        this.log = requireNonNull(log, "log is null");
    }

    /** Starts reading from Kafka and competing for the relay's leadership: through the store's PostgreSQL database, or alone on SQLite. */
    static KafkaEvents open(KafkaConfig kafka, StoreConfig storeConfig, ObjectStore store)
    {
        RelayLeadership leadership = storeConfig.isSqlite() ? RelayLeaderships.alone() : RelayLeaderships.postgresql(storeConfig, kafka);
        return new KafkaEvents(KafkaEventLogs.replicated(kafka, store.events(), leadership));
    }

    KafkaEventLog log()
    {
        return log;
    }

    /** {@code store} with its {@code events()} read from Kafka; writes still go to the store (and its own log). */
    ObjectStore reading(ObjectStore store)
    {
        return new ForwardingObjectStore(store)
        {
            @Override
            public EventLog events()
            {
                return log;
            }
        };
    }

    /**
     * Follows the log from {@code from} (its end taken before detection loaded its indicators, so that nothing
     * committed in between is missed; what is seen twice changes nothing): each indicator version added or deleted
     * through any replica reaches {@code detection} (an add without waiting for its periodic refresh, a deletion
     * which no refresh would see).
     */
    void follow(ObjectStore store, DetectionService detection, Cursor from)
    {
        requireNonNull(from, "from is null");
        requireNonNull(store, "store is null");
        requireNonNull(detection, "detection is null");
        subscription = log.subscribe(from, batch -> applyIndicators(store, detection, batch));
    }

    private static void applyIndicators(ObjectStore store, DetectionService detection, EventBatch batch)
    {
        for (Event event : batch.events()) {
            if (!event.objectId().startsWith(INDICATOR_PREFIX) || !detection.config().isIndicatorCollection(event.collectionId())) {
                continue;
            }
            try {
                switch (event.kind()) {
                    case ADDED -> {
                        VersionFilter versions = event.version().map(version -> new VersionFilter(false, false, false, List.of(version))).orElse(VersionFilter.LAST);
                        List<StixObject> objects = store.findObjects(event.collectionId(), ObjectQuery.all(1).withIds(List.of(event.objectId())).withVersions(versions)).objects().stream()
                                .map(StoredObject::object)
                                .toList();
                        detection.onObjectsAdded(event.collectionId(), objects);
                    }
                    // The store (shared by the replicas) says what remains: nothing, or an older version to fall back to.
                    case DELETED -> detection.onObjectDeleted(event.collectionId(), event.objectId());
                }
            }
            catch (RuntimeException e) {
                // An add is picked up by the periodic refresh later, a deletion only at the next start; the feed goes on.
                LOG.warn("live detection: {} of indicator {} from the event log not applied: {}", event.kind(), event.objectId(), e.getMessage());
            }
        }
    }

    /**
     * Stores the sightings the matching workers write to Kafka into the detection sightings collection (created
     * when missing). The replicas form one consumer group, so each sighting is stored by one of them; one delivered
     * again is a duplicate (its id is deterministic) and stored once.
     */
    void storeSightings(KafkaConfig kafka, ObjectStore store, DetectionConfig detection)
    {
        DetectionService.createSightingsCollection(detection, store);
        // On a thread of its own: a node starts while Kafka is away, and stores sightings once it is back.
        sightingsThread = new Thread(() -> keepStoringSightings(kafka, store, detection.sightingsCollection()), "vigie-kafka-sightings");
        sightingsThread.setDaemon(true);
        sightingsThread.start();
    }

    /** Starts the sightings' group member, and starts it again when it fails, until this is closed. */
    private void keepStoringSightings(KafkaConfig kafka, ObjectStore store, String collectionId)
    {
        SightingLog running = null;
        try {
            while (true) {
                if (running != null && running.failure().isPresent()) {
                    LOG.warn("storing the matching workers' sightings stopped, restarting: {}", running.failure().get().toString());
                    running.close();
                    running = null;
                }
                if (running == null) {
                    try {
                        running = SightingLog.startStoring(kafka, store, collectionId, kafka.topicPrefix() + "sightings-store");
                    }
                    catch (RuntimeException e) {
                        LOG.warn("cannot store the matching workers' sightings yet, retrying in {}: {}", SIGHTINGS_RETRY, e.getMessage());
                    }
                }
                synchronized (monitor) {
                    if (!closed) {
                        monitor.wait(SIGHTINGS_RETRY.toMillis());
                    }
                    if (closed) {
                        return;
                    }
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            if (running != null) {
                running.close();
            }
        }
    }

    /** Whether the subscription of {@link #follow} has stopped on an error (the log failed). */
    Optional<Throwable> followFailure()
    {
        return subscription == null ? Optional.empty() : subscription.failure();
    }

    private void stopStoringSightings()
    {
        synchronized (monitor) {
            closed = true;
            monitor.notifyAll();
        }
        Thread thread = sightingsThread;
        if (thread != null) {
            // Cuts short a start waiting for absent brokers.
            thread.interrupt();
            try {
                thread.join();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close()
    {
        try {
            stopStoringSightings();
        }
        finally {
            try {
                if (subscription != null) {
                    subscription.close();
                }
            }
            finally {
                log.close();
            }
        }
    }
}
