package org.vigie.kafka;

import org.vigie.store.ObjectStore;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The indicators of a collection, then the changes an event log reports: the node's log on Kafka, or the store's
 * own (what {@link IndicatorSources#fromStore} follows). The log's end is taken before the
 * collection is read, so that nothing committed in between is missed (what is seen twice is ignored by the
 * matcher). Each changed indicator is read again from the store: its latest remaining version replaces what the
 * worker holds, and an indicator with no version left is removed.
 */
final class EventLogIndicatorSource
        implements IndicatorSource
{
    private static final int BATCH_SIZE = 1_000;
    static final int MAXIMUM_BATCHES = 100;
    private static final String INDICATOR_PREFIX = "indicator--";

    private final EventLog events;
    private final ObjectStore store;
    private final String collectionId;
    private Cursor position;

    EventLogIndicatorSource(EventLog events, ObjectStore store, String collectionId)
    {
        this.events = requireNonNull(events, "events is null");
        this.store = requireNonNull(store, "store is null");
        this.collectionId = requireNonNull(collectionId, "collectionId is null");
    }

    @Override
    public List<JsonNode> initial()
    {
        position = events.end();
        return StoreIndicators.all(store, collectionId);
    }

    @Override
    public List<IndicatorUpdate> updates()
    {
        requireNonNull(position, "initial() was not called");
        // The last event of each indicator decides; the store says what remains of it now.
        Map<String, Event.Kind> changed = new LinkedHashMap<>();
        // Several batches a call: the log holds every collection's changes, and a bulk import elsewhere must not
        // hold an indicator change back by minutes. Bounded, so that one call still returns soon.
        for (int round = 0; round < MAXIMUM_BATCHES; round++) {
            EventBatch batch = events.poll(position, BATCH_SIZE);
            for (Event event : batch.events()) {
                if (event.collectionId().equals(collectionId) && event.objectId().startsWith(INDICATOR_PREFIX)) {
                    changed.put(event.objectId(), event.kind());
                }
            }
            position = batch.next();
            if (batch.events().size() < BATCH_SIZE) {
                break;
            }
        }
        List<IndicatorUpdate> updates = new ArrayList<>();
        for (Map.Entry<String, Event.Kind> change : changed.entrySet()) {
            Optional<JsonNode> latest = StoreIndicators.latest(store, collectionId, change.getKey());
            switch (change.getValue()) {
                // A deleted latest version leaves an older one: the worker must forget the newer version first.
                case DELETED -> updates.add(IndicatorUpdate.remove(change.getKey()));
                case ADDED -> {
                    if (latest.isEmpty()) {
                        updates.add(IndicatorUpdate.remove(change.getKey()));
                    }
                }
            }
            latest.ifPresent(indicator -> updates.add(IndicatorUpdate.upsert(indicator)));
        }
        return updates;
    }

    @Override
    public void close() {}
}
