package org.vigie.store.events;

import java.time.Duration;

/**
 * Wakes the subscriptions of a log when new events are committed in this process. Waiters also time out,
 * so that events committed by other processes (an import writing the same SQLite file) are found too.
 */
public final class EventSignal
{
    private long generation;

    /** Called after a commit that appended events. */
    public synchronized void signal()
    {
        generation++;
        notifyAll();
    }

    public synchronized long generation()
    {
        return generation;
    }

    /** Waits until a signal after {@code seen} or the timeout; true when signalled. */
    public synchronized boolean await(long seen, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (generation == seen) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            wait(Math.max(1, remaining / 1_000_000));
        }
        return true;
    }
}
