package org.vigie.store;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * TAXII {@code match[version]}: any combination of {@code first}, {@code last}, {@code all} and explicit
 * version timestamps. The TAXII default is {@link #LAST}.
 */
public record VersionFilter(boolean first, boolean last, boolean all, List<Instant> versions)
{
    public static final VersionFilter LAST = new VersionFilter(false, true, false, List.of());
    public static final VersionFilter FIRST = new VersionFilter(true, false, false, List.of());
    public static final VersionFilter ALL = new VersionFilter(false, false, true, List.of());

    public VersionFilter
    {
        versions = List.copyOf(requireNonNull(versions, "versions is null"));
        if (!first && !last && !all && versions.isEmpty()) {
            throw new IllegalArgumentException("a version filter must select something");
        }
    }
}
