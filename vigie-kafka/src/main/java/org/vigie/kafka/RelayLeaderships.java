package org.vigie.kafka;

import org.vigie.store.StoreConfig;

import static java.util.Objects.requireNonNull;

/** The ways replicas choose the process that relays the store's events to Kafka. */
public final class RelayLeaderships
{
    private RelayLeaderships() {}

    /** For a deployment with one node process (an SQLite store): that process always leads. */
    public static RelayLeadership alone()
    {
        return new RelayLeadership()
        {
            @Override
            public boolean lead()
            {
                return true;
            }

            @Override
            public void resign() {}

            @Override
            public void close() {}
        };
    }

    /**
     * Replicas on one PostgreSQL database: the leader holds a session-level advisory lock, named after the
     * relay's topic prefix, on a connection of its own. A leader that dies loses its connection and with it the
     * lock, at once, so another replica takes over at its next {@link RelayLeadership#lead()}.
     */
    public static RelayLeadership postgresql(StoreConfig store, KafkaConfig kafka)
    {
        requireNonNull(store, "store is null");
        requireNonNull(kafka, "kafka is null");
        return new PostgresRelayLeadership(store, EventRelay.cursorName(kafka));
    }
}
