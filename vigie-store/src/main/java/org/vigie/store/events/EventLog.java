package org.vigie.store.events;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

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
     * Up to {@code maximum} events of {@code kind} after {@code from}, in log order. The batch's cursor also moves
     * past the events of other kinds read on the way, so a batch without events may move it: a consumer of one kind
     * (live detection's deletions among a stream of additions) neither receives nor keeps the others. Logs that can
     * select by kind where the events are kept do so; the default reads every event and drops the others.
     */
    default EventBatch poll(Cursor from, Event.Kind kind, int maximum)
    {
        requireNonNull(kind, "kind is null");
        EventBatch batch = poll(from, maximum);
        return new EventBatch(batch.events().stream().filter(event -> event.kind() == kind).toList(), batch.next());
    }

    /**
     * Delivers the events after {@code from} to {@code listener} on a thread of the log, then every new event
     * as it is committed, until the subscription is closed.
     */
    Subscription subscribe(Cursor from, EventListener listener);

    /**
     * Like {@link #subscribe(Cursor, EventListener)}, with the events of {@code kind} only. The listener is also
     * handed batches without events whose cursor moved past events of other kinds, so that it always knows how far
     * the log has been read.
     */
    default Subscription subscribe(Cursor from, Event.Kind kind, EventListener listener)
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(listener, "listener is null");
        return subscribe(from, batch -> listener.onEvents(new EventBatch(
                batch.events().stream().filter(event -> event.kind() == kind).toList(),
                batch.next())));
    }

    /** Records where a named consumer has got to, durably, so that it resumes there after a restart. */
    void saveCursor(String consumerName, Cursor cursor);

    /** The cursor last saved under {@code consumerName}. */
    Optional<Cursor> savedCursor(String consumerName);
}
