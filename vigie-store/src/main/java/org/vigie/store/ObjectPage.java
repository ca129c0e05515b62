package org.vigie.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One page of a query. {@code next} is an opaque cursor to pass back in {@link ObjectQuery#next()}; it is
 * present exactly when {@code more} is true. Paging by cursor neither skips nor repeats a version while
 * others write, because dates added only grow.
 */
public record ObjectPage(List<StoredObject> objects, boolean more, Optional<String> next)
{
    public ObjectPage
    {
        objects = List.copyOf(requireNonNull(objects, "objects is null"));
        requireNonNull(next, "next is null");
        if (more != next.isPresent()) {
            throw new IllegalArgumentException("next must be present exactly when more is true");
        }
    }

    public Optional<Instant> firstDateAdded()
    {
        return objects.isEmpty() ? Optional.empty() : Optional.of(objects.get(0).dateAdded());
    }

    public Optional<Instant> lastDateAdded()
    {
        return objects.isEmpty() ? Optional.empty() : Optional.of(objects.get(objects.size() - 1).dateAdded());
    }
}
