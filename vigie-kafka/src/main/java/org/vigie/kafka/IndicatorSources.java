package org.vigie.kafka;

import org.vigie.store.ObjectStore;
import org.vigie.store.events.EventLog;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** The indicator sources of matching workers. */
public final class IndicatorSources
{
    private IndicatorSources() {}

    /**
     * The indicators of a collection, then its changes as the store's own event log records them (written in the
     * transaction of each change, so also by other processes on the same database): new versions and deletions
     * alike. The worker does not own the store: closing the source leaves it open.
     */
    public static IndicatorSource fromStore(ObjectStore store, String collectionId)
    {
        return new EventLogIndicatorSource(store.events(), store, collectionId);
    }

    /**
     * The indicators of a collection, then its changes as an event log reports them (for instance a
     * {@link KafkaEventLogs#reading reading Kafka event log}, whose events the node relays); the objects
     * themselves are read from {@code store}. Deletions are seen. Closing the source closes neither.
     */
    public static IndicatorSource fromEventLog(EventLog events, ObjectStore store, String collectionId)
    {
        return new EventLogIndicatorSource(events, store, collectionId);
    }

    /** A fixed set of indicators that never changes. */
    public static IndicatorSource fixed(List<JsonNode> indicators)
    {
        List<JsonNode> copy = List.copyOf(requireNonNull(indicators, "indicators is null"));
        return new IndicatorSource()
        {
            @Override
            public List<JsonNode> initial()
            {
                return copy;
            }

            @Override
            public List<IndicatorUpdate> updates()
            {
                return List.of();
            }

            @Override
            public void close() {}
        };
    }
}
