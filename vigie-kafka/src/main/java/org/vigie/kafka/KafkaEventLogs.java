package org.vigie.kafka;

import org.vigie.store.events.EventLog;

import java.time.Duration;

/** Creates Kafka event logs. */
public final class KafkaEventLogs
{
    /** How often a replicated log checks its leadership: a dead leader is replaced within about this long. */
    public static final Duration LEADERSHIP_INTERVAL = Duration.ofSeconds(1);

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

    /**
     * A log for one of several replicas sharing a store: it reads from Kafka, and relays the store's events
     * only while {@code leadership} makes this process the leader (checked every {@link #LEADERSHIP_INTERVAL}),
     * so that one replica relays at a time and another takes over from the saved cursor when it dies. The log
     * owns {@code leadership} and closes it.
     */
    public static KafkaEventLog replicated(KafkaConfig config, EventLog source, RelayLeadership leadership)
    {
        return KafkaEventLogImplementation.replicated(config, source, leadership, LEADERSHIP_INTERVAL);
    }

    /** A log that only reads from Kafka; named consumers' cursors are kept in {@code cursorStore}. */
    public static KafkaEventLog reading(KafkaConfig config, EventLog cursorStore)
    {
        return KafkaEventLogImplementation.open(config, cursorStore, false);
    }

    /** The consumer name under which the relay saves its cursor in the store's log (for its lag in metrics). */
    public static String relayCursorName(KafkaConfig config)
    {
        return EventRelay.cursorName(config);
    }
}
