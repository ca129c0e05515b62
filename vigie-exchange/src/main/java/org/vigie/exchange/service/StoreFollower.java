package org.vigie.exchange.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;

import java.util.Optional;
import java.util.List;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Follows the store's event log for the exchange: every committed addition or deletion is handed to the
 * propagation (which does nothing for objects no partner holds), then the cursor is saved under {@link #CONSUMER}.
 * A crash between the two replays the batch at the next start, which the propagation makes harmless (it skips the
 * holders it already served); nothing is lost, since the cursor moves only past handled events.
 */
final class StoreFollower
{
    /** The consumer name the cursor is saved under in the store. */
    static final String CONSUMER = "exchange-holders";
    private static final Logger LOG = LoggerFactory.getLogger(StoreFollower.class);

    private StoreFollower() {}

    /**
     * @param propagation carries a batch of events to the holders; true when it queued envelopes
     * @param queued told after a batch that queued envelopes, to have them delivered
     */
    static Subscription start(EventLog events, Predicate<List<Event>> propagation, Runnable queued)
    {
        requireNonNull(events, "events is null");
        requireNonNull(propagation, "propagation is null");
        requireNonNull(queued, "queued is null");
        Optional<Cursor> saved = events.savedCursor(CONSUMER);
        // On the first start, from now on: nothing was held because of earlier changes that this follower missed.
        Cursor from = saved.orElseGet(events::end);
        if (saved.isEmpty()) {
            events.saveCursor(CONSUMER, from);
        }
        return events.subscribe(from, batch -> {
            boolean anything;
            try {
                anything = propagation.test(batch.events());
            }
            catch (RuntimeException e) {
                // The subscription stops here; the next start resumes at this batch, the cursor being saved before it.
                LOG.error("exchange: cannot carry {} store change(s) from event {} on to the partners holding the objects; the follower stops and resumes from its "
                        + "saved cursor at the next start", batch.events().size(), batch.events().isEmpty() ? "(none)" : batch.events().get(0).sequence(), e);
                throw e;
            }
            events.saveCursor(CONSUMER, batch.next());
            if (anything) {
                queued.run();
            }
        });
    }
}
