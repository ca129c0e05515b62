package org.vigie.kafka;

import org.vigie.store.events.EventLog;

import java.util.Optional;

/**
 * The event log on Kafka: one topic per collection ({@code <prefix>collection.<id>}), keyed by object id so
 * that each object's events stay in one partition, in order. Created by {@link KafkaEventLogs}.
 */
public interface KafkaEventLog
        extends EventLog, AutoCloseable
{
    /** Why the relay stopped, when this log runs one and it has failed. */
    Optional<Throwable> relayFailure();

    /** Whether this process relays the store's events to Kafka now. */
    boolean relaying();

    @Override
    void close();
}
