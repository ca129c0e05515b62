package org.vigie.store.events;

import java.util.Optional;

/** A running delivery of events to a listener; close it to stop the delivery. */
public interface Subscription
        extends AutoCloseable
{
    /** The cursor just past the last batch the listener has returned from. */
    Cursor position();

    /** Why the subscription stopped by itself: its listener or the log failed. */
    Optional<Throwable> failure();

    boolean isRunning();

    /** Stops the delivery and waits for a batch in progress to finish. */
    @Override
    void close();
}
