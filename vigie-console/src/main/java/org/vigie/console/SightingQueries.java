package org.vigie.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The Detection screen's figures, counted by the search index's database over the sightings' rows (from
 * the partial indexes of migration V12, each holding what its query reads) so that only the few hundred
 * rows the screen shows reach Java: reading each of the 99,412 sightings of a 1,000,000-object store into
 * objects, then counting and sorting them, took 1.3-2.5 s. Rights are the caller's: {@link #facets} groups
 * the sightings by their marking set, and every other query counts only the marking sets it is given (those
 * the user was found cleared for), compared as the stored text.
 */
final class SightingQueries
{
    private static final String SIGHTINGS = "FROM search_entries e WHERE e.sighted_ref IS NOT NULL";

    private final SearchTables tables;

    SightingQueries(SearchTables tables)
    {
        this.tables = requireNonNull(tables, "tables is null");
    }

    /** Sightings of some collections, with some marking sets only (each the space-separated marking ids as stored), in a time range. */
    record Filter(List<String> collectionIds, List<String> markingSets, Optional<Instant> from, Optional<Instant> to)
    {
        Filter
        {
            collectionIds = List.copyOf(requireNonNull(collectionIds, "collectionIds is null"));
            markingSets = List.copyOf(requireNonNull(markingSets, "markingSets is null"));
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
        }
    }

    /** The sightings of one collection sharing a marking set and a creator: how many, their total count, and the first and last time. */
    record Facet(String collectionId, String markingSet, Optional<String> createdByRef, long sightings, long count, Instant first, Instant last)
    {
        Facet
        {
            requireNonNull(collectionId, "collectionId is null");
            requireNonNull(markingSet, "markingSet is null");
            requireNonNull(createdByRef, "createdByRef is null");
            requireNonNull(first, "first is null");
            requireNonNull(last, "last is null");
        }

        List<String> markingRefs()
        {
            return markingSet.isEmpty() ? List.of() : List.of(markingSet.split(" "));
        }
    }

    /** One sighted object: its sightings, their total count and the last time. */
    record Sighted(String sightedId, long sightings, long count, Instant last)
    {
        Sighted
        {
            requireNonNull(sightedId, "sightedId is null");
            requireNonNull(last, "last is null");
        }
    }

    /** The most sighted objects, and how many objects are sighted in all. */
    record MostSighted(List<Sighted> rows, long sightedObjects)
    {
        MostSighted
        {
            rows = List.copyOf(requireNonNull(rows, "rows is null"));
        }
    }

    /** One sighting. */
    record Sighting(String collectionId, String id, String sightedId, Optional<String> createdByRef, Instant time, long count)
    {
        Sighting
        {
            requireNonNull(collectionId, "collectionId is null");
            requireNonNull(id, "id is null");
            requireNonNull(sightedId, "sightedId is null");
            requireNonNull(createdByRef, "createdByRef is null");
            requireNonNull(time, "time is null");
        }
    }

    /** An object's name and marking set in one collection. */
    record Named(String collectionId, String id, String name, List<String> markingRefs)
    {
        Named
        {
            requireNonNull(collectionId, "collectionId is null");
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            markingRefs = List.copyOf(requireNonNull(markingRefs, "markingRefs is null"));
        }
    }

    /** Every marking set of the collections' sightings in the range, per collection and creator (a few groups, whatever the number of sightings). */
    List<Facet> facets(List<String> collectionIds, Optional<Instant> from, Optional<Instant> to)
    {
        List<Facet> facets = new ArrayList<>();
        if (collectionIds.isEmpty()) {
            return facets;
        }
        List<Object> parameters = new ArrayList<>(collectionIds);
        String range = range(parameters, from, to);
        tables.query("SELECT e.collection_id, e.marking_refs, e.created_by_ref, COUNT(*), SUM(e.sighting_count), MIN(e.sighting_time), MAX(e.sighting_time) " + SIGHTINGS
                        + " AND e.collection_id IN (" + SearchTables.parameters(collectionIds.size()) + ")" + range
                        + " GROUP BY e.collection_id, e.marking_refs, e.created_by_ref",
                parameters,
                result -> facets.add(new Facet(result.getString(1), result.getString(2), Optional.ofNullable(result.getString(3)), result.getLong(4), result.getLong(5),
                        SearchTables.instant(result.getLong(6)), SearchTables.instant(result.getLong(7)))));
        return facets;
    }

