package org.vigie.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A TAXII objects/manifest/versions query. Empty lists mean "no filter". {@code specVersions} empty means
 * the TAXII default: only the latest specification version of each object.
 */
public record ObjectQuery(
        Optional<Instant> addedAfter,
        int limit,
        Optional<String> next,
        List<String> ids,
        List<String> types,
        VersionFilter versions,
        List<String> specVersions)
{
    public ObjectQuery
    {
        requireNonNull(addedAfter, "addedAfter is null");
        requireNonNull(next, "next is null");
        ids = List.copyOf(requireNonNull(ids, "ids is null"));
        types = List.copyOf(requireNonNull(types, "types is null"));
        requireNonNull(versions, "versions is null");
        specVersions = List.copyOf(requireNonNull(specVersions, "specVersions is null"));
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** Everything (latest versions), {@code limit} at a time. */
    public static ObjectQuery all(int limit)
    {
        return new ObjectQuery(Optional.empty(), limit, Optional.empty(), List.of(), List.of(), VersionFilter.LAST, List.of());
    }

    public ObjectQuery withNext(String cursor)
    {
        return new ObjectQuery(addedAfter, limit, Optional.of(cursor), ids, types, versions, specVersions);
    }

    public ObjectQuery withVersions(VersionFilter filter)
    {
        return new ObjectQuery(addedAfter, limit, next, ids, types, filter, specVersions);
    }

    public ObjectQuery withIds(List<String> objectIds)
    {
        return new ObjectQuery(addedAfter, limit, next, objectIds, types, versions, specVersions);
    }

    public ObjectQuery withTypes(List<String> objectTypes)
    {
        return new ObjectQuery(addedAfter, limit, next, ids, objectTypes, versions, specVersions);
    }

    public ObjectQuery withAddedAfter(Instant instant)
    {
        return new ObjectQuery(Optional.of(instant), limit, next, ids, types, versions, specVersions);
    }
}
