package org.vigie.stix.validation;

import static java.util.Objects.requireNonNull;

/** What one property of a type must hold: its kind, reference targets (for references) and integer range. */
record PropertySpec(String name, Kind kind, ReferenceTarget target, long minimum, long maximum)
{
    PropertySpec
    {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(target, "target is null");
    }

    static PropertySpec of(String name, Kind kind)
    {
        return new PropertySpec(name, kind, ReferenceTarget.ANY, Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
