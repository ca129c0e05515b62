package org.vigie.store.events;

/**
 * Receives the events of a subscription, in log order, one batch at a time; the next batch comes only
 * after this call returns. An exception thrown here ends the subscription (see {@link Subscription#failure()}).
 */
@FunctionalInterface
public interface EventListener
{
    void onEvents(EventBatch batch);
}
