package org.vigie.exchange.envelope;

import org.vigie.exchange.database.ExchangeDatabase;

/**
 * The last accepted sequence number per (sender, recipient) pair; 0 before the first envelope.
 * Persisted with the store in the node; {@link #inMemory()} for tests and single runs.
 */
public interface SequenceTracker
{
    long lastAccepted(String senderIdentityId, String recipientIdentityId);

    /**
     * Records {@code sequence} as accepted if and only if it is exactly the next one; returns false
     * (and changes nothing) otherwise, e.g. when a concurrent copy of the same envelope won.
     */
    boolean advance(String senderIdentityId, String recipientIdentityId, long sequence);

    static SequenceTracker inMemory()
    {
        return new InMemorySequenceTracker();
    }

    /** Persisted in a table of the node's database (created if missing); advances join the caller's transaction. */
    static SequenceTracker jdbc(ExchangeDatabase database)
    {
        return new JdbcSequenceTracker(database);
    }
}
