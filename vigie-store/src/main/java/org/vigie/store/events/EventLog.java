package org.vigie.store.events;

import java.util.Optional;

/**
 * The log of committed changes to the store's collections, read by live streams (SSE), outbox delivery and
 * the matchers. Events of one object are always read in the order they were committed; a consumer that
 * reads from a cursor and resumes from the batch's {@link EventBatch#next()} sees every event exactly once.
 *
 * <p>The store appends to its own log inside the transaction of the change, so an event exists exactly
 * when its change is committed. Implementations: the store's own (SQLite, PostgreSQL, in memory; from
 * {@code ObjectStore.events()}) and Kafka (module vigie-kafka). All pass {@code EventLogContractTest}.
 */
public interface EventLog
{
    /** The cursor before every event. */
    Cursor beginning();

    /** The cursor after every event committed so far: a live stream that wants only new changes starts here. */
    Cursor end();

    /** Up to {@code maximum} events after {@code from}, in log order; an empty batch keeps the cursor. */
    EventBatch poll(Cursor from, int maximum);

    /**
     * Delivers the events after {@code from} to {@code listener} on a thread of the log, then every new event
     * as it is committed, until the subscription is closed.
     */
    Subscription subscribe(Cursor from, EventListener listener);

    /** Records where a named consumer has got to, durably, so that it resumes there after a restart. */
    void saveCursor(String consumerName, Cursor cursor);

    /** The cursor last saved under {@code consumerName}. */
    Optional<Cursor> savedCursor(String consumerName);
}
