package org.vigie.screening;

import static java.util.Objects.requireNonNull;

/** One alternative name of a designation, with the quality the list gives it. */
public record Alias(String name, AliasQuality quality)
{
    public Alias
    {
        requireNonNull(name, "name is null");
        requireNonNull(quality, "quality is null");
    }
}
