package org.vigie.kafka;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * Where a matching worker gets its indicators: the current set once, then the changes after it. Changes may
 * repeat what the worker already has (an indicator version it holds is ignored). Implementations are in
 * {@link IndicatorSources}; a worker calls {@link #initial} once, then {@link #updates} from one thread.
 */
public interface IndicatorSource
        extends AutoCloseable
{
    /** The indicator objects now in the source. */
    List<JsonNode> initial();

    /** The changes since the previous call (or since {@link #initial}); empty when none. Does not wait long. */
    List<IndicatorUpdate> updates();

    @Override
    void close();
}
