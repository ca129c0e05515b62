package org.vigie.store;

import org.vigie.store.StoreEvents.PendingEvent;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventListener;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.EventSignal;
import org.vigie.store.events.PollingSubscriptions;
import org.vigie.store.events.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The in-memory store's event log; sequences are 1, 2, 3... so event {@code n} sits at index {@code n - 1}. */
final class InMemoryEventLog
        implements EventLog
{
    // Nothing outside this process writes to the log: the signal alone wakes subscribers, this is a safety net.
    private static final Duration IDLE_INTERVAL = Duration.ofSeconds(1);
    private static final int SUBSCRIPTION_BATCH_SIZE = 1_000;

    private final List<Event> events = new ArrayList<>();
    private final Map<String, Cursor> consumers = new HashMap<>();
    private final EventSignal signal = new EventSignal();

    /** Appends committed changes (the in-memory store commits by returning) and wakes subscribers. */
    void append(List<PendingEvent> pending)
    {
        if (pending.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (PendingEvent event : pending) {
                events.add(event.toEvent(events.size() + 1));
            }
        }
        signal.signal();
    }

    @Override
    public Cursor beginning()
    {
        return StoreEvents.cursor(0);
    }

    @Override
    public synchronized Cursor end()
    {
        return StoreEvents.cursor(events.size());
    }

    @Override
    public synchronized EventBatch poll(Cursor from, int maximum)
    {
        long after = StoreEvents.sequence(from);
        StoreEvents.checkMaximum(maximum);
        int start = (int) Math.min(after, events.size());
        List<Event> batch = List.copyOf(events.subList(start, Math.min(events.size(), start + maximum)));
        Cursor next = batch.isEmpty() ? StoreEvents.cursor(after) : StoreEvents.cursor(batch.get(batch.size() - 1).sequence());
        return new EventBatch(batch, next);
    }

    @Override
    public Subscription subscribe(Cursor from, EventListener listener)
    {
        StoreEvents.sequence(from);
        return PollingSubscriptions.start(this, from, listener, signal, IDLE_INTERVAL, SUBSCRIPTION_BATCH_SIZE);
    }

    @Override
    public Subscription subscribe(Cursor from, Event.Kind kind, EventListener listener)
    {
        StoreEvents.sequence(from);
        requireNonNull(kind, "kind is null");
        return PollingSubscriptions.start(this, from, kind, listener, signal, IDLE_INTERVAL, SUBSCRIPTION_BATCH_SIZE);
    }

    @Override
    public synchronized void saveCursor(String consumerName, Cursor cursor)
    {
        StoreEvents.checkConsumerName(consumerName);
        consumers.put(consumerName, requireNonNull(cursor, "cursor is null"));
    }

    @Override
    public synchronized Optional<Cursor> savedCursor(String consumerName)
    {
        StoreEvents.checkConsumerName(consumerName);
        return Optional.ofNullable(consumers.get(consumerName));
    }
}
