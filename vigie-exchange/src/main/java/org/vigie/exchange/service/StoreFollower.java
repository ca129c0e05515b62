package org.vigie.exchange.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Follows the store's event log for the exchange: every committed addition or deletion is handed to the
 * propagation (which does nothing for objects no partner holds), then the cursor is saved under {@link #CONSUMER}.
 * A crash between the two replays the batch at the next start, which the propagation makes harmless (it skips the
 * holders it already served); nothing is lost, since the cursor moves only past handled events. A failure (the
 * databases away) is retried after a pause until it passes or the follower is closed: a narrowing must not wait for
 * the node's next start to reach the partners.
 */
final class StoreFollower
        implements Subscription
{
    /** The consumer name the cursor is saved under in the store. */
    static final String CONSUMER = "exchange-holders";
    private static final Logger LOG = LoggerFactory.getLogger(StoreFollower.class);

    private final EventLog events;
    private final Predicate<List<Event>> propagation;
    private final Runnable queued;
    private final Duration retryPause;
    private final Object pauses = new Object();
    private volatile boolean running = true;
    private final Subscription subscription;

    private StoreFollower(EventLog events, Predicate<List<Event>> propagation, Runnable queued, Duration retryPause)
    {
        this.events = requireNonNull(events, "events is null");
        this.propagation = requireNonNull(propagation, "propagation is null");
        this.queued = requireNonNull(queued, "queued is null");
        this.retryPause = requireNonNull(retryPause, "retryPause is null");
        Optional<Cursor> saved = events.savedCursor(CONSUMER);
        // On the first start, from now on: nothing was held because of earlier changes that this follower missed.
        Cursor from = saved.orElseGet(events::end);
        if (saved.isEmpty()) {
            events.saveCursor(CONSUMER, from);
        }
        this.subscription = events.subscribe(from, this::handle);
    }

    /**
     * @param propagation carries a batch of events to the holders; true when it queued envelopes
     * @param queued told after a batch that queued envelopes, to have them delivered
     * @param retryPause how long to wait before trying a failed batch again
     */
    static Subscription start(EventLog events, Predicate<List<Event>> propagation, Runnable queued, Duration retryPause)
    {
        return new StoreFollower(events, propagation, queued, retryPause);
    }

    private void handle(EventBatch batch)
    {
        boolean anything = false;
        boolean carried = false;
        while (running && !carried) {
            try {
                anything = propagation.test(batch.events());
                carried = true;
            }
            catch (RuntimeException e) {
                LOG.error("exchange: cannot carry {} store change(s) from event {} on to partners (holders of the objects, originators of sighted indicators); trying again in {}",
                        batch.events().size(), batch.events().isEmpty() ? "(none)" : batch.events().get(0).sequence(), retryPause, e);
                pause();
            }
        }
        if (!carried) {
            // Closed while retrying: the cursor stays before this batch, which the next start carries.
            return;
        }
        boolean saved = false;
        while (running && !saved) {
            try {
                events.saveCursor(CONSUMER, batch.next());
                saved = true;
            }
            catch (RuntimeException e) {
                LOG.warn("exchange: the store follower's position is not saved yet, trying again in {}: {}", retryPause, e.getMessage());
                pause();
            }
        }
        if (anything) {
            queued.run();
        }
    }

    private void pause()
    {
        synchronized (pauses) {
            if (!running) {
                return;
            }
            try {
                pauses.wait(Math.max(1, retryPause.toMillis()));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    @Override
    public Cursor position()
    {
        return subscription.position();
    }

    @Override
    public Optional<Throwable> failure()
    {
        return subscription.failure();
    }

    @Override
    public boolean isRunning()
    {
        return running && subscription.isRunning();
    }

    @Override
    public void close()
    {
        synchronized (pauses) {
            running = false;
            pauses.notifyAll();
        }
        subscription.close();
    }
}
