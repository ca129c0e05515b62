package org.vigie.kafka;

import org.vigie.store.events.EventLog;

/** Creates Kafka event logs. */
public final class KafkaEventLogs
{
    private KafkaEventLogs() {}

    /**
     * A log that relays the committed events of {@code source} (a store's own log) to Kafka and reads them back.
     * The relay resumes from the cursor it saves in {@code source}, so a restart forwards nothing twice in effect
     * (copies re-sent after a crash are skipped by readers). Run one relay per topic prefix.
     */
    public static KafkaEventLog relaying(KafkaConfig config, EventLog source)
    {
        return KafkaEventLogImplementation.open(config, source, true);
    }

    /** A log that only reads from Kafka; named consumers' cursors are kept in {@code cursorStore}. */
    public static KafkaEventLog reading(KafkaConfig config, EventLog cursorStore)
    {
        return KafkaEventLogImplementation.open(config, cursorStore, false);
    }
}
