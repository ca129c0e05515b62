package org.vigie.kafka;

/**
 * Decides which process of a deployment runs the one relay from the store's event log to Kafka. Asked
 * periodically by a {@link KafkaEventLogs#replicated replicated log}; from one thread at a time. Implementations
 * are in {@link RelayLeaderships}.
 */
public interface RelayLeadership
        extends AutoCloseable
{
    /**
     * Becomes the leader when no other process is, or confirms that this process still is; false when another
     * process leads or the shared database cannot be reached. Waits at most a few seconds.
     */
    boolean lead();

    /** Gives the leadership up (this process stopped relaying) so that another process may take it. */
    void resign();

    /** Gives the leadership up and frees what it holds. */
    @Override
    void close();
}
