package org.vigie.console;

import org.vigie.exchange.service.ReceivedObject;
import org.vigie.stix.Timestamps;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;
import org.vigie.store.events.Event;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Turns the store's log events into the console's {@link ObjectEvent}s: the version added, read back
 * from the store, and its sender when the exchange received it from a partner. The exchange records a
 * received object's provenance in its own database just after the store commits the object, so for an
 * object of the exchange's inbox collection the sender is waited for, up to {@link #PROVENANCE_WAIT}.
 */
final class FeedEvents
{
    static final Duration PROVENANCE_WAIT = Duration.ofSeconds(3);
    private static final long PROVENANCE_POLL_MILLISECONDS = 25;

    private final ObjectStore store;
    private final SharingApi sharing;

    FeedEvents(ObjectStore store, SharingApi sharing)
    {
        this.store = requireNonNull(store, "store is null");
        this.sharing = requireNonNull(sharing, "sharing is null");
    }

    /** The added version of a log event; empty for deletions and for versions deleted since. */
    Optional<ObjectEvent> resolve(Event event)
    {
        switch (event.kind()) {
            case DELETED -> {
                return Optional.empty();
            }
            case ADDED -> { }
        }
        VersionFilter filter = event.version().map(version -> new VersionFilter(false, false, false, List.of(version))).orElse(VersionFilter.LAST);
        List<StoredObject> found = store.findObjects(event.collectionId(), ObjectQuery.all(1).withIds(List.of(event.objectId())).withVersions(filter)).objects();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredObject stored = found.get(0);
        Optional<String> sender = sender(event);
        ObjectEvent.Direction direction = sender.isPresent() ? ObjectEvent.Direction.RECEIVED : ObjectEvent.Direction.STORED;
        return Optional.of(new ObjectEvent(event.collectionId(), stored.object(), stored.dateAdded(), direction, sender));
    }

    private Optional<String> sender(Event event)
    {
        Optional<ConsoleExchange> exchange = sharing.exchange();
        if (exchange.isEmpty()) {
            return Optional.empty();
        }
        boolean inbox = exchange.get().inboxCollection().equals(event.collectionId());
        long deadline = System.nanoTime() + PROVENANCE_WAIT.toNanos();
        while (true) {
            Optional<ReceivedObject> received = exchange.get().service().provenance(event.objectId()).stream()
                    .filter(row -> event.version().isEmpty() || Timestamps.tryParse(row.version()).equals(event.version()))
                    .reduce((first, second) -> second);
            if (received.isPresent()) {
                String partnerId = received.get().partnerId();
                return Optional.of(exchange.get().partnerLabel(partnerId));
            }
            if (!inbox || System.nanoTime() > deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(PROVENANCE_POLL_MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
