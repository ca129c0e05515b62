package org.vigie.store.events;

import java.time.Duration;

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
        PollingSubscription subscription = new PollingSubscription(log, from, listener, signal, idleInterval, batchSize);
        subscription.start();
        return subscription;
    }
}
