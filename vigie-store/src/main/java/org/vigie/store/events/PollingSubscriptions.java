package org.vigie.store.events;

import java.time.Duration;
import java.util.Optional;

/**
 * Subscriptions built on a log's {@link EventLog#poll}: the subscription reads from its own cursor, hands
 * each batch to the listener and only then moves on, so fan-out never loses or repeats an event however
 * notifications and commits interleave.
 */
public final class PollingSubscriptions
{
    private PollingSubscriptions() {}

    /**
     * Starts delivering the events after {@code from} on a new daemon thread. The thread polls again as soon
     * as {@code signal} fires, and at least every {@code idleInterval}.
     */
    public static Subscription start(EventLog log, Cursor from, EventListener listener, EventSignal signal, Duration idleInterval, int batchSize)
    {
        PollingSubscription subscription = new PollingSubscription(log, from, Optional.empty(), listener, signal, idleInterval, batchSize);
        subscription.start();
        return subscription;
    }

    /**
     * Like {@link #start(EventLog, Cursor, EventListener, EventSignal, Duration, int)}, reading with {@link
     * EventLog#poll(Cursor, Event.Kind, int)}: the listener gets the events of {@code kind}, and batches without
     * events whenever the cursor moved past others.
     */
    public static Subscription start(EventLog log, Cursor from, Event.Kind kind, EventListener listener, EventSignal signal, Duration idleInterval, int batchSize)
    {
        PollingSubscription subscription = new PollingSubscription(log, from, Optional.of(kind), listener, signal, idleInterval, batchSize);
        subscription.start();
        return subscription;
    }
}
