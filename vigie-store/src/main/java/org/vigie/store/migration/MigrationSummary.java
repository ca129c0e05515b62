package org.vigie.store.migration;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a migration copied and verified: per table its row count and row checksum (equal in source and target),
 * per collection its number of versions and the checksum of its (object id, version, date added) set.
 */
public record MigrationSummary(String source, String target, List<TableSummary> tables, List<CollectionSummary> collections)
{
    public MigrationSummary
    {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
        collections = List.copyOf(requireNonNull(collections, "collections is null"));
    }

    /** One copied table; the checksum covers every column of every row, whatever the row order. */
    public record TableSummary(String name, long rows, String checksum)
    {
        public TableSummary
        {
            requireNonNull(name, "name is null");
            requireNonNull(checksum, "checksum is null");
        }
    }

    /** One collection; the checksum covers its (object id, version, date added) set. */
    public record CollectionSummary(String collectionId, long versions, String checksum)
    {
        public CollectionSummary
        {
            requireNonNull(collectionId, "collectionId is null");
            requireNonNull(checksum, "checksum is null");
        }
    }

    public long rows(String table)
    {
        return tables.stream()
                .filter(summary -> summary.name().equals(table))
                .mapToLong(TableSummary::rows)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table " + table + " in the migration summary"));
    }

    /** A human-readable report, one line per table and collection. */
    public List<String> lines()
    {
        List<String> lines = new ArrayList<>();
        lines.add("copied " + source + " to " + target);
        for (TableSummary table : tables) {
            lines.add(String.format("table %-16s %10d rows  checksum %s  verified", table.name(), table.rows(), table.checksum().substring(0, 16)));
        }
        for (CollectionSummary collection : collections) {
            lines.add(String.format("collection %s %10d versions  checksum %s  verified", collection.collectionId(), collection.versions(), collection.checksum().substring(0, 16)));
        }
        return List.copyOf(lines);
    }
}
