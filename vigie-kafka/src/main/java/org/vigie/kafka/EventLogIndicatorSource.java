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
 * The indicators of a collection, then the changes an event log reports. The log's end is taken before the
 * collection is read, so that nothing committed in between is missed (what is seen twice is ignored by the
 * matcher). Each changed indicator is read again from the store: its latest remaining version replaces what the
 * worker holds, and an indicator with no version left is removed.
 */
final class EventLogIndicatorSource
        implements IndicatorSource
{
    private static final int BATCH_SIZE = 1_000;
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
        return StoreIndicatorSource.all(store, collectionId);
    }

    @Override
    public List<IndicatorUpdate> updates()
    {
        requireNonNull(position, "initial() was not called");
        EventBatch batch = events.poll(position, BATCH_SIZE);
        // The last event of each indicator decides; the store says what remains of it now.
        Map<String, Event.Kind> changed = new LinkedHashMap<>();
        for (Event event : batch.events()) {
            if (event.collectionId().equals(collectionId) && event.objectId().startsWith(INDICATOR_PREFIX)) {
                changed.put(event.objectId(), event.kind());
            }
        }
        List<IndicatorUpdate> updates = new ArrayList<>();
        for (Map.Entry<String, Event.Kind> change : changed.entrySet()) {
            Optional<JsonNode> latest = StoreIndicatorSource.latest(store, collectionId, change.getKey());
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
        position = batch.next();
        return updates;
    }

    @Override
    public void close() {}
}
