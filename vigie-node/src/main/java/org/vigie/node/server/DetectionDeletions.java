package org.vigie.node.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.detection.DetectionService;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Deletions reaching the live matcher of a node without Kafka, each once. They come from the store's event log, which
 * holds every process's deletions (a replica on the same database, a command on the data directory) and this node's
 * own. Applying a deletion re-reads the indicator's remaining versions, so a deletion through this node is not applied
 * from its in-process event as well: {@link #deletedHere} waits until the log's follower has read past it (woken by the
 * same commit, it is there within moments), so that the request that deleted an indicator is still answered only after
 * the matcher dropped it. Should the follower not get there within {@value #WAIT_SECONDS} s (the log failing), the
 * deletion is applied from the in-process event instead, logged.
 */
final class DetectionDeletions
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(DetectionDeletions.class);
    private static final String SEQUENCE = "sequence";
    private static final String INDICATOR_PREFIX = "indicator--";
    private static final long WAIT_SECONDS = 5;

    private final EventLog log;
    private final DetectionService detection;
    private final Object monitor = new Object();
    // Guarded by monitor: the log's position the follower has applied every deletion up to.
    private long read;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong awaited = new AtomicLong();
    private final Subscription subscription;

    /** Follows {@code log} from {@code from} (taken before the matcher loaded its indicators). */
    DetectionDeletions(EventLog log, Cursor from, DetectionService detection)
    {
        this.log = requireNonNull(log, "log is null");
        this.detection = requireNonNull(detection, "detection is null");
        this.read = requireNonNull(from, "from is null").position(SEQUENCE).orElse(0);
        // Deletions only: the log passes over additions where it keeps them, and still reports how far it read.
        this.subscription = log.subscribe(from, Event.Kind.DELETED, batch -> {
            for (Event event : batch.events()) {
                logged(event);
            }
            batch.next().position(SEQUENCE).ifPresent(position -> {
                synchronized (monitor) {
                    read = Math.max(read, position);
                    monitor.notifyAll();
                }
            });
        });
    }

    /** A deletion committed through this node, from its in-process event: returns once the matcher has it. */
    void deletedHere(String collectionId, String objectId)
    {
        if (!objectId.startsWith(INDICATOR_PREFIX)) {
            // The matcher holds indicators only.
            return;
        }
        // The deletion is committed, so at or before the log's end now.
        long end = log.end().position(SEQUENCE).orElse(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        synchronized (monitor) {
            while (read < end) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("live detection: the store's event log is not read up to the deletion of {} in collection {}; applied from this node's own event",
                            objectId, collectionId);
                    apply(collectionId, objectId);
                    return;
                }
                try {
                    monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    apply(collectionId, objectId);
                    return;
                }
            }
        }
        awaited.incrementAndGet();
    }

    /** Deletions passed to the matcher (each a re-read of the indicator's remaining versions). */
    long applied()
    {
        return applied.get();
    }

    /** Deletions through this node that were left to the log's follower, which had applied them when asked. */
    long awaited()
    {
        return awaited.get();
    }

    @Override
    public void close()
    {
        subscription.close();
    }

    private void logged(Event event)
    {
        if (!event.objectId().startsWith(INDICATOR_PREFIX)) {
            return;
        }
        try {
            apply(event.collectionId(), event.objectId());
        }
        catch (RuntimeException e) {
            // The subscription must go on for the next deletions; this one applies at the next start.
            LOG.warn("live detection: deletion of {} in collection {} not applied: {}", event.objectId(), event.collectionId(), e.getMessage());
        }
    }

    private void apply(String collectionId, String objectId)
    {
        applied.incrementAndGet();
        detection.onObjectDeleted(collectionId, objectId);
    }
}
