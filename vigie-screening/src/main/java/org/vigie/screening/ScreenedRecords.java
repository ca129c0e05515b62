package org.vigie.screening;

import java.nio.file.Path;
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

    /** Stores or replaces each record, in order; a persistent implementation writes them at once. */
    default void rememberAll(List<ScreenedRecord> records)
    {
        records.forEach(this::remember);
    }

    Optional<ScreenedRecord> get(String recordId);

    List<ScreenedRecord> all();

    /** A thread-safe in-memory implementation. */
    static ScreenedRecords inMemory()
    {
        return new InMemoryScreenedRecords();
    }

    /**
     * Records kept in an append-only JSON Lines file (created when missing; see
     * {@link FileScreenedRecords} for the format). The file is read once here; later writes append.
     */
    static ScreenedRecords file(Path file)
    {
        return FileScreenedRecords.open(file);
    }
}
