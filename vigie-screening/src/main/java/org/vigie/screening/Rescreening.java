package org.vigie.screening;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Screens records and remembers them; when the lists change, {@link #rescreen} screens every
 * remembered record again with the new screener and returns the hits it did not have before.
 */
public final class Rescreening
{
    private final ScreenedRecords records;

    public Rescreening(ScreenedRecords records)
    {
        this.records = requireNonNull(records, "records is null");
    }

    /** Screens a record and remembers it with its hits. */
    public List<ScreeningResult> screen(Screener screener, String recordId, ScreeningQuery query)
    {
        List<ScreeningResult> results = screener.screen(query);
        records.remember(new ScreenedRecord(recordId, query, results.stream().map(ScreeningResult::key).toList()));
        return results;
    }

    /** New hits in record id order, then score order; every record is remembered with its current hits. */
    public List<NewHit> rescreen(Screener newScreener)
    {
        requireNonNull(newScreener, "newScreener is null");
        List<NewHit> newHits = new ArrayList<>();
        for (ScreenedRecord record : records.all()) {
            List<ScreeningResult> results = newScreener.screen(record.query());
            Set<String> before = new HashSet<>(record.hitKeys());
            for (ScreeningResult result : results) {
                if (!before.contains(result.key())) {
                    newHits.add(new NewHit(record.recordId(), result));
                }
            }
            records.remember(new ScreenedRecord(record.recordId(), record.query(), results.stream().map(ScreeningResult::key).toList()));
        }
        return newHits;
    }
}
