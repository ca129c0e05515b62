package org.vigie.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * In-process publisher of {@link ObjectEvent}s: the node calls {@link #publish} after each store add
 * (or wraps its store in {@link ObservedObjectStore}, which does it), and the console's live feed and
 * search index listen. Listeners run on the publishing thread and must not block. The last
 * {@code recentCapacity} events are kept so that a console opening its feed sees what just happened.
 * Thread-safe.
 */
public final class ObjectEvents
{
    public static final int DEFAULT_RECENT_CAPACITY = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ObjectEvents.class);

    /** Told of every event; also told when an object was deleted from a collection. */
    public interface Listener
    {
        void added(ObjectEvent event);

        default void deleted(String collectionId, String objectId) {}
    }

    /** Stops the listener it was returned for. */
    @FunctionalInterface
    public interface Subscription
            extends AutoCloseable
    {
        @Override
        void close();
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ArrayDeque<ObjectEvent> recent = new ArrayDeque<>();
    private final int recentCapacity;

    public ObjectEvents(int recentCapacity)
    {
        if (recentCapacity < 0) {
            throw new IllegalArgumentException("recentCapacity must not be negative, was " + recentCapacity);
        }
        this.recentCapacity = recentCapacity;
    }

    public static ObjectEvents create()
    {
        return new ObjectEvents(DEFAULT_RECENT_CAPACITY);
    }

    public void publish(ObjectEvent event)
    {
        requireNonNull(event, "event is null");
        synchronized (recent) {
            recent.addLast(event);
            while (recent.size() > recentCapacity) {
                recent.removeFirst();
            }
        }
        for (Listener listener : listeners) {
            try {
                listener.added(event);
            }
            catch (RuntimeException e) {
                // One faulty listener must not stop the others nor fail the store write that published.
                LOG.error("object event listener {} failed on {} in collection {}", listener, event.object().id(), event.collectionId(), e);
            }
        }
    }

    public void publishDeletion(String collectionId, String objectId)
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(objectId, "objectId is null");
        synchronized (recent) {
            recent.removeIf(event -> event.collectionId().equals(collectionId) && event.object().id().equals(objectId));
        }
        for (Listener listener : listeners) {
            try {
                listener.deleted(collectionId, objectId);
            }
            catch (RuntimeException e) {
                LOG.error("object event listener {} failed on the deletion of {} in collection {}", listener, objectId, collectionId, e);
            }
        }
    }

    public Subscription subscribe(Listener listener)
    {
        requireNonNull(listener, "listener is null");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The latest events, oldest first. */
    public List<ObjectEvent> recent()
    {
        synchronized (recent) {
            return List.copyOf(new ArrayList<>(recent));
        }
    }
}