    /** Up to {@code limit} sighted objects, the most sighted first (then by id). */
    MostSighted mostSighted(Filter filter, int limit)
    {
        List<Sighted> rows = new ArrayList<>();
        long[] sightedObjects = {0};
        if (filter.markingSets().isEmpty() || filter.collectionIds().isEmpty()) {
            return new MostSighted(rows, 0);
        }
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        parameters.add(limit);
        // The window counts the groups before LIMIT: every sighted object, in the same scan.
        tables.query("SELECT e.sighted_ref, COUNT(*), SUM(e.sighting_count), MAX(e.sighting_time), COUNT(*) OVER () " + where
                        + " GROUP BY e.sighted_ref ORDER BY COUNT(*) DESC, " + tables.sql().binary("e.sighted_ref") + " LIMIT ?",
                parameters,
                result -> {
                    rows.add(new Sighted(result.getString(1), result.getLong(2), result.getLong(3), SearchTables.instant(result.getLong(4))));
                    sightedObjects[0] = result.getLong(5);
                });
        return new MostSighted(rows, sightedObjects[0]);
    }

    /** Sightings per time bucket of {@code length} (starting at multiples of it since the epoch): bucket start to sightings. */
    Map<Instant, Long> buckets(Filter filter, Duration length)
    {
        Map<Instant, Long> buckets = new TreeMap<>();
        if (filter.markingSets().isEmpty() || filter.collectionIds().isEmpty()) {
            return buckets;
        }
        long micros = length.toNanos() / 1_000;
        List<Object> parameters = new ArrayList<>(List.of(micros, micros, micros));
        // The floor of the time to the bucket, also before 1970 (% keeps the dividend's sign on both vendors).
        String start = "e.sighting_time - (((e.sighting_time % ?) + ?) % ?)";
        String where = where(filter, parameters);
        tables.query("SELECT " + start + " AS bucket_start, COUNT(*) " + where + " GROUP BY bucket_start", parameters,
                result -> buckets.put(SearchTables.instant(result.getLong(1)), result.getLong(2)));
        return buckets;
    }

    /** Up to {@code limit} sightings, the latest first (then by id); every one when {@code limit} is empty. */
    List<Sighting> latest(Filter filter, Optional<Integer> limit)
    {
        List<Sighting> sightings = new ArrayList<>();
        if (filter.markingSets().isEmpty() || filter.collectionIds().isEmpty()) {
            return sightings;
        }
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        limit.ifPresent(parameters::add);
        tables.query("SELECT e.collection_id, e.object_id, e.sighted_ref, e.created_by_ref, e.sighting_time, e.sighting_count " + where
                        + " ORDER BY e.sighting_time DESC, " + tables.sql().binary("e.object_id") + limit.map(value -> " LIMIT ?").orElse(""),
                parameters,
                result -> sightings.add(new Sighting(result.getString(1), result.getString(2), result.getString(3), Optional.ofNullable(result.getString(4)),
                        SearchTables.instant(result.getLong(5)), result.getLong(6))));
        return sightings;
    }

    /** The names and marking sets of the objects in the collections, in one query. */
    List<Named> names(List<String> collectionIds, List<String> objectIds)
    {
        List<Named> named = new ArrayList<>();
        if (collectionIds.isEmpty() || objectIds.isEmpty()) {
            return named;
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(ConsoleJson.MAPPER.writeValueAsString(objectIds.stream().map(SearchKeys::hash).toList()));
        parameters.add(ConsoleJson.MAPPER.writeValueAsString(objectIds));
        parameters.addAll(collectionIds);
        tables.query("SELECT e.collection_id, e.object_id, e.name, e.marking_refs FROM search_entries e WHERE e.object_hash IN (" + tables.sql().numbersOf() + ")"
                        + " AND e.object_id IN (" + tables.sql().textsOf() + ") AND e.collection_id IN (" + SearchTables.parameters(collectionIds.size()) + ")",
                parameters,
                result -> {
                    String markings = result.getString(4);
                    named.add(new Named(result.getString(1), result.getString(2), result.getString(3), markings.isEmpty() ? List.of() : List.of(markings.split(" "))));
                });
        return named;
    }

    private String where(Filter filter, List<Object> parameters)
    {
        parameters.addAll(filter.collectionIds());
        parameters.add(ConsoleJson.MAPPER.writeValueAsString(filter.markingSets()));
        return SIGHTINGS + " AND e.collection_id IN (" + SearchTables.parameters(filter.collectionIds().size()) + ")"
                + " AND e.marking_refs IN (" + tables.sql().textsOf() + ")" + range(parameters, filter.from(), filter.to());
    }

    private static String range(List<Object> parameters, Optional<Instant> from, Optional<Instant> to)
    {
        StringBuilder range = new StringBuilder();
        if (from.isPresent()) {
            range.append(" AND e.sighting_time >= ?");
            parameters.add(ceilingMicros(from.get()));
        }
        if (to.isPresent()) {
            range.append(" AND e.sighting_time < ?");
            parameters.add(ceilingMicros(to.get()));
        }
        return range.toString();
    }

    // Times are kept in whole microseconds: a bound between two of them compares as the next one.
    private static long ceilingMicros(Instant instant)
    {
        long floor = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        return instant.getNano() % 1_000 == 0 ? floor : floor + 1;
    }
}
