package org.vigie.screening;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

final class InMemoryScreenedRecords
        implements ScreenedRecords
{
    private final TreeMap<String, ScreenedRecord> records = new TreeMap<>();

    @Override
    public synchronized void remember(ScreenedRecord record)
    {
        requireNonNull(record, "record is null");
        records.put(record.recordId(), record);
    }

    @Override
    public synchronized Optional<ScreenedRecord> get(String recordId)
    {
        return Optional.ofNullable(records.get(requireNonNull(recordId, "recordId is null")));
    }

    @Override
    public synchronized List<ScreenedRecord> all()
    {
        return List.copyOf(records.values());
    }
}
