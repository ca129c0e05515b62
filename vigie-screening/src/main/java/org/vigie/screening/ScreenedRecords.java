package org.vigie.screening;

import java.util.List;
import java.util.Optional;

/**
 * Remembers screened records so that a list change can re-screen them and raise only the new
 * hits. Implementations are thread-safe; {@link #all()} is ordered by record id.
 */
public interface ScreenedRecords
{
    /** Stores or replaces the record with this id. */
    void remember(ScreenedRecord record);

    Optional<ScreenedRecord> get(String recordId);

    List<ScreenedRecord> all();

    /** A thread-safe in-memory implementation (the node persists its own later). */
    static ScreenedRecords inMemory()
    {
        return new InMemoryScreenedRecords();
    }
}
