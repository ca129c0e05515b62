package org.vigie.screening;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
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

    /**
     * A stable identifier for a query, for callers whose records have none: the SHA-256 (first 16
     * bytes, hex) of its name, aliases, birth date, nationality and type. Threshold and limit are
     * left out, so screening the same person again replaces the earlier record.
     */
    public static String recordId(ScreeningQuery query)
    {
        StringBuilder canonical = new StringBuilder();
        canonical.append(Normalizer.normalize(query.name().strip(), Normalizer.Form.NFC)).append('\u0000');
        for (String alias : query.aliases()) {
            canonical.append(Normalizer.normalize(alias.strip(), Normalizer.Form.NFC)).append('\u0001');
        }
        canonical.append('\u0000').append(query.birthDate().map(LocalDate::toString).orElse(""));
        canonical.append('\u0000').append(query.nationality().map(String::strip).orElse(""));
        canonical.append('\u0000').append(query.type().map(EntityType::name).orElse(""));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Screens a record and remembers it with its hits. */
    public List<ScreeningResult> screen(Screener screener, String recordId, ScreeningQuery query)
    {
        List<ScreeningResult> results = screener.screen(query);
        records.remember(ScreenedRecord.of(recordId, query, results));
        return results;
    }

    /** New hits in record id order, then score order; every record is remembered with its current hits. */
    public List<NewHit> rescreen(Screener newScreener)
    {
        requireNonNull(newScreener, "newScreener is null");
        List<NewHit> newHits = new ArrayList<>();
        List<ScreenedRecord> updated = new ArrayList<>();
        for (ScreenedRecord record : records.all()) {
            List<ScreeningResult> results = newScreener.screen(record.query());
            Set<String> before = new HashSet<>(record.hitKeys());
            for (ScreeningResult result : results) {
                if (!before.contains(result.key())) {
                    newHits.add(new NewHit(record.recordId(), result));
                }
            }
            updated.add(ScreenedRecord.of(record.recordId(), record.query(), results));
        }
        records.rememberAll(updated);
        return newHits;
    }
}
